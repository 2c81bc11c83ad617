//! Helpers shared by the end-to-end tests (`tests/cli.rs`,
//! `tests/reliability.rs`): run the binary, write inputs, read tables back.
#![allow(dead_code)] // each test crate uses its own subset

use polars::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_bouncelens");

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

pub fn write(path: &Path, data: &[u8]) {
    std::fs::File::create(path)
        .unwrap()
        .write_all(data)
        .unwrap();
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// `bouncelens ARGS...`
pub fn bl(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run bouncelens")
}

/// `bouncelens run INPUTS... --out OUT [--year 2024] EXTRA...` (the year is
/// pinned unless `extra` names one, so the tests do not depend on today).
pub fn run(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(run_args(inputs, out, extra))
        .output()
        .expect("run bouncelens")
}

pub fn run_args(inputs: &[&Path], out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string()]);
    if !extra.contains(&"--year") {
        args.extend(["--year".into(), "2024".into()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn sql(out: &Path, q: &str) -> DataFrame {
    bouncelens::query::execute(out, q).expect("query")
}

/// The first value of the first column of `q`, as an integer (0 if null).
pub fn count(out: &Path, q: &str) -> i64 {
    sql(out, q).columns()[0]
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .get(0)
        .unwrap_or(0)
}

/// Every base table's full contents, sorted, for comparing two output dirs.
pub fn snapshot(out: &Path) -> Vec<(String, DataFrame)> {
    ["events", "by_domain", "by_sending_ip", "by_sender"]
        .into_iter()
        .filter(|t| out.join(t).exists())
        .map(|t| (t.to_owned(), table_sorted(out, t)))
        .collect()
}

/// One table's full contents, sorted by every column.
pub fn table_sorted(out: &Path, table: &str) -> DataFrame {
    let df = sql(out, &format!("SELECT * FROM {table}"));
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    df.sort(names, SortMultipleOptions::default().with_nulls_last(true))
        .unwrap()
}

/// Every file under `out` except hidden ones (the state directory), sorted.
pub fn parquet_files(out: &Path) -> Vec<PathBuf> {
    fn walk(p: &Path, acc: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            let p = e.path();
            if p.file_name().unwrap().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                walk(&p, acc);
            } else {
                acc.push(p);
            }
        }
    }
    let mut acc = Vec::new();
    walk(out, &mut acc);
    acc.sort();
    acc
}

/// A column as optional strings (any type, cast).
pub fn str_col(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name)
        .unwrap()
        .cast(&DataType::String)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|o| o.map(str::to_owned))
        .collect()
}
