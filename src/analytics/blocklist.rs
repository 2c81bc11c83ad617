//! `blocklist_events`: listing episodes per sending IP (or MTA host when
//! the IP is unknown) × list or provider signal.
//!
//! In: `events` rows with a `blocklist` or cause `ip_blocked` (outcome
//! `rejected` excluded: those are our server refusing inbound clients),
//! and the rows of `by_sending_ip` (attempts per IP × provider × period).
//! Out: one row per episode.
//!
//! Any large sender sees a listing text now and then (a small server with
//! an aggressive list, a Yahoo `TSS04` deferral on a busy hour). An episode
//! is a *jump* above that background, so each key (IP × list) is measured
//! against its own:
//! - its background rate is the lower quartile of its daily failure counts
//!   over the days of the data, spread over 24 hours (a listing that lasts
//!   less than three quarters of the days does not raise it);
//! - an hour is *active* when it holds at least [`MIN_HOURLY_FAILURES`]
//!   failures and either that many would happen by chance at the background
//!   rate with probability below [`BACKGROUND_P`] (Poisson), or they are at
//!   least [`MIN_HOURLY_SHARE`] of the IP's attempts that hour to the
//!   providers that refused (from `by_sending_ip`, spread evenly over its
//!   period) — so a listing is seen even when it fills the only day there
//!   is, on the first morning;
//! - active hours less than the episode gap apart form one episode, kept
//!   when it has at least [`MIN_EPISODE_FAILURES`] failures.
//!
//! So a real Yahoo `TSS04` burst is an episode and the same text at its
//! everyday rate is not. An episode is `open` while the newest event in the
//! data is within the gap of its last failure. Everything is recomputed
//! from all rows each run, so one that crosses a run boundary stays one.

use super::accounts::Alert;
use super::{date_column, fmt_ms, ints, scan, strs, ts_column};
use crate::classify::is_provider_signal;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Failures in one hour that can make it part of an episode.
pub const MIN_HOURLY_FAILURES: usize = 3;
/// Chance, at the key's background rate, below which an hour's failures
/// count as a jump.
pub const BACKGROUND_P: f64 = 1e-5;
/// Share of the IP's attempts to the refusing providers in an hour that
/// makes it active whatever the background.
pub const MIN_HOURLY_SHARE: f64 = 0.5;
/// Failures an episode needs to be reported.
pub const MIN_EPISODE_FAILURES: usize = 10;
/// Distinct recipient domains that make a sparse day of a key without
/// background a listing (see [`sparse_hours`]).
pub const MIN_SPARSE_DOMAINS: usize = 3;
/// The span within which a key without background needs those refusals:
/// a small sender's listing at a list few receivers use can refuse fewer
/// than [`MIN_EPISODE_FAILURES`] a day, yet keep at it for days.
pub const SPARSE_WINDOW_MS: i64 = 2 * DAY;
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// One listing failure.
#[derive(Debug, Clone)]
struct Hit {
    ts: i64,
    host: Option<String>,
    domain: Option<String>,
    provider: Option<String>,
    diagnostic: Option<String>,
    /// The sending account (SASL user, else envelope sender).
    account: Option<String>,
}

/// (sending IP or null, host when the IP is null, list).
type Key = (Option<String>, Option<String>, String);

/// One episode, ready to become a row.
#[derive(Debug, Clone)]
pub struct Episode {
    pub sending_ip: Option<String>,
    pub mta_host: Option<String>,
    pub blocklist: String,
    pub first_seen: i64,
    pub last_seen: i64,
    pub failures: usize,
    pub active_hours: usize,
    pub domains: BTreeSet<String>,
    pub providers: BTreeSet<String>,
    pub example: Option<String>,
    pub succeeded: i64,
    pub open: bool,
    /// The times of its failures per sending account.
    pub by_account: BTreeMap<String, Vec<i64>>,
}

/// Build the `blocklist_events` frame from the tables under `out`.
///
/// A provider's throttling of the mail of an account flagged in `alerts`
/// (see [`attribute`]) is no episode of the IP: it is named in that
/// account's alert reasons instead.
pub fn episodes(out: &Path, gap_ms: i64, alerts: &mut [Alert]) -> anyhow::Result<DataFrame> {
    let Some(events) = scan(out, "events")? else {
        return frame(&[]);
    };
    let span = events
        .clone()
        .select([
            col("ts").cast(DataType::Int64).min().alias("oldest"),
            col("ts").cast(DataType::Int64).max().alias("newest"),
        ])
        .collect()?;
    let oldest = ints(&span, "oldest")?
        .first()
        .copied()
        .flatten()
        .unwrap_or(0);
    let newest = ints(&span, "newest")?
        .first()
        .copied()
        .flatten()
        .unwrap_or(0);
    let hits = events
        .filter(
            (col("blocklist")
                .is_not_null()
                .or(col("cause").eq(lit("ip_blocked"))))
            .and(col("outcome").neq(lit("rejected"))),
        )
        .select([
            col("ts").cast(DataType::Int64),
            col("sending_ip"),
            col("mta_host"),
            col("blocklist").cast(DataType::String),
            col("recipient_domain"),
            col("provider").cast(DataType::String),
            col("diagnostic"),
            coalesce(&[col("sasl_user"), col("sender")])
                .cast(DataType::String)
                .alias("account"),
        ])
        .sort(["ts"], SortMultipleOptions::default())
        .collect()?;
    let (sent, attempts) = ip_rows(out)?;
    let days = (oldest.div_euclid(DAY), newest.div_euclid(DAY));
    let mut found = attribute(
        detect(group(&hits)?, gap_ms, newest, days, &attempts),
        alerts,
    );
    for e in &mut found {
        e.succeeded = succeeded_meanwhile(e, &sent);
    }
    frame(&found)
}

fn group(df: &DataFrame) -> anyhow::Result<BTreeMap<Key, Vec<Hit>>> {
    let ts = ints(df, "ts")?;
    let (ip, host, list) = (
        strs(df, "sending_ip")?,
        strs(df, "mta_host")?,
        strs(df, "blocklist")?,
    );
    let (dom, prov, diag) = (
        strs(df, "recipient_domain")?,
        strs(df, "provider")?,
        strs(df, "diagnostic")?,
    );
    let account = strs(df, "account")?;
    let mut by: BTreeMap<Key, Vec<Hit>> = BTreeMap::new();
    for i in 0..df.height() {
        let Some(t) = ts[i] else { continue };
        let key_host = if ip[i].is_some() {
            None
        } else {
            host[i].clone()
        };
        let list = list[i].clone().unwrap_or_else(|| "unnamed".to_owned());
        by.entry((ip[i].clone(), key_host, list))
            .or_default()
            .push(Hit {
                ts: t,
                host: host[i].clone(),
                domain: dom[i].clone(),
                provider: prov[i].clone(),
                diagnostic: diag[i].clone(),
                account: account[i].clone(),
            });
    }
    Ok(by)
}

/// The background rate of a key in failures per hour: the lower quartile
/// of its daily counts over the days `days` (first, last; day numbers).
fn background_per_hour(hits: &[Hit], days: (i64, i64)) -> f64 {
    let n = (days.1 - days.0 + 1).clamp(1, 100_000) as usize;
    let mut per_day = vec![0usize; n];
    for h in hits {
        let d = h.ts.div_euclid(DAY) - days.0;
        if (0..n as i64).contains(&d) {
            per_day[d as usize] += 1;
        }
    }
    per_day.sort_unstable();
    per_day[(n - 1) / 4] as f64 / 24.0
}

/// The smallest count `k` with P(X ≥ k) < `p` for X ~ Poisson(`lambda`).
fn poisson_threshold(lambda: f64, p: f64) -> usize {
    if lambda <= 0.0 {
        return 1;
    }
    if lambda > 200.0 {
        // normal approximation; z(1e-5) ≈ 4.27
        return (lambda + 4.5 * lambda.sqrt()).ceil() as usize + 1;
    }
    let (mut term, mut k) = ((-lambda).exp(), 0usize);
    let mut cdf = term;
    while 1.0 - cdf >= p && k < 10_000 {
        k += 1;
        term *= lambda / k as f64;
        cdf += term;
    }
    k + 1
}

/// Split each key's hits (sorted by time) into episodes. `days`: the first
/// and last day of the data; `attempts`: the IPs' attempts per provider and
/// period.
fn detect(
    by: BTreeMap<Key, Vec<Hit>>,
    gap_ms: i64,
    newest: i64,
    days: (i64, i64),
    attempts: &Attempts,
) -> Vec<Episode> {
    let mut out = Vec::new();
    for ((ip, host, list), hits) in by {
        let background = background_per_hour(&hits, days);
        let need = poisson_threshold(background, BACKGROUND_P).max(MIN_HOURLY_FAILURES);
        let mut per_hour: BTreeMap<i64, (usize, BTreeSet<&str>)> = BTreeMap::new();
        for h in &hits {
            let e = per_hour.entry(h.ts.div_euclid(HOUR)).or_default();
            e.0 += 1;
            e.1.insert(h.provider.as_deref().unwrap_or(""));
        }
        let mut active: Vec<i64> = per_hour
            .iter()
            .filter(|(h, (n, providers))| {
                *n >= MIN_HOURLY_FAILURES
                    && (*n >= need
                        || ip.as_deref().is_some_and(|ip| {
                            let expected: f64 = providers
                                .iter()
                                .map(|p| expected_attempts(attempts, ip, p, **h))
                                .sum();
                            expected > 0.0 && *n as f64 >= MIN_HOURLY_SHARE * expected
                        }))
            })
            .map(|(h, _)| *h)
            .collect();
        if background == 0.0 {
            let dense: BTreeSet<i64> = active.iter().copied().collect();
            active.extend(sparse_hours(&hits, &dense));
            active.sort_unstable();
            active.dedup();
        }
        for run in split_runs(&active, gap_ms) {
            let (from, to) = (run[0] * HOUR, (run[run.len() - 1] + 1) * HOUR);
            let inside: Vec<&Hit> = hits.iter().filter(|h| (from..to).contains(&h.ts)).collect();
            if inside.len() < MIN_EPISODE_FAILURES {
                continue;
            }
            let last_seen = inside[inside.len() - 1].ts;
            let mut by_account: BTreeMap<String, Vec<i64>> = BTreeMap::new();
            for h in &inside {
                if let Some(a) = &h.account {
                    by_account.entry(a.clone()).or_default().push(h.ts);
                }
            }
            out.push(Episode {
                sending_ip: ip.clone(),
                mta_host: host.clone().or_else(|| inside[0].host.clone()),
                blocklist: list.clone(),
                first_seen: inside[0].ts,
                last_seen,
                failures: inside.len(),
                active_hours: run.len(),
                domains: inside.iter().filter_map(|h| h.domain.clone()).collect(),
                providers: inside.iter().filter_map(|h| h.provider.clone()).collect(),
                example: inside.iter().find_map(|h| h.diagnostic.clone()),
                succeeded: 0,
                open: newest - last_seen <= gap_ms,
                by_account,
            });
        }
    }
    out.sort_by(|a, b| (a.first_seen, &a.sending_ip).cmp(&(b.first_seen, &b.sending_ip)));
    out
}

/// Share of an episode's failures that one alerted account's own mail, in
/// its alert periods, must make up for the episode to be that account's
/// doing rather than a listing of the IP.
pub const ATTRIBUTED_SHARE: f64 = 0.8;

/// Take out of `eps` the episodes a taken-over account caused and name them
/// in its alerts.
///
/// A takeover's spray is most of what an IP sends while it lasts, so Gmail
/// `4.7.28`, Yahoo `TSS04` or Microsoft throttle it, and nearly every
/// refusal is the account's own mail. That is the account's doing, already
/// in its alert (the rate-limit/blocklist burst), and not a listing of the
/// IP: the episode is dropped and the alert period that holds its failures
/// gets a reason naming the IP, the signal and the count. Only provider
/// signals (and refusals naming no list) are attributed: a public list
/// (Spamhaus, Barracuda, …) has listed the IP itself and needs a delisting
/// whoever caused it, and once a provider's throttling refuses other
/// accounts' mail too, their share keeps the episode in the table.
fn attribute(eps: Vec<Episode>, alerts: &mut [Alert]) -> Vec<Episode> {
    // per account: its alert periods (start, end, index in `alerts`)
    let mut periods: HashMap<String, Vec<(i64, i64, usize)>> = HashMap::new();
    for (i, a) in alerts.iter().enumerate() {
        let start = a.period_start;
        periods.entry(a.account.clone()).or_default().push((
            start,
            start + a.stats.period_len.max(1),
            i,
        ));
    }
    // per alert: (who, signal, failures)
    let mut notes: BTreeMap<usize, Vec<(String, String, usize)>> = BTreeMap::new();
    let kept = eps
        .into_iter()
        .filter(|e| {
            if !(is_provider_signal(&e.blocklist) || e.blocklist == "unnamed") {
                return true;
            }
            for (account, times) in &e.by_account {
                let Some(own_periods) = periods.get(account) else {
                    continue;
                };
                let mut per_alert: BTreeMap<usize, usize> = BTreeMap::new();
                for t in times {
                    if let Some(&(_, _, i)) = own_periods
                        .iter()
                        .find(|(s, end, _)| (*s..*end).contains(t))
                    {
                        *per_alert.entry(i).or_default() += 1;
                    }
                }
                let own: usize = per_alert.values().sum();
                if own as f64 >= ATTRIBUTED_SHARE * e.failures as f64 {
                    let who = match (&e.sending_ip, &e.mta_host) {
                        (Some(ip), _) => ip.clone(),
                        (None, Some(h)) => format!("host {h}"),
                        (None, None) => "an unknown IP".to_owned(),
                    };
                    for (i, n) in per_alert {
                        notes
                            .entry(i)
                            .or_default()
                            .push((who.clone(), e.blocklist.clone(), n));
                    }
                    return false;
                }
            }
            true
        })
        .collect();
    for (i, mut v) in notes {
        v.sort();
        let mut by_who: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (who, list, n) in &v {
            by_who
                .entry(who.as_str())
                .or_default()
                .push(format!("{list} {n}"));
        }
        for (who, parts) in by_who {
            alerts[i].reasons.push(format!(
                "throttling its mail caused on {who}: {} refusals (not counted as blocklist episodes)",
                parts.join(", ")
            ));
        }
    }
    kept
}

/// Attempts (all outcomes) from an IP in hour `hour` (hour number) to
/// provider `provider` ("" for none), spreading each period's count evenly.
fn expected_attempts(a: &Attempts, ip: &str, provider: &str, hour: i64) -> f64 {
    let Some(periods) = a.get(&(ip.to_owned(), provider.to_owned())) else {
        return 0.0;
    };
    let t = hour * HOUR;
    periods
        .range(t - DAY + 1..=t)
        .filter(|(start, (len, _))| **start + *len > t)
        .map(|(_, (len, n))| *n as f64 * HOUR as f64 / *len as f64)
        .sum()
}

/// For a key that has no background (no such refusal on most days): the
/// hours of any [`SPARSE_WINDOW_MS`] that hold [`MIN_EPISODE_FAILURES`] of its hits
/// (sorted by time) from [`MIN_SPARSE_DOMAINS`] recipient domains or more,
/// not counting the hits of hours already active (`dense`: so the strays
/// after a dense listing do not ride on it).
/// A list that only some receivers use refuses a few times an hour at most
/// (a SpamCop listing of a small sender: a dozen refusals over a working
/// day from the handful of servers that use it), never the
/// [`MIN_HOURLY_FAILURES`] of one hour, yet so many from several servers in
/// two days is no everyday stray.
fn sparse_hours(hits: &[Hit], dense: &BTreeSet<i64>) -> BTreeSet<i64> {
    let hits: Vec<&Hit> = hits
        .iter()
        .filter(|h| !dense.contains(&h.ts.div_euclid(HOUR)))
        .collect();
    let mut out = BTreeSet::new();
    // a sliding window with its domains counted as it moves, and
    // each hit marked once: linear in the hits however many there are
    let mut domains: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut j, mut marked) = (0, 0);
    for i in 0..hits.len() {
        if let Some(d) = hits[i].domain.as_deref() {
            *domains.entry(d).or_default() += 1;
        }
        while hits[i].ts - hits[j].ts >= SPARSE_WINDOW_MS {
            if let Some(d) = hits[j].domain.as_deref() {
                if let Some(n) = domains.get_mut(d) {
                    *n -= 1;
                    if *n == 0 {
                        domains.remove(d);
                    }
                }
            }
            j += 1;
        }
        if i + 1 - j >= MIN_EPISODE_FAILURES && domains.len() >= MIN_SPARSE_DOMAINS {
            let from = j.max(marked);
            out.extend(hits[from..=i].iter().map(|h| h.ts.div_euclid(HOUR)));
            marked = i + 1;
        }
    }
    out
}

/// Active hours (sorted) split where the quiet time between two exceeds
/// the gap.
fn split_runs(active: &[i64], gap_ms: i64) -> Vec<Vec<i64>> {
    let mut runs: Vec<Vec<i64>> = Vec::new();
    for &h in active {
        match runs.last_mut() {
            Some(r) if (h - r[r.len() - 1] - 1) * HOUR <= gap_ms => r.push(h),
            _ => runs.push(vec![h]),
        }
    }
    runs
}

/// `sent` rows of `by_sending_ip`: (sending_ip, provider, period start,
/// period length, attempts).
type Sent = Vec<(String, String, i64, i64, i64)>;

/// (sending_ip, provider or "") -> period start -> (period length,
/// attempts of every outcome).
type Attempts = HashMap<(String, String), BTreeMap<i64, (i64, i64)>>;

fn ip_rows(out: &Path) -> anyhow::Result<(Sent, Attempts)> {
    let Some(lf) = scan(out, "by_sending_ip")? else {
        return Ok(Default::default());
    };
    let df = lf
        .filter(col("sending_ip").is_not_null())
        .select([
            col("sending_ip"),
            col("provider").cast(DataType::String),
            col("outcome").cast(DataType::String),
            col("period_start").cast(DataType::Int64),
            col("period").cast(DataType::String),
            col("attempts").cast(DataType::Int64),
        ])
        .collect()?;
    let (ip, prov, per, outcome) = (
        strs(&df, "sending_ip")?,
        strs(&df, "provider")?,
        strs(&df, "period")?,
        strs(&df, "outcome")?,
    );
    let (start, n) = (ints(&df, "period_start")?, ints(&df, "attempts")?);
    let (mut sent, mut attempts) = (Sent::new(), Attempts::new());
    for i in 0..df.height() {
        let (Some(ip), Some(start)) = (&ip[i], start[i]) else {
            continue;
        };
        let len = if per[i].as_deref() == Some("hour") {
            HOUR
        } else {
            DAY
        };
        let n = n[i].unwrap_or(0);
        let p = prov[i].clone().unwrap_or_default();
        let e = attempts
            .entry((ip.clone(), p.clone()))
            .or_default()
            .entry(start)
            .or_insert((len, 0));
        e.1 += n;
        if outcome[i].as_deref() == Some("sent") && !p.is_empty() {
            sent.push((ip.clone(), p, start, len, n));
        }
    }
    Ok((sent, attempts))
}

/// Deliveries from the same IP to the episode's providers that still
/// succeeded in the periods the episode overlaps.
fn succeeded_meanwhile(e: &Episode, sent: &Sent) -> i64 {
    let Some(ip) = &e.sending_ip else { return 0 };
    sent.iter()
        .filter(|(i, p, start, len, _)| {
            i == ip
                && e.providers.contains(p)
                && *start <= e.last_seen
                && start + len > e.first_seen
        })
        .map(|r| r.4)
        .sum()
}

fn frame(eps: &[Episode]) -> anyhow::Result<DataFrame> {
    let s = |f: &dyn Fn(&Episode) -> Option<String>| eps.iter().map(f).collect::<Vec<_>>();
    let id = s(&|e| {
        Some(format!(
            "{}|{}|{}",
            e.sending_ip
                .clone()
                .or_else(|| e.mta_host.clone().map(|h| format!("host:{h}")))
                .unwrap_or_default(),
            e.blocklist,
            fmt_ms(e.first_seen)
        ))
    });
    let first: Vec<i64> = eps.iter().map(|e| e.first_seen).collect();
    let cols = vec![
        date_column("date", &first),
        Column::new("episode_id".into(), id),
        Column::new("sending_ip".into(), s(&|e| e.sending_ip.clone())),
        Column::new("mta_host".into(), s(&|e| e.mta_host.clone())),
        Column::new("blocklist".into(), s(&|e| Some(e.blocklist.clone()))),
        ts_column("first_seen", first.iter().map(|t| Some(*t)).collect()),
        ts_column("last_seen", eps.iter().map(|e| Some(e.last_seen)).collect()),
        Column::new(
            "hours".into(),
            eps.iter()
                .map(|e| ((e.last_seen - e.first_seen) as f64 / HOUR as f64 * 10.0).round() / 10.0)
                .collect::<Vec<f64>>(),
        ),
        Column::new(
            "active_hours".into(),
            eps.iter()
                .map(|e| e.active_hours as i64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "failures".into(),
            eps.iter().map(|e| e.failures as i64).collect::<Vec<_>>(),
        ),
        Column::new(
            "succeeded_meanwhile".into(),
            eps.iter().map(|e| e.succeeded).collect::<Vec<_>>(),
        ),
        Column::new(
            "failure_share".into(),
            eps.iter()
                .map(|e| {
                    let f = e.failures as f64;
                    (f / (f + e.succeeded as f64) * 1000.0).round() / 1000.0
                })
                .collect::<Vec<f64>>(),
        ),
        Column::new(
            "recipient_domains".into(),
            eps.iter()
                .map(|e| e.domains.len() as i64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "recipient_domain_list".into(),
            s(&|e| Some(joined(&e.domains, 20))),
        ),
        Column::new("providers".into(), s(&|e| Some(joined(&e.providers, 20)))),
        Column::new("example_diagnostic".into(), s(&|e| e.example.clone())),
        Column::new(
            "status".into(),
            s(&|e| Some(if e.open { "open" } else { "closed" }.to_owned())),
        ),
    ];
    Ok(DataFrame::new(eps.len(), cols)?)
}

fn joined(set: &BTreeSet<String>, max: usize) -> String {
    let mut s: Vec<&str> = set.iter().take(max).map(String::as_str).collect();
    if set.len() > max {
        s.push("…");
    }
    s.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(ts: i64) -> Hit {
        Hit {
            ts,
            host: Some("mx1".into()),
            domain: Some("gmail.com".into()),
            provider: Some("google".into()),
            diagnostic: Some("blocked using zen.spamhaus.org".into()),
            account: None,
        }
    }

    /// Recipient domains of the sparse-listing tests.
    const DOMS: [&str; 4] = ["a.example", "b.example", "c.example", "d.example"];

    /// A hit at `ts` for mail to `domain`.
    fn hit_to(ts: i64, domain: &str) -> Hit {
        Hit {
            domain: Some(domain.into()),
            ..hit(ts)
        }
    }

    #[test]
    fn dense_hours_form_episodes_and_gaps_split_them() {
        let key: Key = (Some("192.0.2.10".into()), None, "spamhaus".into());
        let mut hits = Vec::new();
        // hours 10..14 dense, stray hits at hour 40, dense again at hour 100
        for h in (10..14).chain(100..103) {
            for m in 0..4 {
                hits.push(hit(h * HOUR + m * 60_000));
            }
        }
        hits.push(hit(40 * HOUR));
        hits.sort_by_key(|h| h.ts);
        let by = BTreeMap::from([(key, hits)]);
        let eps = detect(by, 24 * HOUR, 103 * HOUR, (0, 4), &Attempts::new());
        assert_eq!(eps.len(), 2);
        assert_eq!(eps[0].first_seen, 10 * HOUR);
        assert_eq!(eps[0].failures, 16);
        assert!(!eps[0].open);
        assert_eq!(eps[1].first_seen, 100 * HOUR);
        assert!(eps[1].open);
    }

    #[test]
    fn sparse_noise_is_no_episode() {
        let key: Key = (Some("192.0.2.10".into()), None, "spamhaus".into());
        let hits: Vec<Hit> = (0..50).map(|i| hit(i * 5 * HOUR)).collect();
        assert!(detect(
            BTreeMap::from([(key, hits)]),
            24 * HOUR,
            0,
            (0, 10),
            &Attempts::new()
        )
        .is_empty());
    }

    #[test]
    fn background_bursts_are_no_episode_but_a_jump_is() {
        let key: Key = (Some("192.0.2.10".into()), None, "yahoo".into());
        let mut hits = Vec::new();
        // ten days of a steady background, 2 an hour
        for h in 0..240 {
            hits.push(hit(h * HOUR));
            hits.push(hit(h * HOUR + 1_800_000));
        }
        // a chance bunch of 6 in one hour: not a jump over 2 an hour
        for m in 0..4 {
            hits.push(hit(50 * HOUR + 60_000 + m * 60_000));
        }
        // a listing: 30 an hour for 5 hours
        for h in 150..155 {
            for m in 0..28 {
                hits.push(hit(h * HOUR + 100_000 + m * 60_000));
            }
        }
        hits.sort_by_key(|h| h.ts);
        let by = BTreeMap::from([(key, hits)]);
        let eps = detect(by, 6 * HOUR, 240 * HOUR, (0, 9), &Attempts::new());
        assert_eq!(eps.len(), 1, "{eps:?}");
        assert_eq!(eps[0].first_seen, 150 * HOUR);
        assert_eq!(eps[0].failures, 5 * 30);
    }

    #[test]
    fn a_listing_that_fills_the_only_day_is_seen_through_its_share() {
        let key: Key = (Some("192.0.2.10".into()), None, "spamhaus".into());
        let hits: Vec<Hit> = (0..24 * 20).map(|i| hit(i * 180_000)).collect();
        let by = BTreeMap::from([(key, hits)]);
        // against its own day only, 20 an hour is the background
        assert!(detect(by.clone(), 24 * HOUR, DAY, (0, 0), &Attempts::new()).is_empty());
        // but the IP made 500 attempts to google that day: 96% refused
        let attempts = Attempts::from([(
            ("192.0.2.10".to_owned(), "google".to_owned()),
            BTreeMap::from([(0, (DAY, 500))]),
        )]);
        let eps = detect(by, 24 * HOUR, DAY, (0, 0), &attempts);
        assert_eq!(eps.len(), 1, "{eps:?}");
        assert_eq!(eps[0].failures, 480);
    }

    #[test]
    fn a_sparse_day_from_several_servers_is_a_listing() {
        let key: Key = (Some("192.0.2.10".into()), None, "spamcop".into());
        // twelve refusals over a working day, never more than two an hour
        let mut hits: Vec<Hit> = (0..12)
            .map(|i| hit_to(5 * DAY + 7 * HOUR + i * 50 * 60_000, DOMS[i as usize % 4]))
            .collect();
        // and on another day twelve from one server only: not enough servers
        hits.extend((0..12).map(|i| hit_to(8 * DAY + 7 * HOUR + i * 50 * 60_000, DOMS[0])));
        let by = BTreeMap::from([(key, hits)]);
        let eps = detect(by, 24 * HOUR, 10 * DAY, (0, 9), &Attempts::new());
        assert_eq!(eps.len(), 1, "{eps:?}");
        assert_eq!(eps[0].first_seen, 5 * DAY + 7 * HOUR);
        assert_eq!(eps[0].failures, 12);
    }

    #[test]
    fn a_sparse_listing_over_two_days_is_one_and_scattered_strays_are_not() {
        let key: Key = (Some("192.0.2.10".into()), None, "barracuda".into());
        // 6 refusals a day for two days: never 10 within 24 hours
        let listing: Vec<Hit> = (0..12)
            .map(|i| {
                hit_to(
                    5 * DAY + (i / 6) * DAY + 8 * HOUR + (i % 6) * HOUR,
                    DOMS[i as usize % 4],
                )
            })
            .collect();
        let by = BTreeMap::from([(key.clone(), listing)]);
        let eps = detect(by, 24 * HOUR, 10 * DAY, (0, 9), &Attempts::new());
        assert_eq!(eps.len(), 1, "{eps:?}");
        assert_eq!(eps[0].first_seen, 5 * DAY + 8 * HOUR);
        assert_eq!(eps[0].failures, 12);
        // 12 strays, one every 20 hours: never 10 within two days
        let strays: Vec<Hit> = (0..12)
            .map(|i| hit_to(i * 20 * HOUR, DOMS[i as usize % 4]))
            .collect();
        let by = BTreeMap::from([(key, strays)]);
        assert!(detect(by, 24 * HOUR, 10 * DAY, (0, 9), &Attempts::new()).is_empty());
    }

    fn alert(account: &str, day: i64) -> Alert {
        Alert {
            account: account.into(),
            period_start: day * DAY,
            stats: super::super::accounts::Stats {
                period_len: DAY,
                ..Default::default()
            },
            new_networks: Vec::new(),
            own_median: None,
            peer_median: 1.0,
            history: 10,
            score: 5,
            reasons: vec!["recipients 900 vs own median 9 (100x)".into()],
        }
    }

    /// An episode on 192.0.2.1 of `list`: (account, failures) on day 10.
    fn episode_of(list: &str, mail: &[(&str, usize)]) -> Episode {
        let mut by_account: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (acc, n) in mail {
            by_account.insert(
                (*acc).into(),
                (0..*n as i64)
                    .map(|i| 10 * DAY + 3 * HOUR + i * 60_000)
                    .collect(),
            );
        }
        Episode {
            sending_ip: Some("192.0.2.1".into()),
            mta_host: None,
            blocklist: list.into(),
            first_seen: 10 * DAY + 3 * HOUR,
            last_seen: 10 * DAY + 9 * HOUR,
            failures: mail.iter().map(|m| m.1).sum(),
            active_hours: 6,
            domains: BTreeSet::new(),
            providers: BTreeSet::new(),
            example: None,
            succeeded: 0,
            open: false,
            by_account,
        }
    }

    #[test]
    fn throttling_a_takeover_caused_goes_into_its_alert() {
        let mut alerts = vec![alert("mallory@x.example", 10), alert("bob@x.example", 3)];
        let eps = vec![
            // nearly all the spray of the alerted account: its doing
            episode_of("gmail", &[("mallory@x.example", 95), ("ann@x.example", 5)]),
            episode_of("yahoo", &[("mallory@x.example", 40)]),
            // a public list has listed the IP whoever caused it
            episode_of("spamhaus", &[("mallory@x.example", 60)]),
            // the provider refuses everyone's mail: a listing of the IP
            episode_of(
                "microsoft",
                &[("mallory@x.example", 50), ("ann@x.example", 50)],
            ),
            // an account whose alert is another day caused nothing here
            episode_of("gmail", &[("bob@x.example", 30)]),
        ];
        let kept = attribute(eps, &mut alerts);
        let kept: Vec<(&str, usize)> = kept
            .iter()
            .map(|e| (e.blocklist.as_str(), e.failures))
            .collect();
        assert_eq!(kept, [("spamhaus", 60), ("microsoft", 100), ("gmail", 30)]);
        assert_eq!(
            alerts[0].reasons.last().unwrap(),
            "throttling its mail caused on 192.0.2.1: gmail 95, yahoo 40 refusals \
             (not counted as blocklist episodes)"
        );
        assert_eq!(alerts[1].reasons.len(), 1, "{:?}", alerts[1].reasons);
    }

    #[test]
    fn poisson_thresholds() {
        assert_eq!(poisson_threshold(0.0, 1e-5), 1);
        assert_eq!(poisson_threshold(0.2, 1e-5), 5);
        assert_eq!(poisson_threshold(2.0, 1e-5), 11);
        let big = poisson_threshold(400.0, 1e-5);
        assert!((480..=500).contains(&big), "{big}");
    }

    #[test]
    fn runs_split_on_gap() {
        assert_eq!(
            split_runs(&[1, 2, 30, 31], 24 * HOUR),
            vec![vec![1, 2], vec![30, 31]]
        );
        assert_eq!(split_runs(&[1, 20], 24 * HOUR), vec![vec![1, 20]]);
    }
}
