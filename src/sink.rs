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
        for mut part in df.partition_by_stable(["date"], true)? {
            let date = part
                .column("date")?
                .cast(&DataType::String)?
                .str()?
                .get(0)
                .unwrap_or("unknown")
                .to_owned();
            part.align_chunks_par();
            let key = (table.to_owned(), date);
            if !self.open.contains_key(&key) {
                let opened = self.open_part(&key.0, &key.1, part.schema().clone())?;
                self.open.insert(key.clone(), opened);
            }
            let o = self.open.get_mut(&key).expect("inserted above");
            if part.schema() != &o.schema {
                part = part.select(o.schema.iter_names().cloned())?;
            }
            for start in (0..part.height()).step_by(ROW_GROUP) {
                let mut slice = part.slice(start as i64, ROW_GROUP);
                slice.align_chunks_par();
                o.writer.write_batch(&slice)?;
            }
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
        while let Some((_, o)) = self.open.pop_first() {
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
