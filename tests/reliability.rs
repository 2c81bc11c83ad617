//! Bad and odd input never crashes a run and never silently vanishes.

mod common;

use common::{count, gzip, stderr, write, BIN};
use polars::prelude::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

const BOUNCE: &str = "Mar  3 10:00:02 mx1 postfix/smtp[300]: 9F1E2123AB: to=<nobody@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n";

fn run(inputs: &[&Path], out: &Path) -> Output {
    common::run(inputs, out, &[])
}

#[test]
fn non_utf8_nul_bytes_and_a_10_mb_line_are_counted_not_fatal() {
    let d = tempfile::tempdir().unwrap();
    let mut data = Vec::new();
    data.extend_from_slice(BOUNCE.as_bytes());
    data.extend_from_slice(b"\xff\xfe\x00\x00 garbage\n");
    data.extend_from_slice(&BOUNCE.replace("nobody", "n\u{e9}body").into_bytes());
    // the same bounce with a Latin-1 byte in the remote text
    data.extend_from_slice(
        &BOUNCE
            .replace("User unknown", "User unknown \u{1}")
            .replace('\u{1}', "\u{0}")
            .into_bytes(),
    );
    data.extend(std::iter::repeat_n(b'x', 10 << 20));
    data.push(b'\n');
    data.extend_from_slice(BOUNCE.as_bytes());
    let log = d.path().join("odd.log");
    write(&log, &data);
    let out = d.path().join("out");
    let o = run(&[&log], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 4);
    assert_eq!(count(&out, "SELECT SUM(unparsed) FROM inputs"), 2);
    assert_eq!(count(&out, "SELECT SUM(lines) FROM inputs"), 6);
}

#[test]
fn empty_files_and_misnamed_gzip_are_fine() {
    let d = tempfile::tempdir().unwrap();
    let empty = d.path().join("empty.log");
    write(&empty, b"");
    let empty_gz = d.path().join("empty.log.gz");
    write(&empty_gz, &gzip(b""));
    let plain_named_gz = d.path().join("plain.log.gz");
    write(&plain_named_gz, BOUNCE.as_bytes());
    let gz_named_plain = d.path().join("zipped.log");
    write(
        &gz_named_plain,
        &gzip(BOUNCE.replace("mx1", "mx2").as_bytes()),
    );
    let out = d.path().join("out");
    let o = run(&[&empty, &empty_gz, &plain_named_gz, &gz_named_plain], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 2);
    assert_eq!(
        count(&out, "SELECT COUNT(*) FROM inputs WHERE format = 'empty'"),
        1
    );
}

#[cfg(unix)]
#[test]
fn special_files_dangling_links_and_symlink_loops_are_named_or_skipped() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("logs");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    write(&dir.join("sub/mail.log"), BOUNCE.as_bytes());
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(d.path().join("nowhere"), dir.join("dangling.log")).unwrap();
    let fifo = dir.join("fifo.log");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = d.path().join("out");
    let o = run(&[&dir], &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("dangling.log"), "{err}");
    assert!(
        err.contains("fifo.log") && err.contains("not a regular file"),
        "{err}"
    );
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 1);
}

#[test]
fn ten_thousand_small_files_in_one_directory() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("many");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..10_000 {
        let line = BOUNCE.replace("9F1E2123AB", &format!("{:010X}", i + 1));
        write(&dir.join(format!("m{i:05}.log")), line.as_bytes());
    }
    let out = d.path().join("out");
    let o = run(&[&dir], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("10000 inputs processed"),
        "{}",
        stderr(&o)
    );
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 10_000);
    let o = run(&[&dir], &out);
    assert!(stderr(&o).contains("10000 already seen"), "{}", stderr(&o));
}

#[test]
fn a_log_that_grows_while_read_is_taken_as_it_was_at_the_start() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("live.log");
    write(&log, BOUNCE.as_bytes());
    let size = std::fs::metadata(&log).unwrap().len();
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    f.write_all(BOUNCE.as_bytes()).unwrap();
    let content = bouncelens::source::open(&log, size).unwrap();
    assert_eq!(content.len() as u64, size);
    assert_eq!(&content[..], BOUNCE.as_bytes());
}

#[test]
fn a_corrupt_block_in_the_middle_of_a_gzip_keeps_what_came_before() {
    let d = tempfile::tempdir().unwrap();
    let text: String = (0..40_000)
        .map(|i| BOUNCE.replace("9F1E2123AB", &format!("{:010X}", i + 1)))
        .collect();
    let mut z = gzip(text.as_bytes());
    let mid = z.len() / 2;
    for b in &mut z[mid..mid + 64] {
        *b ^= 0x5a;
    }
    let bad = d.path().join("corrupt.log.gz");
    write(&bad, &z);
    let good = d.path().join("good.log");
    write(&good, BOUNCE.replace("mx1", "mx9").as_bytes());
    let out = d.path().join("out");
    let o = run(&[&bad, &good], &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("corrupt.log.gz") && err.contains("offset"),
        "{err}"
    );
    let kept = count(
        &out,
        "SELECT COUNT(*) FROM events WHERE source_file LIKE '%corrupt.log.gz'",
    );
    assert!(kept > 1000 && kept < 40_000, "kept {kept}");
    assert_eq!(
        count(&out, "SELECT COUNT(*) FROM events WHERE mta_host = 'mx9'"),
        1
    );
}

#[test]
fn local_time_logs_across_a_dst_change_with_tz() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("berlin.log");
    // Berlin clocks jump from 02:00 to 03:00 on 2024-03-31: these two lines
    // are 10 minutes apart in real time, 70 minutes apart on the wall
    let text = BOUNCE.replace("Mar  3 10:00:02", "Mar 31 01:55:00")
        + &BOUNCE
            .replace("Mar  3 10:00:02", "Mar 31 03:05:00")
            .replace("9F1E2123AB", "9F1E2123AC");
    write(&log, text.as_bytes());
    let out = d.path().join("out");
    let o = Command::new(BIN)
        .args([
            "run",
            log.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--year",
            "2024",
            "--tz",
            "Europe/Berlin",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let df = bouncelens::query::execute(
        &out,
        "SELECT CAST(EXTRACT(epoch FROM ts) AS BIGINT) AS s FROM events ORDER BY ts",
    )
    .unwrap();
    let s: Vec<i64> = df.columns()[0]
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(s.len(), 2);
    assert_eq!(s[1] - s[0], 600);
    // 01:55 CET is 00:55 UTC
    assert_eq!(s[0] % 86_400, 55 * 60);
    let bad = Command::new(BIN)
        .args([
            "run",
            log.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--tz",
            "Mars/Olympus",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// A realistic day of Postfix log from `bouncelens sample`.
fn sample_log(dir: &Path, name: &str, lines: u32, seed: u32, start: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let o = common::bl(&[
        "sample",
        "--lines",
        &lines.to_string(),
        "--seed",
        &seed.to_string(),
        "--start",
        start,
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    path
}

/// All string values of the address-bearing columns of a table.
fn address_strings(out: &Path, table: &str, cols: &[&str]) -> Vec<String> {
    let df = common::sql(out, &format!("SELECT * FROM {table}"));
    let mut v = Vec::new();
    for c in cols {
        if df.column(c).is_ok() {
            v.extend(common::str_col(&df, c).into_iter().flatten());
        }
    }
    v
}

#[test]
fn redact_hashes_every_local_part_and_keeps_domains_and_counts() {
    let d = tempfile::tempdir().unwrap();
    let log = sample_log(d.path(), "mx.log", 4000, 11, "2024-03-01");
    let key_file = d.path().join("key");
    write(&key_file, b"a-redaction-key-of-32-bytes-long\n");
    let plain = d.path().join("plain");
    let red = d.path().join("red");
    let o = common::run(&[&log], &plain, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let spec = format!("file:{}", key_file.display());
    let o = common::run(&[&log], &red, &["--redact", &spec]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // the same rows and the same distinct mailboxes, per domain
    let per_domain = "SELECT recipient_domain, count(*) AS n, count(DISTINCT recipient) AS r, \
         count(DISTINCT sender) AS s FROM events GROUP BY 1 ORDER BY 1";
    let (a, b) = (
        common::sql(&plain, per_domain),
        common::sql(&red, per_domain),
    );
    assert!(a.height() > 3);
    assert!(a.equals_missing(&b), "{a}\n{b}");
    for q in [
        "SELECT sum(attempts) FROM by_domain",
        "SELECT sum(recipients) FROM by_domain",
        "SELECT count(*) FROM by_sender",
        "SELECT count(DISTINCT account) FROM by_sender",
        "SELECT sum(recipients) FROM by_sender",
    ] {
        assert_eq!(count(&plain, q), count(&red, q), "{q}");
    }

    // no local part of the plain tables survives anywhere in the redacted ones
    let cols = ["recipient", "sender", "sasl_user", "diagnostic", "account"];
    let mut locals: Vec<String> = address_strings(&plain, "events", &cols)
        .into_iter()
        .chain(address_strings(&plain, "by_sender", &cols))
        .filter_map(|a| a.split_once('@').map(|(l, _)| l.to_lowercase()))
        .filter(|l| l.len() >= 4)
        .collect();
    locals.sort();
    locals.dedup();
    assert!(locals.len() > 50, "{}", locals.len());
    let redacted: Vec<String> = address_strings(&red, "events", &cols)
        .into_iter()
        .chain(address_strings(&red, "by_sender", &cols))
        .map(|s| s.to_lowercase())
        .collect();
    for l in &locals {
        let needle = format!("{l}@");
        assert!(
            !redacted.iter().any(|s| s.contains(&needle)),
            "local part {l:?} is still in the redacted tables"
        );
    }
    // recipients are `16 hex digits @ the same domain`
    let recips = address_strings(&red, "events", &["recipient"]);
    let odd: Vec<&String> = recips
        .iter()
        .filter(|r| !r.is_empty()) // expired messages name no recipient
        .filter(|r| {
            let (l, _) = r.split_once('@').unwrap_or((r, ""));
            !(l.len() == 16 && l.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert!(odd.is_empty(), "{odd:?}");

    // a missing key stops before anything is written; a key on the command
    // line is refused without being echoed
    let none = d.path().join("none");
    let o = common::run(
        &[&log],
        &none,
        &["--redact", "env:BOUNCELENS_TEST_NO_SUCH_KEY"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("BOUNCELENS_TEST_NO_SUCH_KEY"),
        "{}",
        stderr(&o)
    );
    assert!(!none.exists(), "an output directory was created");
    let o = common::run(&[&log], &none, &["--redact", "hunter2hunter2hunter2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("hunter2"), "{}", stderr(&o));
}

/// Run `bouncelens` as the unprivileged user `nobody` (tests run as root
/// here, and root ignores permission bits).
fn as_nobody(args: &[String]) -> Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
        .args(args)
        .output()
        .expect("setpriv")
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn an_unwritable_out_stops_at_once_and_touches_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = d.path().join("mx.log");
    write(&log, BOUNCE.as_bytes());
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    // a tables directory from an earlier run, now read-only to us
    let out = d.path().join("out");
    let o = run(&[&log], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let state = out.join(".bouncelens/state.json");
    let before = std::fs::read(&state).unwrap();
    let files_before = common::parquet_files(&out);
    let other = d.path().join("other.log");
    write(
        &other,
        BOUNCE.replace("9F1E2123AB", "9F1E2123AC").as_bytes(),
    );
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o644)).unwrap();
    for p in [&out, &out.join(".bouncelens")] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let args = common::run_args(&[&other], &out, &[]);
    let o = if is_root() {
        as_nobody(&args)
    } else {
        Command::new(BIN).args(&args).output().unwrap()
    };
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&out.display().to_string()),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&state).unwrap(), before);
    assert_eq!(common::parquet_files(&out), files_before);
    // a directory that cannot be created at all
    let args = common::run_args(&[&other], &d.path().join("ro/out"), &[]);
    std::fs::create_dir(d.path().join("ro")).unwrap();
    std::fs::set_permissions(d.path().join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = if is_root() {
        as_nobody(&args)
    } else {
        Command::new(BIN).args(&args).output().unwrap()
    };
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// A small tmpfs, unmounted on drop. `None` where mounting is not allowed
/// (not root, or no CAP_SYS_ADMIN in a container).
struct SmallFs(std::path::PathBuf);

impl SmallFs {
    fn mount(at: &Path, kib: u32) -> Option<SmallFs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallFs(at.to_path_buf()))
    }

    fn resize(&self, kib: u32) {
        let s = Command::new("mount")
            .args(["-o", &format!("remount,size={kib}k")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(s.success());
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_stops_the_run_with_exit_2_and_keeps_the_previous_tables() {
    let d = tempfile::tempdir().unwrap();
    let Some(fs) = SmallFs::mount(&d.path().join("mnt"), 2048) else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root)");
        return;
    };
    let small = sample_log(d.path(), "small.log", 300, 1, "2024-03-01");
    let big1 = sample_log(d.path(), "big1.log", 40_000, 2, "2024-03-02");
    let big2 = sample_log(d.path(), "big2.log", 40_000, 3, "2024-03-03");
    let out = fs.0.join("out");
    let o = run(&[&small], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let state = out.join(".bouncelens/state.json");
    let before = std::fs::read(&state).unwrap();
    let tables_before = common::snapshot(&out);
    let files_before = common::parquet_files(&out);
    // leave a few KiB free: the next inputs cannot fit
    let used_kib = {
        let o = Command::new("df")
            .args(["-k", "--output=used"])
            .arg(&fs.0)
            .output()
            .unwrap();
        let t = String::from_utf8_lossy(&o.stdout).into_owned();
        t.lines().nth(1).unwrap().trim().parse::<u32>().unwrap()
    };
    fs.resize(used_kib + 24);
    let o = run(&[&big1, &big2], &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("stopped"), "{err}");
    // the state and the visible tables are exactly as before; no temp files
    // are left to keep the disk full
    assert_eq!(std::fs::read(&state).unwrap(), before);
    assert_eq!(common::parquet_files(&out), files_before);
    assert_eq!(common::snapshot(&out), tables_before);
    let tmp = out.join(".bouncelens/tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "temp files left: {left:?}");
    // with space again, the same command completes and adds both inputs
    fs.resize(64 * 1024);
    let o = run(&[&big1, &big2], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 inputs processed"), "{}", stderr(&o));
    let clean = d.path().join("clean");
    let o = run(&[&small, &big1, &big2], &clean);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(common::snapshot(&out), common::snapshot(&clean));
}

#[test]
fn files_read_out_of_order_give_the_same_tables() {
    let d = tempfile::tempdir().unwrap();
    let days: Vec<_> = (1..=3)
        .map(|i| {
            sample_log(
                d.path(),
                &format!("day{i}.log"),
                2000,
                i,
                &format!("2024-03-0{i}"),
            )
        })
        .collect();
    let in_order = d.path().join("in-order");
    for f in &days {
        let o = run(&[f], &in_order);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    // newest first, one run per file (a rotated file found late)
    let reversed = d.path().join("reversed");
    for f in days.iter().rev() {
        let o = run(&[f], &reversed);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    // all at once
    let together = d.path().join("together");
    let all: Vec<&Path> = days.iter().map(|p| p.as_path()).collect();
    let o = run(&all, &together);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want = common::snapshot(&in_order);
    assert!(want[0].1.height() > 50);
    assert_eq!(common::snapshot(&reversed), want);
    assert_eq!(common::snapshot(&together), want);
    // the derived tables are rebuilt from all runs' rows: order does not matter
    for t in ["blocklist_events", "account_alerts"] {
        let want = common::table_sorted(&in_order, t);
        assert_eq!(common::table_sorted(&reversed, t), want, "{t}");
        assert_eq!(common::table_sorted(&together, t), want, "{t}");
    }
}

#[test]
fn an_unreadable_input_is_named_and_the_rest_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let good = d.path().join("good.log");
    let secret = d.path().join("secret.log");
    write(&good, BOUNCE.as_bytes());
    write(
        &secret,
        BOUNCE.replace("9F1E2123AB", "9F1E2123AC").as_bytes(),
    );
    std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = d.path().join("out");
    let args = common::run_args(&[&good, &secret], &out, &[]);
    let o = if is_root() {
        as_nobody(&args)
    } else {
        Command::new(BIN).args(&args).output().unwrap()
    };
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("secret.log") && err.contains("ermission denied"),
        "{err}"
    );
    assert!(err.contains("1 inputs processed"), "{err}");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(count(&out, "SELECT count(*) FROM events"), 1);
}
