//! Parquet output: per-table, per-date part files streamed in row groups
//! to a private temp area, then committed by rename (see `state`).
//!
//! Layout: `OUT/<table>/date=YYYY-MM-DD/host=HOST/part-<input id>.parquet`,
//! HOST being the input's MTA host. A part's name derives from the input's
//! fingerprint, so re-processing an input replaces exactly its own parts,
//! and runs on many hosts never write the same file.

use polars::io::parquet::write::BatchedWriter;
use polars::polars_utils::compression::ZstdLevel;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Directory under `--out` that holds state, locks and temp files.
pub const META_DIR: &str = ".bouncelens";

/// The tables `run` writes.
pub const TABLES: &[&str] = &[
    "events",
    "by_domain",
    "by_sending_ip",
    "by_sender",
    "inputs",
    "blocklist_events",
    "account_alerts",
];

/// Rows per Parquet row group.
const ROW_GROUP: usize = 128 * 1024;
/// Bytes (in memory) of rows held back for one part before a row group
/// is written anyway: wide rows make smaller groups, and memory stays
/// bounded whatever the rows hold.
const PENDING_BYTES: usize = 4 << 20;

/// A host name as a Hive partition value: lower case; anything but
/// letters, digits, `.`, `-` and `_` becomes `_`; empty is `unknown`.
pub fn host_partition(host: &str) -> String {
    let h: String = host
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if h.is_empty() || h.starts_with('.') {
        "unknown".to_owned()
    } else {
        h
    }
}

/// A failure to write under `--out` (disk full, read-only file system, no
/// permission): not the input's fault, and every other input would fail the
/// same way, so the run stops (exit 2) instead of counting a failed input.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the tables under {}: {message}", out.display())]
pub struct OutputFault {
    pub out: PathBuf,
    pub message: String,
}

impl OutputFault {
    pub fn new(out: &Path, e: impl std::fmt::Display) -> OutputFault {
        OutputFault {
            out: out.to_path_buf(),
            message: e.to_string(),
        }
    }
}

/// A part file written to a temp path, waiting to be renamed into place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingPart {
    pub tmp: PathBuf,
    /// Relative to `--out`.
    pub rel: PathBuf,
}

struct Open {
    writer: BatchedWriter<std::io::BufWriter<File>>,
    rel: PathBuf,
    tmp: PathBuf,
    schema: SchemaRef,
    /// Rows not written yet. A block of input gives a few thousand rows;
    /// writing each as its own row group made dozens of small groups per
    /// file, each with its own compression context and dictionaries.
    pending: Option<DataFrame>,
}

impl Open {
    /// Add `part` to the pending rows; write whole row groups once there
    /// are [`ROW_GROUP`] rows (or [`PENDING_BYTES`]), all of them when
    /// `all`.
    fn push(&mut self, part: Option<DataFrame>, all: bool) -> PolarsResult<()> {
        let mut df = match (self.pending.take(), part) {
            (Some(mut p), Some(part)) => {
                p.vstack_mut(&part)?;
                p
            }
            (p, part) => match p.or(part) {
                Some(df) => df,
                None => return Ok(()),
            },
        };
        let full = df.height() >= ROW_GROUP || df.estimated_size() >= PENDING_BYTES;
        if !(all || full) {
            self.pending = Some(df);
            return Ok(());
        }
        // one chunk: the writer makes a row group of every chunk
        df.rechunk_mut_par();
        let rows = df.height();
        let mut start = 0;
        // a remainder smaller than a row group waits for more rows
        while start < rows && (all || start == 0 || rows - start >= ROW_GROUP) {
            self.writer
                .write_batch(&df.slice(start as i64, ROW_GROUP))?;
            start += ROW_GROUP;
        }
        if start < rows {
            self.pending = Some(df.slice(start as i64, rows - start));
        }
        Ok(())
    }
}

/// Streams the rows of one input into part files, one per table and date.
pub struct PartSink {
    tmp_dir: PathBuf,
    part: String,
    open: BTreeMap<(String, String), Open>,
    small: bool,
    /// Set by `finish`: the temp files now belong to the commit.
    handed_over: bool,
    /// The `host=` partition of every part (see [`PartSink::set_host`]).
    host: Option<String>,
}

impl Drop for PartSink {
    // an input abandoned half-way (an error) leaves no temp files behind to
    // fill a disk that may already be full
    fn drop(&mut self) {
        if !self.handed_over {
            self.open.clear();
            let _ = std::fs::remove_dir_all(&self.tmp_dir);
        }
    }
}

impl PartSink {
    /// `part` names the files (the input id); temp files go under
    /// `TMP_ROOT/<part>-<pid>/` (the run's or shard's temp area).
    /// `small`: the input is small (see [`PartSink::compression`]).
    pub fn new(tmp_root: &Path, part: &str, small: bool) -> std::io::Result<Self> {
        let tmp_dir = tmp_root.join(format!("{part}-{}", std::process::id()));
        if tmp_dir.exists() {
            std::fs::remove_dir_all(&tmp_dir)?;
        }
        std::fs::create_dir_all(&tmp_dir)?;
        Ok(PartSink {
            tmp_dir,
            part: part.to_owned(),
            open: BTreeMap::new(),
            small,
            handed_over: false,
            host: None,
        })
    }

    /// The MTA host the parts are filed under (`host=` below `date=`), made
    /// a safe path component; set once, before the first write (later
    /// calls are ignored). Unset: `unknown`.
    pub fn set_host(&mut self, host: &str) {
        if self.host.is_none() {
            self.host = Some(host_partition(host));
        }
    }

    pub fn has_host(&self) -> bool {
        self.host.is_some()
    }

    /// Append `df` to `table`, split by its `date` column (a Date).
    pub fn write(&mut self, table: &str, df: &DataFrame) -> PolarsResult<()> {
        if df.height() == 0 {
            return Ok(());
        }
        let parts = df.partition_by_stable(["date"], true)?;
        let mut dates = Vec::with_capacity(parts.len());
        for part in &parts {
            let date = part
                .column("date")?
                .cast(&DataType::String)?
                .str()?
                .get(0)
                .unwrap_or("unknown")
                .to_owned();
            dates.push(date);
        }
        // a log moves on from a date for good: write what the table still
        // holds back for dates not in this batch
        for ((t, d), o) in self.open.iter_mut() {
            if t == table && !dates.contains(d) {
                o.push(None, true)?;
            }
        }
        for (mut part, date) in parts.into_iter().zip(dates) {
            let key = (table.to_owned(), date);
            if !self.open.contains_key(&key) {
                let opened = self.open_part(&key.0, &key.1, part.schema().clone())?;
                self.open.insert(key.clone(), opened);
            }
            let o = self.open.get_mut(&key).expect("inserted above");
            if part.schema() != &o.schema {
                part = part.select(o.schema.iter_names().cloned())?;
            }
            o.push(Some(part), false)?;
        }
        Ok(())
    }

    fn open_part(&self, table: &str, date: &str, schema: SchemaRef) -> PolarsResult<Open> {
        let host = self.host.as_deref().unwrap_or("unknown");
        let rel = PathBuf::from(table)
            .join(format!("date={date}"))
            .join(format!("host={host}"))
            .join(format!("part-{}.parquet", self.part));
        let tmp = self.tmp_dir.join(&rel);
        std::fs::create_dir_all(tmp.parent().expect("has a parent"))?;
        let file = std::io::BufWriter::with_capacity(1 << 20, create_private(&tmp)?);
        let writer = ParquetWriter::new(file)
            .with_compression(self.compression()?)
            .with_statistics(StatisticsOptions::default())
            .batched(&schema)?;
        Ok(Open {
            writer,
            rel,
            tmp,
            schema,
            pending: None,
        })
    }

    /// zstd for real inputs; Snappy for tiny ones, where setting up zstd
    /// contexts would cost more than the data (thousands of small files).
    fn compression(&self) -> PolarsResult<ParquetCompression> {
        Ok(if self.small {
            ParquetCompression::Snappy
        } else {
            ParquetCompression::Zstd(Some(ZstdLevel::try_new(3)?))
        })
    }

    /// Write every footer and list the parts to commit. (They are made
    /// durable together, before the state names them: `OutDir::flush`.)
    pub fn finish(mut self) -> PolarsResult<(PathBuf, Vec<PendingPart>)> {
        let mut parts = Vec::with_capacity(self.open.len());
        while let Some((_, mut o)) = self.open.pop_first() {
            o.push(None, true)?;
            o.writer.finish()?;
            parts.push(PendingPart {
                tmp: o.tmp,
                rel: o.rel,
            });
        }
        self.handed_over = true;
        Ok((self.tmp_dir.clone(), parts))
    }
}

/// Create a file readable by its owner and group only (no world read).
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o640);
    }
    opts.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` rows of day `day` (days since 1970), `x` counting from `from`,
    /// each with a string of `width` bytes.
    fn batch(day: i32, from: i64, n: usize, width: usize) -> DataFrame {
        let date = Column::new("date".into(), vec![day; n])
            .cast(&DataType::Date)
            .unwrap();
        let x = Column::new("x".into(), (from..from + n as i64).collect::<Vec<_>>());
        let s = Column::new(
            "s".into(),
            (0..n).map(|i| format!("{i:0width$}")).collect::<Vec<_>>(),
        );
        DataFrame::new(n, vec![date, x, s]).unwrap()
    }

    /// (row groups, the `x` column) of each part, by date.
    fn written(parts: &[PendingPart]) -> BTreeMap<String, (usize, Vec<i64>)> {
        parts
            .iter()
            .map(|p| {
                let date = p
                    .rel
                    .to_string_lossy()
                    .split('/')
                    .nth(1)
                    .unwrap()
                    .to_owned();
                let mut r = ParquetReader::new(File::open(&p.tmp).unwrap());
                let groups = r.get_metadata().unwrap().row_groups.len();
                let df = r.finish().unwrap();
                let x = df.column("x").unwrap().i64().unwrap();
                (date, (groups, x.into_no_null_iter().collect()))
            })
            .collect()
    }

    #[test]
    fn small_batches_make_few_row_groups_and_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = PartSink::new(dir.path(), "t", false).unwrap();
        // 40 blocks of a day, then the next day: the first day's rows go
        // out as one row group when its date is left behind
        for i in 0..40 {
            sink.write("events", &batch(20_000, i * 500, 500, 16))
                .unwrap();
        }
        for i in 0..10 {
            sink.write("events", &batch(20_001, 20_000 + i * 500, 500, 16))
                .unwrap();
        }
        // wide rows: a row group every PENDING_BYTES, not every block
        for i in 0..40 {
            sink.write("by_sender", &batch(20_000, i * 100, 100, 4_000))
                .unwrap();
        }
        let (_, parts) = sink.finish().unwrap();
        let w = written(&parts);
        let events_a = &w["date=2024-10-04"];
        assert_eq!(events_a.0, 1);
        assert_eq!(events_a.1, (0..20_000).collect::<Vec<_>>());
        assert_eq!(w["date=2024-10-05"].1, (20_000..25_000).collect::<Vec<_>>());
        let wide = parts
            .iter()
            .find(|p| p.rel.starts_with("by_sender"))
            .map(|p| written(std::slice::from_ref(p)))
            .unwrap();
        let (groups, x) = wide.values().next().unwrap();
        assert!((2..=8).contains(groups), "{groups} row groups");
        assert_eq!(*x, (0..4_000).collect::<Vec<_>>());
    }
}
