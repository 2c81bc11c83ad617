//! `bouncelens report`: the last period at a glance, on the terminal and
//! optionally as one self-contained HTML file (inline SVG charts, no
//! scripts, nothing fetched from the network).
//!
//! In: `by_domain`, `by_sending_ip`, `blocklist_events`, `account_alerts`,
//! `typo_domains` and (for the episodes that coincide with an account
//! alert) `events` under `--out`. Out: text on stdout; `--html FILE`.
//!
//! Failures by cause, per provider and by domain are *outbound* delivery
//! failures. Our own server's refusals of inbound SMTP (`outcome =
//! 'rejected'`: Postfix `NOQUEUE: reject`, `milter-reject`, postscreen;
//! Exim `rejected RCPT`; Sendmail `reject=`) are counted apart, by cause:
//! on a host that is also the MX they would otherwise swamp the delivery
//! failures and put our own domains at the top of the failing domains.

use crate::analytics::{fmt_ms, scan};
use crate::cli::ReportArgs;
use anyhow::Context;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// Everything the report shows, read once.
#[derive(Debug, Default)]
pub struct Data {
    /// Period starts (ms), ascending.
    pub periods: Vec<i64>,
    /// (period, cause) -> outbound delivery failures.
    pub by_cause: BTreeMap<(i64, String), i64>,
    /// (period, domain) -> outbound (failures, attempts).
    pub by_domain: BTreeMap<(i64, String), (i64, i64)>,
    /// (period, provider) -> outbound (failures, attempts).
    pub by_provider: BTreeMap<(i64, String), (i64, i64)>,
    /// (period, cause) -> inbound SMTP refused by our own server
    /// (`outcome = 'rejected'`).
    pub inbound: BTreeMap<(i64, String), i64>,
    pub episodes: Vec<EpisodeRow>,
    pub alerts: Vec<AlertRow>,
    pub typos: Vec<TypoRow>,
}

#[derive(Debug, Clone)]
pub struct TypoRow {
    pub domain: String,
    pub suggested: String,
    pub basis: String,
    pub failures: i64,
    pub last_seen: i64,
}

#[derive(Debug, Clone)]
pub struct EpisodeRow {
    pub who: String,
    pub blocklist: String,
    pub first_seen: i64,
    pub last_seen: i64,
    pub failures: i64,
    pub domains: i64,
    pub providers: String,
    pub share: f64,
    pub status: String,
    pub example: String,
    /// Account alerts this episode coincides with: the alerted account's
    /// own mail was refused with this signal from this IP (or host) during
    /// the alert's period.
    pub during: Vec<Coincidence>,
}

/// An account alert that a blocklist episode coincides with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coincidence {
    pub account: String,
    /// Start of the first and of the last alert period that overlap.
    pub first_period: i64,
    pub last_period: i64,
    /// The episode's failures that were this account's mail in its alert
    /// periods.
    pub failures: i64,
}

#[derive(Debug, Clone)]
pub struct AlertRow {
    pub period_start: i64,
    /// Length of the period in ms (an hour or a day).
    pub period_len: i64,
    pub account: String,
    pub score: i64,
    pub reasons: String,
}

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.out.is_dir(),
        "no tables directory at {}",
        args.out.display()
    );
    let data = load(&args.out)?;
    print!("{}", render_text(&data, &args.out));
    if let Some(path) = &args.html {
        let html = render_html(&data, &args.out);
        std::fs::write(path, html).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("bouncelens: wrote {}", path.display());
    }
    Ok(())
}

fn col_i64(df: &DataFrame, name: &str) -> anyhow::Result<Vec<Option<i64>>> {
    let c = df.column(name)?.cast(&DataType::Int64)?;
    Ok(c.i64()?.iter().collect())
}

fn col_f64(df: &DataFrame, name: &str) -> anyhow::Result<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?.iter().collect())
}

fn col_str(df: &DataFrame, name: &str) -> anyhow::Result<Vec<String>> {
    let c = df.column(name)?.cast(&DataType::String)?;
    Ok(c.str()?
        .iter()
        .map(|s| s.unwrap_or("").to_owned())
        .collect())
}

/// Which rows of an aggregate table [`sums`] adds up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// Delivery attempts (sent and failed): everything but `rejected`.
    Outbound,
    /// Our own server's refusals of inbound SMTP: `rejected`.
    Inbound,
}

/// (period, key, failures, attempts) per period × key of an aggregate table.
fn sums(
    out: &Path,
    table: &str,
    key: &str,
    rows: Rows,
) -> anyhow::Result<Vec<(i64, String, i64, i64)>> {
    let Some(lf) = scan(out, table)? else {
        return Ok(Vec::new());
    };
    let rejected = col("outcome").cast(DataType::String).eq(lit("rejected"));
    let df = lf
        .filter(if rows == Rows::Inbound {
            rejected
        } else {
            rejected.not()
        })
        .with_column(
            when(col("outcome").cast(DataType::String).eq(lit("sent")))
                .then(lit(0i64))
                .otherwise(col("attempts").cast(DataType::Int64))
                .alias("failures"),
        )
        .group_by([col("period_start"), col(key).cast(DataType::String)])
        .agg([
            col("failures").sum(),
            col("attempts").cast(DataType::Int64).sum(),
        ])
        .collect()?;
    let (p, k) = (col_i64(&df, "period_start")?, col_str(&df, key)?);
    let (f, a) = (col_i64(&df, "failures")?, col_i64(&df, "attempts")?);
    Ok((0..df.height())
        .filter_map(|i| Some((p[i]?, k[i].clone(), f[i].unwrap_or(0), a[i].unwrap_or(0))))
        .collect())
}

pub fn load(out: &Path) -> anyhow::Result<Data> {
    let mut d = Data::default();
    let mut periods = BTreeSet::new();
    for (p, cause, f, _) in sums(out, "by_domain", "cause", Rows::Outbound)? {
        periods.insert(p);
        if f > 0 {
            *d.by_cause.entry((p, cause)).or_default() += f;
        }
    }
    for (p, cause, f, _) in sums(out, "by_domain", "cause", Rows::Inbound)? {
        periods.insert(p);
        if f > 0 {
            *d.inbound.entry((p, cause)).or_default() += f;
        }
    }
    for (p, dom, f, a) in sums(out, "by_domain", "recipient_domain", Rows::Outbound)? {
        let e = d.by_domain.entry((p, dom)).or_default();
        e.0 += f;
        e.1 += a;
    }
    for (p, prov, f, a) in sums(out, "by_sending_ip", "provider", Rows::Outbound)? {
        let prov = if prov.is_empty() {
            "(no provider)".to_owned()
        } else {
            prov
        };
        let e = d.by_provider.entry((p, prov)).or_default();
        e.0 += f;
        e.1 += a;
    }
    d.periods = periods.into_iter().collect();
    if let Some(lf) = scan(out, crate::analytics::BLOCKLIST_EVENTS)? {
        let df = lf.collect()?;
        let (ip, host, list) = (
            col_str(&df, "sending_ip")?,
            col_str(&df, "mta_host")?,
            col_str(&df, "blocklist")?,
        );
        let (fs, ls) = (col_i64(&df, "first_seen")?, col_i64(&df, "last_seen")?);
        let (n, doms) = (
            col_i64(&df, "failures")?,
            col_i64(&df, "recipient_domains")?,
        );
        let (prov, st, ex) = (
            col_str(&df, "providers")?,
            col_str(&df, "status")?,
            col_str(&df, "example_diagnostic")?,
        );
        let share = col_f64(&df, "failure_share")?;
        for i in 0..df.height() {
            d.episodes.push(EpisodeRow {
                who: who(&ip[i], &host[i]),
                blocklist: list[i].clone(),
                first_seen: fs[i].unwrap_or(0),
                last_seen: ls[i].unwrap_or(0),
                failures: n[i].unwrap_or(0),
                domains: doms[i].unwrap_or(0),
                providers: prov[i].clone(),
                share: share[i].unwrap_or(0.0),
                status: st[i].clone(),
                example: ex[i].clone(),
                during: Vec::new(),
            });
        }
    }
    if let Some(lf) = scan(out, crate::analytics::ACCOUNT_ALERTS)? {
        let df = lf.collect()?;
        let (p, acc, sc, why) = (
            col_i64(&df, "period_start")?,
            col_str(&df, "account")?,
            col_i64(&df, "score")?,
            col_str(&df, "reasons")?,
        );
        let per = col_str(&df, "period")?;
        for i in 0..df.height() {
            d.alerts.push(AlertRow {
                period_start: p[i].unwrap_or(0),
                period_len: if per[i] == "hour" {
                    3_600_000
                } else {
                    86_400_000
                },
                account: acc[i].clone(),
                score: sc[i].unwrap_or(0),
                reasons: why[i].clone(),
            });
        }
    }
    if let Some(lf) = scan(out, crate::analytics::TYPO_DOMAINS)? {
        let df = lf.collect()?;
        let (dom, sug, basis) = (
            col_str(&df, "recipient_domain")?,
            col_str(&df, "suggested_domain")?,
            col_str(&df, "basis")?,
        );
        let (n, ls) = (col_i64(&df, "failures")?, col_i64(&df, "last_seen")?);
        for i in 0..df.height() {
            d.typos.push(TypoRow {
                domain: dom[i].clone(),
                suggested: sug[i].clone(),
                basis: basis[i].clone(),
                failures: n[i].unwrap_or(0),
                last_seen: ls[i].unwrap_or(0),
            });
        }
        d.typos
            .sort_by(|a, b| b.failures.cmp(&a.failures).then(a.domain.cmp(&b.domain)));
    }
    d.episodes.sort_by_key(|e| std::cmp::Reverse(e.first_seen));
    d.alerts.sort_by_key(|a| std::cmp::Reverse(a.period_start));
    if !d.episodes.is_empty() && !d.alerts.is_empty() {
        let hits = alerted_listing_hits(out, &d.alerts)?;
        link_episodes(&mut d.episodes, &d.alerts, &hits);
    }
    Ok(d)
}

/// An episode's sending IP, or `host H` when the IP is unknown (as
/// [`EpisodeRow::who`] and the hits linked to it both spell it).
fn who(ip: &str, host: &str) -> String {
    if ip.is_empty() {
        format!("host {host}")
    } else {
        ip.to_owned()
    }
}

/// One listing failure of an alerted account's mail: (account, sending IP
/// or `host H` as in [`EpisodeRow::who`], list, ts).
type Hit = (String, String, String, i64);

/// The failures with a listing signal (as `blocklist_events` counts them:
/// a `blocklist` or cause `ip_blocked`, inbound rejects left out) of the
/// accounts that have alerts.
fn alerted_listing_hits(out: &Path, alerts: &[AlertRow]) -> anyhow::Result<Vec<Hit>> {
    let Some(lf) = scan(out, "events")? else {
        return Ok(Vec::new());
    };
    let accounts: BTreeSet<&str> = alerts.iter().map(|a| a.account.as_str()).collect();
    let accounts = DataFrame::new(
        accounts.len(),
        vec![Column::new(
            "account".into(),
            accounts.into_iter().collect::<Vec<_>>(),
        )],
    )?;
    let df = lf
        .filter(
            (col("blocklist")
                .is_not_null()
                .or(col("cause").cast(DataType::String).eq(lit("ip_blocked"))))
            .and(col("outcome").cast(DataType::String).neq(lit("rejected"))),
        )
        .select([
            coalesce(&[col("sasl_user"), col("sender")])
                .cast(DataType::String)
                .alias("account"),
            col("sending_ip").cast(DataType::String),
            col("mta_host").cast(DataType::String),
            col("blocklist").cast(DataType::String),
            col("ts").cast(DataType::Int64),
        ])
        .join(
            accounts.lazy(),
            [col("account")],
            [col("account")],
            JoinArgs::new(JoinType::Semi),
        )
        .collect()?;
    let (acc, ip, host, list) = (
        col_str(&df, "account")?,
        col_str(&df, "sending_ip")?,
        col_str(&df, "mta_host")?,
        col_str(&df, "blocklist")?,
    );
    let ts = col_i64(&df, "ts")?;
    Ok((0..df.height())
        .filter_map(|i| {
            let who = who(&ip[i], &host[i]);
            let list = if list[i].is_empty() {
                "unnamed".to_owned()
            } else {
                list[i].clone()
            };
            Some((acc[i].clone(), who, list, ts[i]?))
        })
        .collect())
}

/// Share of an episode's failures an alerted account's mail must make up
/// (and at least [`MIN_LINKED_FAILURES`]) to be named next to it: a
/// takeover's spray is most of the throttling it causes; one stray refusal
/// of the account in a big listing is no link.
pub const MIN_LINKED_SHARE: f64 = 0.05;
pub const MIN_LINKED_FAILURES: i64 = 3;

/// Fill [`EpisodeRow::during`]: the alerted accounts whose own mail was
/// refused in the episode (same sending IP or host, same list, within its
/// span) during one of the account's alert periods.
pub fn link_episodes(episodes: &mut [EpisodeRow], alerts: &[AlertRow], hits: &[Hit]) {
    let mut periods: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
    for a in alerts {
        periods
            .entry(a.account.as_str())
            .or_default()
            .push((a.period_start, a.period_start + a.period_len.max(1)));
    }
    for e in episodes.iter_mut() {
        // account -> (first period, last period, failures)
        let mut m: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
        for (acc, who, list, ts) in hits {
            if *who != e.who || *list != e.blocklist || !(e.first_seen..=e.last_seen).contains(ts) {
                continue;
            }
            let Some(ps) = periods.get(acc.as_str()) else {
                continue;
            };
            if let Some(&(p0, _)) = ps.iter().find(|(p0, p1)| (*p0..*p1).contains(ts)) {
                let x = m.entry(acc.as_str()).or_insert((p0, p0, 0));
                x.0 = x.0.min(p0);
                x.1 = x.1.max(p0);
                x.2 += 1;
            }
        }
        let need = MIN_LINKED_FAILURES.max((e.failures as f64 * MIN_LINKED_SHARE).ceil() as i64);
        e.during = m
            .into_iter()
            .filter(|(_, x)| x.2 >= need)
            .map(|(a, (p0, p1, n))| Coincidence {
                account: a.to_owned(),
                first_period: p0,
                last_period: p1,
                failures: n,
            })
            .collect();
        e.during
            .sort_by(|a, b| b.failures.cmp(&a.failures).then(a.account.cmp(&b.account)));
    }
}

/// `during account alert for u@x (2026-04-25): 950 of these failures were its mail`
fn during_words(e: &EpisodeRow) -> Option<String> {
    if e.during.is_empty() {
        return None;
    }
    let parts: Vec<String> = e
        .during
        .iter()
        .map(|c| {
            let when = if c.first_period == c.last_period {
                fmt_ms(c.first_period)
            } else {
                format!("{} → {}", fmt_ms(c.first_period), fmt_ms(c.last_period))
            };
            format!(
                "{} ({when}): {} of these {} failures were its mail",
                c.account, c.failures, e.failures
            )
        })
        .collect();
    Some(format!(
        "during account alert{} for {}",
        if parts.len() > 1 { "s" } else { "" },
        parts.join("; ")
    ))
}

impl Data {
    fn last_two(&self) -> (Option<i64>, Option<i64>) {
        let n = self.periods.len();
        (
            self.periods.last().copied(),
            n.checked_sub(2).map(|i| self.periods[i]),
        )
    }

    /// Outbound failures by cause: (cause, last, previous), biggest first.
    pub fn causes_last(&self) -> Vec<(String, i64, i64)> {
        self.last_by_cause(&self.by_cause)
    }

    /// Inbound SMTP refused by our server, by cause: (cause, last,
    /// previous), biggest first.
    pub fn inbound_last(&self) -> Vec<(String, i64, i64)> {
        self.last_by_cause(&self.inbound)
    }

    fn last_by_cause(&self, counts: &BTreeMap<(i64, String), i64>) -> Vec<(String, i64, i64)> {
        let (Some(last), prev) = self.last_two() else {
            return Vec::new();
        };
        let mut m: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for ((p, c), n) in counts {
            if *p == last {
                m.entry(c).or_default().0 += n;
            } else if Some(*p) == prev {
                m.entry(c).or_default().1 += n;
            }
        }
        let mut v: Vec<_> = m
            .into_iter()
            .map(|(c, (a, b))| (c.to_owned(), a, b))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Top failing domains in the last period: (domain, failures,
    /// attempts, previous failures, previous attempts).
    pub fn domains_last(&self, top: usize) -> Vec<(String, i64, i64, i64, i64)> {
        let (Some(last), prev) = self.last_two() else {
            return Vec::new();
        };
        let mut v: Vec<_> = self
            .by_domain
            .iter()
            .filter(|((p, _), (f, _))| *p == last && *f > 0)
            .map(|((_, d), (f, a))| {
                let (pf, pa) = prev
                    .and_then(|p| self.by_domain.get(&(p, d.clone())))
                    .copied()
                    .unwrap_or((0, 0));
                (d.clone(), *f, *a, pf, pa)
            })
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(top);
        v
    }
}

fn change(now: i64, before: i64) -> String {
    if before == 0 {
        return if now == 0 { "–".into() } else { "new".into() };
    }
    format!("{:+.0}%", (now - before) as f64 * 100.0 / before as f64)
}

fn pct(a: i64, b: i64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

/// The terminal report.
pub fn render_text(d: &Data, out: &Path) -> String {
    let mut s = String::new();
    let (last, prev) = d.last_two();
    let Some(last) = last else {
        let _ = writeln!(
            s,
            "bouncelens report: no aggregate rows under {}",
            out.display()
        );
        return s;
    };
    let _ = writeln!(
        s,
        "bouncelens report for {} — last period {}{}",
        out.display(),
        fmt_ms(last),
        prev.map(|p| format!(" (previous {})", fmt_ms(p)))
            .unwrap_or_default()
    );
    let _ = writeln!(
        s,
        "\nFailures by cause (outbound deliveries; last | previous | change)"
    );
    for (c, a, b) in d.causes_last() {
        let _ = writeln!(s, "  {c:<20} {a:>8} {b:>8}  {}", change(a, b));
    }
    if let Some(line) = inbound_line(d) {
        let _ = writeln!(s, "{line}");
    }
    let period_len = prev.map_or(86_400_000, |p| last - p);
    let _ = writeln!(
        s,
        "\nBlocklist episodes ({}; newest first)",
        d.episodes.len()
    );
    for e in d.episodes.iter().take(30) {
        let new = if e.first_seen >= last { " NEW" } else { "" };
        let _ = writeln!(
            s,
            "  [{}{new}] {} on {}: {} → {}, {} failures, {} domains, {:.0}% of attempts to {}",
            e.status,
            e.who,
            e.blocklist,
            fmt_ms(e.first_seen),
            fmt_ms(e.last_seen),
            e.failures,
            e.domains,
            e.share * 100.0,
            e.providers
        );
        if let Some(w) = during_words(e) {
            let _ = writeln!(s, "      ↳ {w}");
        }
    }
    let _ = writeln!(
        s,
        "\nAccount alerts ({} account periods; consecutive periods of one account on one line; newest first)",
        d.alerts.len()
    );
    for g in alert_runs(&d.alerts, period_len).iter().take(30) {
        let new = if g.last >= last { " NEW" } else { "" };
        let span = if g.periods > 1 {
            format!(" → {} ({} periods)", fmt_ms(g.last), g.periods)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  {}{span}{new} {} score {}: {}",
            fmt_ms(g.first),
            g.top.account,
            g.top.score,
            g.top.reasons
        );
        if let Some(w) = episodes_of_run(d, g) {
            let _ = writeln!(s, "      ↳ {w}");
        }
    }
    let _ = writeln!(
        s,
        "\nTypo domains ({}; failures over all periods, the domain probably meant)",
        d.typos.len()
    );
    for t in d.typos.iter().take(15) {
        let _ = writeln!(
            s,
            "  {:<28} {:>7}  → {} ({}), last {}",
            t.domain,
            t.failures,
            t.suggested,
            basis_words(&t.basis),
            fmt_ms(t.last_seen)
        );
    }
    let _ = writeln!(
        s,
        "\nTop failing domains in the last period (outbound; failures, rate, change)"
    );
    for (dom, f, a, pf, _) in d.domains_last(10) {
        let _ = writeln!(
            s,
            "  {dom:<28} {f:>7} {:>6.1}%  {}",
            pct(f, a),
            change(f, pf)
        );
    }
    s
}

/// The compact line on inbound rejects under the failures by cause, when
/// there are any in the data: `Also rejected by this server (inbound SMTP,
/// not counted above): 1234 last period, 1100 previous (+12%): ip_blocked
/// 900, …`.
fn inbound_line(d: &Data) -> Option<String> {
    if d.inbound.is_empty() {
        return None;
    }
    let v = d.inbound_last();
    let (a, b) = v.iter().fold((0, 0), |(a, b), (_, x, y)| (a + x, b + y));
    let mut line = format!(
        "  + rejected by this server (inbound SMTP: NOQUEUE/milter/postscreen rejects; not counted above): \
         {a} last period, {b} previous ({})",
        change(a, b)
    );
    let top: Vec<String> = v
        .iter()
        .filter(|x| x.1 > 0)
        .take(6)
        .map(|(c, x, _)| format!("{c} {x}"))
        .collect();
    if !top.is_empty() {
        let more = if v.iter().filter(|x| x.1 > 0).count() > top.len() {
            ", …"
        } else {
            ""
        };
        let _ = write!(line, ": {}{more}", top.join(", "));
    }
    Some(line)
}

fn basis_words(basis: &str) -> &str {
    match basis {
        "common" => "common provider",
        "delivered" => "a domain we deliver to",
        b => b,
    }
}

/// `its own mail is in the blocklist episodes 185.46.253.136 on gmail,
/// microsoft`: the episodes that coincide with this run of alerts.
fn episodes_of_run(d: &Data, g: &AlertRun) -> Option<String> {
    let mut by_who: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &d.episodes {
        if e.during.iter().any(|c| {
            c.account == g.top.account && c.first_period <= g.last && c.last_period >= g.first
        }) {
            by_who
                .entry(e.who.as_str())
                .or_default()
                .insert(e.blocklist.as_str());
        }
    }
    if by_who.is_empty() {
        return None;
    }
    let parts: Vec<String> = by_who
        .iter()
        .map(|(who, lists)| {
            format!(
                "{who} on {}",
                lists.iter().copied().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    Some(format!(
        "its refused mail is part of the blocklist episode(s) {} (see above)",
        parts.join("; ")
    ))
}

/// Alerts of one account in consecutive periods.
struct AlertRun<'a> {
    first: i64,
    last: i64,
    periods: usize,
    /// The highest-scoring row of the run.
    top: &'a AlertRow,
}

/// Group alerts (newest first) into runs of consecutive periods per account.
fn alert_runs(alerts: &[AlertRow], period_len: i64) -> Vec<AlertRun<'_>> {
    let mut runs: Vec<AlertRun> = Vec::new();
    for a in alerts {
        let joined = runs
            .iter_mut()
            .find(|r| r.top.account == a.account && r.first - a.period_start <= period_len.max(1));
        match joined {
            Some(r) => {
                r.first = a.period_start;
                r.periods += 1;
                if a.score > r.top.score {
                    r.top = a;
                }
            }
            None => runs.push(AlertRun {
                first: a.period_start,
                last: a.period_start,
                periods: 1,
                top: a,
            }),
        }
    }
    runs
}

const PALETTE: &[&str] = &[
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A stacked bar chart: one bar per period, one colour per series (the
/// biggest `top` series; the rest summed as "other").
fn stacked_bars(
    title: &str,
    periods: &[i64],
    series: &BTreeMap<String, BTreeMap<i64, i64>>,
    top: usize,
) -> String {
    let mut names: Vec<(&String, i64)> = series
        .iter()
        .map(|(k, v)| (k, v.values().sum::<i64>()))
        .collect();
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shown: Vec<&String> = names.iter().take(top).map(|x| x.0).collect();
    let value = |name: Option<&String>, p: i64| -> i64 {
        match name {
            Some(n) => series[n].get(&p).copied().unwrap_or(0),
            None => series
                .iter()
                .filter(|(k, _)| !shown.contains(k))
                .map(|(_, v)| v.get(&p).copied().unwrap_or(0))
                .sum(),
        }
    };
    let mut layers: Vec<(String, Vec<i64>)> = shown
        .iter()
        .map(|n| {
            (
                (*n).clone(),
                periods.iter().map(|p| value(Some(n), *p)).collect(),
            )
        })
        .collect();
    if names.len() > top {
        layers.push((
            "other".into(),
            periods.iter().map(|p| value(None, *p)).collect(),
        ));
    }
    let totals: Vec<i64> = (0..periods.len())
        .map(|i| layers.iter().map(|l| l.1[i]).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (w, h, left, bottom, top_pad) = (900.0, 320.0, 60.0, 40.0, 10.0);
    let plot_w = w - left - 170.0;
    let plot_h = h - bottom - top_pad;
    let bw = plot_w / periods.len().max(1) as f64;
    let mut s = format!(
        "<h2>{}</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        esc(title)
    );
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let y = top_pad + plot_h - plot_h * k as f64 / 4.0;
        let _ = write!(s, "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{v:.0}</text>", left + plot_w, left - 4.0, y + 4.0);
    }
    for (i, p) in periods.iter().enumerate() {
        let x = left + i as f64 * bw;
        let mut y = top_pad + plot_h;
        for (li, (name, vals)) in layers.iter().enumerate() {
            let bh = vals[i] as f64 / max * plot_h;
            if bh > 0.0 {
                y -= bh;
                let _ = write!(
                    s,
                    "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                    x + bw * 0.1,
                    bw * 0.8,
                    PALETTE[li % PALETTE.len()],
                    &fmt_ms(*p)[..10],
                    esc(name),
                    vals[i]
                );
            }
        }
        let every = (periods.len() / 12).max(1);
        if i % every == 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x + bw / 2.0,
                h - bottom + 14.0,
                &fmt_ms(*p)[5..10]
            );
        }
    }
    for (li, (name, _)) in layers.iter().enumerate() {
        let y = top_pad + 14.0 * li as f64;
        let _ = write!(s, "<rect x=\"{}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>", left + plot_w + 12.0, PALETTE[li % PALETTE.len()], left + plot_w + 26.0, y + 9.0, esc(name));
    }
    s.push_str("</svg>");
    s
}

/// The blocklist timeline: one row per sending IP × list, a bar per episode.
fn timeline(d: &Data) -> String {
    let mut s = String::from("<h2>Blocklist timeline</h2>");
    let (Some(&t0), Some(&tl)) = (d.periods.first(), d.periods.last()) else {
        s.push_str("<p>No data.</p>");
        return s;
    };
    let step = if d.periods.len() > 1 {
        d.periods[1] - d.periods[0]
    } else {
        86_400_000
    };
    let t1 = (tl + step).max(d.episodes.iter().map(|e| e.last_seen).max().unwrap_or(0));
    let rows: BTreeSet<(String, String)> = d
        .episodes
        .iter()
        .map(|e| (e.who.clone(), e.blocklist.clone()))
        .collect();
    if rows.is_empty() {
        s.push_str("<p>No blocklist episodes.</p>");
        return s;
    }
    let rows: Vec<_> = rows.into_iter().collect();
    let (w, left, rh) = (900.0, 230.0, 24.0);
    let h = rows.len() as f64 * rh + 40.0;
    let plot_w = w - left - 20.0;
    let x_of = |t: i64| left + (t - t0) as f64 / (t1 - t0).max(1) as f64 * plot_w;
    let _ = write!(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"blocklist timeline\">");
    let mut t = t0;
    let every = ((t1 - t0) / step / 12).max(1) * step;
    while t <= t1 {
        let x = x_of(t);
        let _ = write!(s, "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"0\" y2=\"{}\" stroke=\"#eee\"/><text x=\"{x:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>", h - 30.0, h - 16.0, &fmt_ms(t)[5..10]);
        t += every;
    }
    for (i, (who, list)) in rows.iter().enumerate() {
        let y = i as f64 * rh + 4.0;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{} · {}</text>",
            left - 6.0,
            y + 14.0,
            esc(who),
            esc(list)
        );
        for e in d
            .episodes
            .iter()
            .filter(|e| &e.who == who && &e.blocklist == list)
        {
            let (x0, x1) = (x_of(e.first_seen), x_of(e.last_seen));
            let colour = if e.status == "open" {
                "#e15759"
            } else {
                "#f28e2b"
            };
            let _ = write!(s, "<rect x=\"{x0:.1}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\" rx=\"2\"><title>{} on {}: {} → {}, {} failures ({})</title></rect>", (x1 - x0).max(3.0), rh - 8.0, esc(who), esc(list), fmt_ms(e.first_seen), fmt_ms(e.last_seen), e.failures, e.status);
        }
    }
    s.push_str("</svg>");
    s
}

/// The HTML report: one file, inline SVG and CSS only.
pub fn render_html(d: &Data, out: &Path) -> String {
    let mut causes: BTreeMap<String, BTreeMap<i64, i64>> = BTreeMap::new();
    for ((p, c), n) in &d.by_cause {
        *causes.entry(c.clone()).or_default().entry(*p).or_default() += n;
    }
    let mut providers: BTreeMap<String, BTreeMap<i64, i64>> = BTreeMap::new();
    for ((p, prov), (f, _)) in &d.by_provider {
        if *f > 0 {
            *providers
                .entry(prov.clone())
                .or_default()
                .entry(*p)
                .or_default() += f;
        }
    }
    let mut s = String::from("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>bouncelens report</title><style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left;max-width:460px;overflow-wrap:anywhere}th{background:#f3f3f3}.open{color:#c00;font-weight:bold}svg{background:#fff;border:1px solid #eee}</style></head><body>");
    let _ = write!(
        s,
        "<h1>bouncelens report</h1><p>Tables: {}",
        esc(&out.display().to_string())
    );
    if let (Some(f), Some(l)) = (d.periods.first(), d.periods.last()) {
        let _ = write!(
            s,
            " · periods {} to {}",
            &fmt_ms(*f)[..10],
            &fmt_ms(*l)[..10]
        );
    }
    s.push_str("</p>");
    s.push_str(&stacked_bars(
        "Outbound delivery failures by cause over time",
        &d.periods,
        &causes,
        9,
    ));
    s.push_str(&stacked_bars(
        "Outbound delivery failures per provider over time",
        &d.periods,
        &providers,
        9,
    ));
    s.push_str(&timeline(d));
    s.push_str("<h2>Blocklist episodes</h2><table><tr><th>status</th><th>sending IP / host</th><th>list</th><th>first seen</th><th>last seen</th><th>failures</th><th>share of attempts</th><th>domains</th><th>providers</th><th>coincides with</th><th>example</th></tr>");
    for e in &d.episodes {
        let _ = write!(s, "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&e.status), esc(&e.status), esc(&e.who), esc(&e.blocklist), fmt_ms(e.first_seen), fmt_ms(e.last_seen), e.failures, e.share * 100.0, e.domains, esc(&e.providers), esc(&during_words(e).unwrap_or_default()), esc(&e.example.chars().take(160).collect::<String>()));
    }
    s.push_str("</table><h2>Account alerts</h2><table><tr><th>period</th><th>account</th><th>score</th><th>reasons</th></tr>");
    for a in &d.alerts {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            &fmt_ms(a.period_start)[..10],
            esc(&a.account),
            a.score,
            esc(&a.reasons)
        );
    }
    s.push_str("</table><h2>Typo domains</h2><table><tr><th>recipient domain</th><th>failures</th><th>probably meant</th><th>because it is</th><th>last failure</th></tr>");
    for t in &d.typos {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&t.domain),
            t.failures,
            esc(&t.suggested),
            esc(basis_words(&t.basis)),
            fmt_ms(t.last_seen)
        );
    }
    s.push_str("</table><h2>Outbound delivery failures by cause, last period</h2><table><tr><th>cause</th><th>last</th><th>previous</th><th>change</th></tr>");
    cause_rows(&mut s, d.causes_last());
    s.push_str("</table>");
    if !d.inbound.is_empty() {
        s.push_str("<h2>Rejected by this server (inbound SMTP), last period</h2><p>Our own refusals of incoming mail (NOQUEUE/milter/postscreen rejects, <code>outcome = 'rejected'</code>): not delivery failures, so not counted in the charts and tables above.</p><table><tr><th>cause</th><th>last</th><th>previous</th><th>change</th></tr>");
        cause_rows(&mut s, d.inbound_last());
        s.push_str("</table>");
    }
    s.push_str("<h2>Top failing domains (outbound), last period</h2><table><tr><th>domain</th><th>failures</th><th>failure rate</th><th>previous</th><th>change</th></tr>");
    for (dom, f, a, pf, _) in d.domains_last(15) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{f}</td><td>{:.1}%</td><td>{pf}</td><td>{}</td></tr>",
            esc(&dom),
            pct(f, a),
            change(f, pf)
        );
    }
    s.push_str("</table></body></html>\n");
    s
}

/// HTML rows of (cause, last period, previous period) with the change.
fn cause_rows(s: &mut String, rows: Vec<(String, i64, i64)>) {
    for (c, a, b) in rows {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{a}</td><td>{b}</td><td>{}</td></tr>",
            esc(&c),
            change(a, b)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_escaping() {
        assert_eq!(change(0, 0), "–");
        assert_eq!(change(5, 0), "new");
        assert_eq!(change(15, 10), "+50%");
        assert_eq!(esc("<a&b>"), "&lt;a&amp;b&gt;");
    }

    #[test]
    fn html_has_charts_and_no_scripts() {
        let mut d = Data {
            periods: vec![0, 86_400_000],
            ..Data::default()
        };
        d.by_cause.insert((0, "bad_address".into()), 5);
        d.by_cause.insert((86_400_000, "ip_blocked".into()), 7);
        d.by_provider.insert((0, "google".into()), (5, 50));
        let h = render_html(&d, Path::new("/x"));
        assert!(h.matches("<svg").count() >= 2);
        assert!(h.contains("<rect"));
        assert!(
            !h.contains("<script") && !h.contains("http://")
                || h.contains("http://www.w3.org/2000/svg")
        );
    }

    fn episode(who: &str, list: &str, first: i64, last: i64, failures: i64) -> EpisodeRow {
        EpisodeRow {
            who: who.into(),
            blocklist: list.into(),
            first_seen: first,
            last_seen: last,
            failures,
            domains: 2,
            providers: "google".into(),
            share: 0.5,
            status: "closed".into(),
            example: String::new(),
            during: Vec::new(),
        }
    }

    #[test]
    fn an_episode_caused_by_a_takeover_names_the_alert() {
        const H: i64 = 3_600_000;
        const D: i64 = 24 * H;
        let alerts = vec![
            AlertRow {
                period_start: 5 * D,
                period_len: D,
                account: "victim@x".into(),
                score: 7,
                reasons: "recipients 900 vs own median 4 (225x)".into(),
            },
            AlertRow {
                period_start: 5 * D,
                period_len: D,
                account: "stray@x".into(),
                score: 4,
                reasons: "…".into(),
            },
        ];
        let mut eps = vec![
            // the throttling the spray caused, on the IP it left from
            episode("192.0.2.7", "gmail", 5 * D + 4 * H, 5 * D + 10 * H, 100),
            // a listing days later: the account's alert is over
            episode("192.0.2.7", "spamhaus", 8 * D, 8 * D + 5 * H, 40),
            // the same time on another IP
            episode("192.0.2.8", "gmail", 5 * D + 4 * H, 5 * D + 10 * H, 50),
        ];
        let mut hits = Vec::new();
        for k in 0..80 {
            hits.push((
                "victim@x".into(),
                "192.0.2.7".into(),
                "gmail".into(),
                5 * D + 4 * H + k * 60_000,
            ));
        }
        // a stray refusal of another alerted account is no link (1 of 100)
        hits.push((
            "stray@x".into(),
            "192.0.2.7".into(),
            "gmail".into(),
            5 * D + 5 * H,
        ));
        for k in 0..10 {
            hits.push((
                "victim@x".into(),
                "192.0.2.7".into(),
                "spamhaus".into(),
                8 * D + k * 60_000,
            ));
            hits.push((
                "victim@x".into(),
                "192.0.2.9".into(),
                "gmail".into(),
                5 * D + 6 * H + k,
            ));
        }
        link_episodes(&mut eps, &alerts, &hits);
        assert_eq!(
            eps[0].during,
            [Coincidence {
                account: "victim@x".into(),
                first_period: 5 * D,
                last_period: 5 * D,
                failures: 80,
            }]
        );
        assert!(eps[1].during.is_empty() && eps[2].during.is_empty());
        let mut d = Data {
            periods: (0..9).map(|i| i * D).collect(),
            episodes: eps,
            alerts,
            ..Data::default()
        };
        d.by_cause.insert((8 * D, "bad_address".into()), 3);
        let text = render_text(&d, Path::new("/x"));
        assert!(
            text.contains("↳ during account alert for victim@x (1970-01-06 00:00): 80 of these 100 failures were its mail"),
            "{text}"
        );
        assert!(
            text.contains(
                "its refused mail is part of the blocklist episode(s) 192.0.2.7 on gmail"
            ),
            "{text}"
        );
        assert_eq!(text.matches("during account alert").count(), 1, "{text}");
        let html = render_html(&d, Path::new("/x"));
        assert!(html.contains("during account alert for victim@x"));
    }

    #[test]
    fn inbound_rejects_are_shown_apart_from_delivery_failures() {
        const D: i64 = 86_400_000;
        let mut d = Data {
            periods: vec![0, D],
            ..Data::default()
        };
        d.by_cause.insert((D, "bad_address".into()), 7);
        d.by_domain.insert((D, "gmail.com".into()), (7, 70));
        d.inbound.insert((D, "ip_blocked".into()), 900);
        d.inbound.insert((D, "bad_address".into()), 40);
        d.inbound.insert((0, "ip_blocked".into()), 450);
        let text = render_text(&d, Path::new("/x"));
        let causes: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("Failures by cause"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(causes.len(), 2, "{text}");
        assert!(
            causes[0].contains("bad_address") && causes[0].contains(" 7 "),
            "{text}"
        );
        assert!(
            causes[1].contains("rejected by this server")
                && causes[1].contains(
                    "940 last period, 450 previous (+109%): ip_blocked 900, bad_address 40"
                ),
            "{text}"
        );
        let html = render_html(&d, Path::new("/x"));
        assert!(html.contains("Rejected by this server (inbound SMTP)"));
        // nothing inbound: no line
        d.inbound.clear();
        assert!(!render_text(&d, Path::new("/x")).contains("rejected by this server"));
    }

    #[test]
    fn hourly_alerts_of_one_takeover_are_one_coincidence() {
        const H: i64 = 3_600_000;
        let alerts: Vec<AlertRow> = (10..14)
            .map(|h| AlertRow {
                period_start: h * H,
                period_len: H,
                account: "victim@x".into(),
                score: 6,
                reasons: String::new(),
            })
            .collect();
        let mut eps = vec![episode("host mx1", "yahoo", 10 * H, 15 * H, 60)];
        // 10 refusals an hour from 10:00 to 14:59; the alert ends at 14:00
        let hits: Vec<Hit> = (0..50)
            .map(|k| {
                (
                    "victim@x".into(),
                    "host mx1".into(),
                    "yahoo".into(),
                    10 * H + k * 360_000,
                )
            })
            .collect();
        link_episodes(&mut eps, &alerts, &hits);
        assert_eq!(
            eps[0].during,
            [Coincidence {
                account: "victim@x".into(),
                first_period: 10 * H,
                last_period: 13 * H,
                failures: 40,
            }]
        );
        assert_eq!(
            during_words(&eps[0]).unwrap(),
            "during account alert for victim@x (1970-01-01 10:00 → 1970-01-01 13:00): 40 of these 60 failures were its mail"
        );
    }
}
