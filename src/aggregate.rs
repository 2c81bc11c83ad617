//! Aggregates: per period × key × outcome × cause counts, with `sent`
//! included so rates can be computed.
//!
//! Each block is reduced to distinct "facts" (one row per period,
//! recipient, sender, client, sending IP, provider, outcome and cause, with
//! a count), so memory grows with distinct combinations, not with lines;
//! at the end of an input the facts give the three aggregate tables with
//! exact distinct counts for that input.

use polars::prelude::*;

/// Aggregation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    Hour,
    Day,
}

impl Period {
    pub const fn millis(self) -> i64 {
        match self {
            Period::Hour => 3_600_000,
            Period::Day => 86_400_000,
        }
    }
    pub const fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
        }
    }
}

const FACT_KEYS: [&str; 10] = [
    "period_start",
    "recipient_domain",
    "recipient",
    "sender",
    "sasl_user",
    "client_ip",
    "sending_ip",
    "provider",
    "outcome",
    "cause",
];

/// Accumulates facts of one input.
pub struct Aggregator {
    period: Period,
    facts: Vec<DataFrame>,
    rows: usize,
}

impl Aggregator {
    pub fn new(period: Period) -> Self {
        Aggregator {
            period,
            facts: Vec::new(),
            rows: 0,
        }
    }

    /// Add the correlated deliveries of one block.
    pub fn add(&mut self, deliveries: &DataFrame) -> PolarsResult<()> {
        let p = self.period.millis();
        let facts = deliveries
            .clone()
            .lazy()
            .with_column(((col("ts") / lit(p)) * lit(p)).alias("period_start"))
            .group_by(FACT_KEYS.map(col))
            .agg([len().cast(DataType::UInt64).alias("n")])
            .collect()?;
        self.rows += facts.height();
        self.facts.push(facts);
        // re-reduce now and then so many blocks of few combinations stay small
        if self.facts.len() >= 16 {
            let all = self.reduced()?;
            self.rows = all.height();
            self.facts = vec![all];
        }
        Ok(())
    }

    fn reduced(&mut self) -> PolarsResult<DataFrame> {
        let frames: Vec<LazyFrame> = self.facts.drain(..).map(|d| d.lazy()).collect();
        if frames.is_empty() {
            return Ok(DataFrame::empty());
        }
        concat(frames, UnionArgs::default())?
            .group_by(FACT_KEYS.map(col))
            .agg([col("n").sum()])
            .collect()
    }

    /// The aggregate tables: (name, frame) with `date` and `period_start`.
    pub fn finish(mut self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        let facts = self.reduced()?;
        if facts.height() == 0 {
            return Ok(Vec::new());
        }
        let facts = facts
            .lazy()
            .with_columns([
                col("period_start").cast(DataType::Datetime(
                    TimeUnit::Milliseconds,
                    Some(TimeZone::UTC),
                )),
                lit(self.period.as_str()).alias("period"),
                coalesce(&[col("sasl_user"), col("sender")]).alias("account"),
                when(col("sasl_user").is_not_null())
                    .then(lit("sasl"))
                    .when(col("sender").is_not_null())
                    .then(lit("envelope"))
                    .otherwise(lit(NULL).cast(DataType::String))
                    .alias("account_kind"),
            ])
            .with_column(col("period_start").dt().date().alias("date"));
        let distinct = |c: &str| col(c).drop_nulls().n_unique().cast(DataType::UInt64);
        let common = || {
            vec![
                col("n").sum().alias("attempts"),
                distinct("recipient").alias("recipients"),
                distinct("sender").alias("senders"),
            ]
        };
        let table = |keys: &[&str], aggs: Vec<Expr>| {
            let mut k: Vec<Expr> = vec![col("date"), col("period_start"), col("period")];
            k.extend(keys.iter().map(|c| col(*c)));
            facts
                .clone()
                .group_by(k)
                .agg(aggs)
                .sort(
                    std::iter::once("period_start").chain(keys.iter().copied()),
                    SortMultipleOptions::default().with_nulls_last(true),
                )
                .collect()
        };
        let mut by_sender = common();
        by_sender.push(distinct("client_ip").alias("client_ips"));
        Ok(vec![
            (
                "by_domain",
                table(&["recipient_domain", "outcome", "cause"], common())?,
            ),
            (
                "by_sending_ip",
                table(&["sending_ip", "provider", "outcome", "cause"], common())?,
            ),
            (
                "by_sender",
                table(&["account", "account_kind", "outcome", "cause"], by_sender)?,
            ),
        ])
    }
}
