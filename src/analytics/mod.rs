//! Derived tables, rebuilt from the base tables after every run:
//! `blocklist_events` (listing episodes per sending IP × list),
//! `account_alerts` (accounts × periods that look compromised) and
//! `typo_domains` (misspelt recipient domains and the domain meant).
//!
//! In: `OUT/events`, `OUT/by_domain`, `OUT/by_sending_ip`, `OUT/by_sender`. Out: one file
//! per table, `OUT/<table>/part-0.parquet` (not date-partitioned: the
//! tables are small and an episode spans dates), written under
//! `OUT/.bouncelens/tmp/` and renamed into place. Everything is recomputed
//! from all rows each time, so a re-run changes nothing and an episode that
//! crosses a run boundary stays one episode.

pub mod accounts;
pub mod blocklist;
pub mod typos;

use crate::sink::{create_private, META_DIR};
use anyhow::Context;
use polars::prelude::*;
use std::path::Path;

pub const BLOCKLIST_EVENTS: &str = "blocklist_events";
pub const ACCOUNT_ALERTS: &str = "account_alerts";
pub const TYPO_DOMAINS: &str = "typo_domains";
/// The tables [`update`] writes.
pub const DERIVED: &[&str] = &[BLOCKLIST_EVENTS, ACCOUNT_ALERTS, TYPO_DOMAINS];

/// Rebuild the derived tables under `out`. `episode_gap_h`: hours of quiet
/// that close a blocklist episode.
pub fn update(out: &Path, episode_gap_h: u32) -> anyhow::Result<()> {
    // One rebuild at a time per --out, whichever run or shard asks; a run
    // that finishes while another rebuilds waits its turn and rebuilds
    // again, so its own rows are never left out. (Apart from the state
    // lock: shards run at the same time, and a run without --shard has
    // let its lock go by now.)
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(META_DIR).join("derived.lock"))
        .context("opening the lock for the derived tables")?;
    lock.lock()
        .context("taking the lock for the derived tables")?;
    let tmp_dir = derived_tmp(out);
    // what a killed rebuild left
    let _ = std::fs::remove_dir_all(&tmp_dir);
    let gap_ms = i64::from(episode_gap_h.max(1)) * 3_600_000;
    let built = (|| -> anyhow::Result<()> {
        let mut alerts = accounts::alerts(out).context("account alerts")?;
        // throttling that a taken-over account caused goes into its alert
        let mut episodes =
            blocklist::episodes(out, gap_ms, &mut alerts).context("blocklist episodes")?;
        write_table(out, BLOCKLIST_EVENTS, &mut episodes)?;
        write_table(out, ACCOUNT_ALERTS, &mut accounts::frame(&alerts)?)?;
        let mut typos = typos::typo_domains(out).context("typo domains")?;
        write_table(out, TYPO_DOMAINS, &mut typos)?;
        Ok(())
    })();
    // nothing left behind on a full disk
    let _ = std::fs::remove_dir_all(&tmp_dir);
    built
}

/// Temp area of the derived tables (used under `derived.lock` only).
fn derived_tmp(out: &Path) -> std::path::PathBuf {
    out.join(META_DIR).join("derived-tmp")
}

/// Lazily scan one base table; `None` when it has no files yet.
pub fn scan(out: &Path, table: &str) -> anyhow::Result<Option<LazyFrame>> {
    if !walk_has_parquet(&out.join(table)) {
        return Ok(None);
    }
    crate::query::scan_table(out, table).map(Some)
}

fn walk_has_parquet(dir: &Path) -> bool {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return false;
    };
    rd.flatten().any(|e| {
        let p = e.path();
        if p.is_dir() {
            walk_has_parquet(&p)
        } else {
            p.extension().is_some_and(|x| x == "parquet")
        }
    })
}

/// Write `df` as `OUT/<table>/part-0.parquet`: temp file, then rename.
fn write_table(out: &Path, table: &str, df: &mut DataFrame) -> anyhow::Result<()> {
    let tmp_dir = derived_tmp(out);
    std::fs::create_dir_all(&tmp_dir)?;
    let tmp = tmp_dir.join(format!("{table}.parquet"));
    let f = create_private(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    ParquetWriter::new(f)
        .with_statistics(StatisticsOptions::default())
        .finish(df)
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", tmp.display()))?;
    let dir = out.join(table);
    std::fs::create_dir_all(&dir)?;
    let dest = dir.join("part-0.parquet");
    std::fs::rename(&tmp, &dest).with_context(|| format!("renaming to {}", dest.display()))?;
    Ok(())
}

/// Datetime (ms, UTC) column from epoch milliseconds.
pub(crate) fn ts_column(name: &str, v: Vec<Option<i64>>) -> Column {
    Int64Chunked::new(name.into(), &v)
        .into_datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC))
        .into_column()
}

/// Date column from epoch milliseconds.
pub(crate) fn date_column(name: &str, v: &[i64]) -> Column {
    let days: Vec<i32> = v
        .iter()
        .map(|ms| ms.div_euclid(86_400_000) as i32)
        .collect();
    Int32Chunked::from_vec(name.into(), days)
        .into_date()
        .into_column()
}

/// The values of a string column.
pub(crate) fn strs(df: &DataFrame, name: &str) -> anyhow::Result<Vec<Option<String>>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect())
}

/// The values of an integer column (cast to i64 in the query).
pub(crate) fn ints(df: &DataFrame, name: &str) -> anyhow::Result<Vec<Option<i64>>> {
    Ok(df.column(name)?.i64()?.iter().collect())
}

/// Median of a non-empty slice (mean of the middle two for even lengths).
pub(crate) fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    Some(if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    })
}

/// `2026-03-02 21:05` (UTC) for reasons and reports.
pub fn fmt_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = crate::parse::time::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", s / 3600, s / 60 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn formats_times() {
        assert_eq!(fmt_ms(0), "1970-01-01 00:00");
        assert_eq!(fmt_ms(86_400_000 + 3_660_000), "1970-01-02 01:01");
    }
}
