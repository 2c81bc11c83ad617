//! `bouncelens query`: SQL (polars SQLContext) over the tables under --out.

use crate::cli::{QueryArgs, QueryFormat};
use crate::sink::TABLES;
use anyhow::Context;
use polars::prelude::*;
use polars::sql::SQLContext;
use std::path::Path;

/// Register every table found under `out` as a lazy Hive-partitioned scan.
pub fn context(out: &Path) -> anyhow::Result<SQLContext> {
    anyhow::ensure!(out.is_dir(), "no tables directory at {}", out.display());
    let ctx = SQLContext::new();
    // the derived tables `run` rebuilds (some are in TABLES already)
    let derived = crate::analytics::DERIVED
        .iter()
        .filter(|t| !TABLES.contains(t));
    for t in TABLES.iter().chain(derived) {
        if out.join(t).is_dir() {
            ctx.register(t, scan_table(out, t)?);
        }
    }
    Ok(ctx)
}

/// A lazy scan of every Parquet file of `out/<table>`, Hive partitions
/// (`date=`, `host=`) as columns.
pub fn scan_table(out: &Path, table: &str) -> anyhow::Result<LazyFrame> {
    let pattern = format!("{}/**/*.parquet", out.join(table).display());
    LazyFrame::scan_parquet(
        PlRefPath::new(&pattern),
        ScanArgsParquet {
            hive_options: HiveOptions::new_enabled(),
            ..Default::default()
        },
    )
    .map_err(|e| anyhow::anyhow!("reading table {table}: {e}"))
}

/// Execute one SQL text against `out`.
pub fn execute(out: &Path, sql: &str) -> anyhow::Result<DataFrame> {
    let mut ctx = context(out)?;
    let lf = ctx
        .execute(sql)
        .map_err(|e| anyhow::anyhow!("SQL error: {e}"))?;
    Ok(lf.collect()?)
}

/// Strip `--` comments and DuckDB-only statements (`SET …;`) so one file
/// runs in both engines.
pub fn portable_sql(text: &str) -> String {
    text.lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .filter(|l| !l.trim_start().to_ascii_uppercase().starts_with("SET "))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .trim_end_matches(';')
        .to_owned()
}

pub fn run(args: &QueryArgs) -> anyhow::Result<()> {
    let sql = match (&args.sql, &args.file) {
        (Some(s), _) => s.clone(),
        (None, Some(f)) => {
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?
        }
        (None, None) => anyhow::bail!("give SQL or --file"),
    };
    let mut df = execute(&args.out, &portable_sql(&sql))?;
    if let Some(path) = &args.save {
        let f =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        match path.extension().and_then(|e| e.to_str()) {
            Some("parquet") => {
                ParquetWriter::new(f).finish(&mut df)?;
            }
            Some("csv") => CsvWriter::new(f).finish(&mut df)?,
            _ => anyhow::bail!("--save wants a .parquet or .csv file name"),
        }
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match args.format {
        QueryFormat::Table => {
            use std::io::Write;
            writeln!(lock, "{df}")?;
        }
        QueryFormat::Csv => CsvWriter::new(&mut lock).finish(&mut df)?,
        QueryFormat::Jsonl => JsonWriter::new(&mut lock)
            .with_json_format(JsonFormat::JsonLines)
            .finish(&mut df)?,
    }
    Ok(())
}
