//! `typo_domains`: recipient domains that fail because they are misspelt,
//! with the domain probably meant.
//!
//! In: `events` (failures) and the `sent` rows of `by_domain`. A domain is
//! listed when its failures are `bad_domain` (it does not resolve) or carry
//! a `suggested_domain` (a near miss of a common provider, set at
//! classification), or when it fails as `bad_domain`, never received a
//! delivery of ours, and sits within the same small edit distance of a
//! domain we *do* deliver to (`shcool.org` -> `school.org`); among those the
//! one with most deliveries wins. Domains that fail as `bad_domain` with no
//! suggestion are left out: not every dead domain is a typo.
//!
//! Out: one row per misspelt domain: the suggestion and where it came from
//! (`common` provider or a `delivered` domain), failures, distinct
//! recipients, first and last failure, and our deliveries to the suggested
//! domain over the same data.

use super::{date_column, ints, scan, strs, ts_column};
use crate::classify::nearest_domain;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// One row.
#[derive(Debug, Clone, PartialEq)]
pub struct Typo {
    pub domain: String,
    pub suggested: String,
    pub basis: &'static str,
    pub failures: i64,
    pub recipients: i64,
    pub first_seen: i64,
    pub last_seen: i64,
    pub delivered_to_suggested: i64,
}

/// Failures of one recipient domain.
#[derive(Debug, Clone, Default)]
pub struct Failing {
    pub failures: i64,
    pub recipients: i64,
    pub first_seen: i64,
    pub last_seen: i64,
    pub bad_domain: bool,
    /// The common provider classification suggested, if any.
    pub common: Option<String>,
}

pub fn typo_domains(out: &Path) -> anyhow::Result<DataFrame> {
    let Some(events) = scan(out, "events")? else {
        return frame(&[]);
    };
    let df = events
        .filter(
            col("recipient_domain").is_not_null().and(
                col("cause")
                    .cast(DataType::String)
                    .eq(lit("bad_domain"))
                    .or(col("suggested_domain").is_not_null()),
            ),
        )
        .group_by([col("recipient_domain")])
        .agg([
            len().cast(DataType::Int64).alias("failures"),
            col("recipient")
                .n_unique()
                .cast(DataType::Int64)
                .alias("recipients"),
            col("ts").cast(DataType::Int64).min().alias("first_seen"),
            col("ts").cast(DataType::Int64).max().alias("last_seen"),
            col("cause")
                .cast(DataType::String)
                .eq(lit("bad_domain"))
                .any(true)
                .cast(DataType::Int64)
                .alias("bad_domain"),
            col("suggested_domain")
                .cast(DataType::String)
                .drop_nulls()
                .first()
                .alias("common"),
        ])
        .collect()?;
    let (dom, common) = (strs(&df, "recipient_domain")?, strs(&df, "common")?);
    let (n, rc) = (ints(&df, "failures")?, ints(&df, "recipients")?);
    let (fs, ls, bd) = (
        ints(&df, "first_seen")?,
        ints(&df, "last_seen")?,
        ints(&df, "bad_domain")?,
    );
    let mut failing = BTreeMap::new();
    for i in 0..df.height() {
        let Some(d) = &dom[i] else { continue };
        failing.insert(
            d.to_ascii_lowercase(),
            Failing {
                failures: n[i].unwrap_or(0),
                recipients: rc[i].unwrap_or(0),
                first_seen: fs[i].unwrap_or(0),
                last_seen: ls[i].unwrap_or(0),
                bad_domain: bd[i].unwrap_or(0) > 0,
                common: common[i].clone(),
            },
        );
    }
    let delivered = delivered(out)?;
    frame(&suggest_all(&failing, &delivered))
}

/// Recipient domain -> our successful deliveries to it.
fn delivered(out: &Path) -> anyhow::Result<BTreeMap<String, i64>> {
    let Some(lf) = scan(out, "by_domain")? else {
        return Ok(BTreeMap::new());
    };
    let df = lf
        .filter(
            col("outcome")
                .cast(DataType::String)
                .eq(lit("sent"))
                .and(col("recipient_domain").is_not_null()),
        )
        .group_by([col("recipient_domain")])
        .agg([col("attempts").cast(DataType::Int64).sum()])
        .collect()?;
    let (dom, n) = (strs(&df, "recipient_domain")?, ints(&df, "attempts")?);
    let mut m = BTreeMap::new();
    for i in 0..df.height() {
        if let Some(d) = &dom[i] {
            *m.entry(d.to_ascii_lowercase()).or_default() += n[i].unwrap_or(0);
        }
    }
    Ok(m)
}

/// The rows: a suggestion for every failing domain that has one.
pub fn suggest_all(
    failing: &BTreeMap<String, Failing>,
    delivered: &BTreeMap<String, i64>,
) -> Vec<Typo> {
    // most deliveries first, so the first of equally near ones is the
    // domain we know best
    let mut ours: Vec<(&str, i64)> = delivered
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| (d.as_str(), *n))
        .collect();
    ours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out = Vec::new();
    for (d, f) in failing {
        let (suggested, basis) = if let Some(c) = &f.common {
            (c.clone(), "common")
        } else if f.bad_domain && delivered.get(d).copied().unwrap_or(0) == 0 {
            match nearest_domain(d, ours.iter().map(|x| x.0)) {
                Some(s) => (s.to_owned(), "delivered"),
                None => continue,
            }
        } else {
            continue;
        };
        out.push(Typo {
            delivered_to_suggested: delivered.get(&suggested).copied().unwrap_or(0),
            domain: d.clone(),
            suggested,
            basis,
            failures: f.failures,
            recipients: f.recipients,
            first_seen: f.first_seen,
            last_seen: f.last_seen,
        });
    }
    out.sort_by(|a, b| b.failures.cmp(&a.failures).then(a.domain.cmp(&b.domain)));
    out
}

fn frame(t: &[Typo]) -> anyhow::Result<DataFrame> {
    let i64s = |f: &dyn Fn(&Typo) -> i64| t.iter().map(f).collect::<Vec<i64>>();
    let first = i64s(&|x| x.first_seen);
    let cols = vec![
        date_column("date", &first),
        Column::new(
            "recipient_domain".into(),
            t.iter().map(|x| x.domain.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "suggested_domain".into(),
            t.iter().map(|x| x.suggested.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "basis".into(),
            t.iter().map(|x| x.basis).collect::<Vec<_>>(),
        ),
        Column::new("failures".into(), i64s(&|x| x.failures)),
        Column::new("recipients".into(), i64s(&|x| x.recipients)),
        ts_column("first_seen", first.iter().map(|v| Some(*v)).collect()),
        ts_column("last_seen", t.iter().map(|x| Some(x.last_seen)).collect()),
        Column::new(
            "delivered_to_suggested".into(),
            i64s(&|x| x.delivered_to_suggested),
        ),
    ];
    Ok(DataFrame::new(t.len(), cols)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(bad_domain: bool, common: Option<&str>) -> Failing {
        Failing {
            failures: 7,
            recipients: 5,
            bad_domain,
            common: common.map(str::to_owned),
            ..Failing::default()
        }
    }

    #[test]
    fn typos_of_common_and_of_our_own_domains() {
        let f = BTreeMap::from([
            ("shcool.org".to_owned(), failing(true, None)),
            ("gmial.com".to_owned(), failing(true, Some("gmail.com"))),
            ("dead-domain.example".to_owned(), failing(true, None)),
            // fails as bad_address (the domain exists): not a typo of ours
            ("exmaple.org".to_owned(), failing(false, None)),
        ]);
        let delivered = BTreeMap::from([
            ("school.org".to_owned(), 40),
            ("example.org".to_owned(), 90),
            ("gmail.com".to_owned(), 500),
        ]);
        let t = suggest_all(&f, &delivered);
        let got: Vec<(&str, &str, &str, i64)> = t
            .iter()
            .map(|x| {
                (
                    x.domain.as_str(),
                    x.suggested.as_str(),
                    x.basis,
                    x.delivered_to_suggested,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("gmial.com", "gmail.com", "common", 500),
                ("shcool.org", "school.org", "delivered", 40),
            ]
        );
        // without deliveries to school.org there is nothing to suggest
        assert!(suggest_all(&f, &BTreeMap::new())
            .iter()
            .all(|x| x.domain != "shcool.org"));
    }
}
