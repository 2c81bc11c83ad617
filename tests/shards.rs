//! Scale-out (issue 8): many `run` processes, one per host (shard), write
//! into one shared `--out` at the same time; `merge` builds the derived
//! tables over all of them.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const DERIVED: [&str; 2] = ["blocklist_events", "account_alerts"];

fn sample(dir: &Path, host: &str, seed: u32, extra: &[&str]) -> PathBuf {
    let path = dir.join(format!("{host}.log.gz"));
    let mut args = vec![
        "sample".to_string(),
        "--lines".into(),
        "15000".into(),
        "--days".into(),
        "2".into(),
        "--start".into(),
        "2024-03-01".into(),
        "--host".into(),
        host.into(),
        "--seed".into(),
        seed.to_string(),
        "--out".into(),
        path.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let o = Command::new(BIN).args(&args).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    path
}

/// Base tables and derived tables, sorted.
fn everything(out: &Path) -> Vec<(String, polars::prelude::DataFrame)> {
    let mut v = snapshot(out);
    v.push(("inputs".into(), {
        let df = sql(
            out,
            "SELECT path, fingerprint, format, lines, records, failures, host FROM inputs",
        );
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        df.sort(names, Default::default()).unwrap()
    }));
    for t in DERIVED {
        v.push((t.to_owned(), table_sorted(out, t)));
    }
    v
}

#[test]
fn two_shards_at_once_equal_one_run_over_all_files() {
    let d = tmp();
    let mx1 = sample(
        d.path(),
        "mx1",
        1,
        &["--blocklist", "192.0.2.10:spamhaus:2024-03-01T20:6"],
    );
    let mx2 = sample(d.path(), "mx2", 2, &["--takeover", "user7@2024-03-02"]);
    let shared = d.path().join("shared");
    // both started at the same moment, then one merge
    let spawn = |f: &Path, shard: &str| {
        Command::new(BIN)
            .args(run_args(&[f], &shared, &["--shard", shard, "--no-merge"]))
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(&mx1, "mx1"), spawn(&mx2, "mx2"));
    for c in [a, b] {
        let o = c.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0));
    }
    let o = bl(&["merge", "--out", shared.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let one = d.path().join("one");
    let o = run(&[&mx1, &mx2], &one, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want = everything(&one);
    assert!(want
        .iter()
        .all(|(t, df)| df.height() > 0 || t == "account_alerts"));
    let got = everything(&shared);
    for ((t, g), (_, w)) in got.iter().zip(&want) {
        assert_eq!(g, w, "table {t} differs");
    }
    // every part sits under date=/host= of its own host
    let hosts = sql(&shared, "SELECT DISTINCT host FROM events ORDER BY 1");
    assert_eq!(
        str_col(&hosts, "host"),
        [Some("mx1".into()), Some("mx2".into())]
    );
    assert_eq!(
        count(
            &shared,
            "SELECT count(*) FROM events WHERE host <> mta_host"
        ),
        0
    );
    for f in parquet_files(&shared) {
        let rel = f
            .strip_prefix(&shared)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let table = rel.split('/').next().unwrap();
        if !DERIVED.contains(&table) && table != "typo_domains" {
            assert!(rel.contains("/date=") && rel.contains("/host="), "{rel}");
        }
    }

    // re-running one shard changes nothing, whether skipped or reprocessed
    for extra in [&["--shard", "mx1"][..], &["--shard", "mx1", "--reprocess"]] {
        let o = run(&[&mx1], &shared, extra);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let got = everything(&shared);
        for ((t, g), (_, w)) in got.iter().zip(&want) {
            assert_eq!(
                g, w,
                "table {t} changed after re-running a shard ({extra:?})"
            );
        }
    }
    // merge is idempotent
    let o = bl(&["merge", "--out", shared.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(everything(&shared), want);
}

#[test]
fn a_shard_has_its_own_lock_and_a_safe_name() {
    let d = tmp();
    let f = sample(d.path(), "mx1", 1, &[]);
    let out = d.path().join("out");
    let o = run(&[&f], &out, &["--shard", "../evil"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shard name"), "{}", stderr(&o));
    // the same shard twice at once: the second waits for nothing, it stops
    let lock = out.join(".bouncelens/shards/mx1/lock");
    let o = run(&[&f], &out, &["--shard", "mx1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let held = std::fs::OpenOptions::new().write(true).open(&lock).unwrap();
    held.lock().unwrap();
    let o = run(&[&f], &out, &["--shard", "mx1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lock"), "{}", stderr(&o));
    // another shard is not held up by it
    let o = run(&[&f], &out, &["--shard", "mx2", "--no-merge"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 inputs processed"), "{}", stderr(&o));
}
