//! `account_alerts`: sender accounts × periods that look compromised.
//!
//! In: `by_sender` (per period × account × outcome × cause counts) and the
//! client IPs of `events` (when each account first used each IP). Out: one
//! row per flagged account × period, with the score and its reasons.
//!
//! Each signal adds points and a reason in words:
//! - recipients against the account's own median of earlier periods
//!   (+2 at 5x, +3 at 20x; at least [`MIN_RECIPIENTS`]), once it has
//!   [`MIN_OWN_HISTORY`] earlier periods (the median of one or two days of a
//!   person's mail says little), and only above [`PRECEDENT`] times its own
//!   peak of the periods that ended a day or more before (a weekly
//!   newsletter or a twice-monthly invoice run has done it before; the
//!   periods just before are left out, so a takeover that lasts several
//!   periods is not its own precedent);
//! - recipients against the median of the accounts of the same kind that
//!   period (+1 at 10x, +2 at 50x): SASL users against SASL users, since on
//!   a server that is also the MX the envelope senders are mostly outside
//!   senders of one message each, which would put the median at 1;
//! - `bad_address` share of attempts (+2 at ≥ 25% with ≥ 10 of them and
//!   3x the account's own median share);
//! - client *networks* the account had not used before (+1 at ≥ 2 with
//!   history; +1 at ≥ 3 without): an IPv4 address counts as its /16, an
//!   IPv6 address as its /48 (see [`client_network`]), and loopback,
//!   private, link-local and shared (CGNAT) addresses never count — they are
//!   our own webmail, proxies and app servers, and say nothing about who
//!   typed the password;
//! - a burst of `rate_limited` / `ip_blocked` failures (+1 at ≥ 10 and 5x
//!   the own median).
//!
//! An account with history is flagged at [`ALERT_SCORE`]; one without
//! history (its first period in the data) only at [`ALERT_SCORE_NEW`],
//! which needs the evidence of that period alone to be strong.
//! - with `--period hour` only: an hour of the day the account never used
//!   in [`MIN_HOURS_HISTORY`]+ earlier active hours (+1, and only on top of
//!   another signal).
//!
//! Limits: distinct recipients are summed over the aggregate rows (an upper
//! bound); client IPs are known from failures only (`events`), so a network
//! is "new" when it first shows up in a failure; unusual
//! hours need hourly aggregates (the default `--period day` has no hours).
//! With hourly aggregates a takeover gives one row per hour it lasts.

use super::{date_column, fmt_ms, ints, median, scan, strs, ts_column};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

pub const ALERT_SCORE: u32 = 4;
/// For an account without history: two strong signals of the same period
/// (say recipients at 50x the peers' median and a quarter of the attempts
/// to addresses that do not exist) suffice; one alone (at most 2) never does.
pub const ALERT_SCORE_NEW: u32 = 4;
/// Recipients in a period below which volume is never suspicious.
pub const MIN_RECIPIENTS: i64 = 30;
/// Earlier periods an account needs before its own median counts.
pub const MIN_OWN_HISTORY: usize = 3;
/// Recipients up to this multiple of the account's own earlier peak are
/// not a jump against its own history.
pub const PRECEDENT: f64 = 1.5;
/// Earlier active hours an account needs before an unusual hour counts.
pub const MIN_HOURS_HISTORY: usize = 24;

/// One account × period.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub kind: Option<String>,
    pub period_len: i64,
    pub attempts: i64,
    pub sent: i64,
    pub failures: i64,
    pub recipients: i64,
    pub bad_address: i64,
    pub burst: i64,
    pub client_ips: i64,
}

/// An alert row.
#[derive(Debug, Clone)]
pub struct Alert {
    pub account: String,
    pub period_start: i64,
    pub stats: Stats,
    /// Networks first used in this period, with their addresses.
    pub new_networks: Vec<NewNetwork>,
    pub own_median: Option<f64>,
    pub peer_median: f64,
    pub history: usize,
    pub score: u32,
    pub reasons: Vec<String>,
}

type Periods = BTreeMap<String, BTreeMap<i64, Stats>>;

/// The flagged account periods, from `by_sender` and the client addresses
/// in `events` (the table is [`frame`] of them).
pub fn alerts(out: &Path) -> anyhow::Result<Vec<Alert>> {
    let Some(lf) = scan(out, "by_sender")? else {
        return Ok(Vec::new());
    };
    let periods = load(lf)?;
    let first_ips = first_ip_use(out)?;
    Ok(score_all(&periods, &first_ips))
}

fn load(lf: LazyFrame) -> anyhow::Result<Periods> {
    let df = lf
        .filter(col("account").is_not_null())
        .select([
            col("period_start").cast(DataType::Int64),
            col("period").cast(DataType::String),
            col("account"),
            col("account_kind").cast(DataType::String),
            col("outcome").cast(DataType::String),
            col("cause").cast(DataType::String),
            col("attempts").cast(DataType::Int64),
            col("recipients").cast(DataType::Int64),
            col("client_ips").cast(DataType::Int64),
        ])
        .collect()?;
    let (start, n, rc, ips) = (
        ints(&df, "period_start")?,
        ints(&df, "attempts")?,
        ints(&df, "recipients")?,
        ints(&df, "client_ips")?,
    );
    let (per, acc, kind) = (
        strs(&df, "period")?,
        strs(&df, "account")?,
        strs(&df, "account_kind")?,
    );
    let (outcome, cause) = (strs(&df, "outcome")?, strs(&df, "cause")?);
    let mut p: Periods = BTreeMap::new();
    for i in 0..df.height() {
        let (Some(a), Some(s)) = (&acc[i], start[i]) else {
            continue;
        };
        let st = p.entry(a.clone()).or_default().entry(s).or_default();
        let n_i = n[i].unwrap_or(0);
        st.kind.clone_from(&kind[i]);
        st.period_len = if per[i].as_deref() == Some("hour") {
            3_600_000
        } else {
            86_400_000
        };
        st.attempts += n_i;
        st.recipients += rc[i].unwrap_or(0);
        st.client_ips = st.client_ips.max(ips[i].unwrap_or(0));
        if outcome[i].as_deref() == Some("sent") {
            st.sent += n_i;
        } else {
            st.failures += n_i;
        }
        match cause[i].as_deref() {
            Some("bad_address") => st.bad_address += n_i,
            Some("rate_limited" | "ip_blocked") => st.burst += n_i,
            _ => {}
        }
    }
    Ok(p)
}

/// account -> [(first use in ms, client IP)], from the failures in `events`.
fn first_ip_use(out: &Path) -> anyhow::Result<BTreeMap<String, Vec<(i64, String)>>> {
    let Some(lf) = scan(out, "events")? else {
        return Ok(BTreeMap::new());
    };
    let df = lf
        .select([
            coalesce(&[col("sasl_user"), col("sender")]).alias("account"),
            col("client_ip"),
            col("ts").cast(DataType::Int64),
        ])
        .filter(
            col("account")
                .is_not_null()
                .and(col("client_ip").is_not_null()),
        )
        .group_by([col("account"), col("client_ip")])
        .agg([col("ts").min()])
        .collect()?;
    let (acc, ip, ts) = (
        strs(&df, "account")?,
        strs(&df, "client_ip")?,
        ints(&df, "ts")?,
    );
    let mut m: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for i in 0..df.height() {
        if let (Some(a), Some(ip), Some(t)) = (&acc[i], &ip[i], ts[i]) {
            m.entry(a.clone()).or_default().push((t, ip.clone()));
        }
    }
    // group_by gives no order; the file must be the same on every rebuild
    for v in m.values_mut() {
        v.sort();
    }
    Ok(m)
}

fn score_all(p: &Periods, first_ips: &BTreeMap<String, Vec<(i64, String)>>) -> Vec<Alert> {
    let mut by_period: BTreeMap<(i64, Option<String>), Vec<f64>> = BTreeMap::new();
    for periods in p.values() {
        for (s, st) in periods {
            by_period
                .entry((*s, st.kind.clone()))
                .or_default()
                .push(st.recipients as f64);
        }
    }
    let peers: BTreeMap<(i64, Option<String>), f64> = by_period
        .iter()
        .map(|(k, v)| (k.clone(), median(v).unwrap_or(0.0)))
        .collect();
    let mut out = Vec::new();
    let none = Vec::new();
    for (account, periods) in p {
        let nets = networks_of(first_ips.get(account).unwrap_or(&none));
        let list: Vec<(&i64, &Stats)> = periods.iter().collect();
        for (i, (start, st)) in list.iter().enumerate() {
            let history: Vec<&Stats> = list[..i].iter().map(|x| x.1).collect();
            let new_nets = new_networks(&nets, **start, **start + st.period_len);
            // the own peak of the periods that ended a day or more before
            let peak = list[..i]
                .iter()
                .filter(|(s, h)| **s + h.period_len + DAY_MS <= **start)
                .map(|(_, h)| h.recipients)
                .max()
                .unwrap_or(0);
            let peer = peers[&(**start, st.kind.clone())];
            let mut a = score(account, **start, st, &history, peak, new_nets, peer);
            if a.score > 0 {
                unusual_hour(&mut a, &list[..i]);
            }
            let bar = if a.history == 0 {
                ALERT_SCORE_NEW
            } else {
                ALERT_SCORE
            };
            if a.score >= bar {
                out.push(a);
            }
        }
    }
    out.sort_by(|a, b| (a.period_start, &a.account).cmp(&(b.period_start, &b.account)));
    out
}

const DAY_MS: i64 = 86_400_000;

/// IPv4 addresses count as their /16 when deciding whether a client is new:
/// mobile carriers hand out addresses from pools that span many /24s
/// (CGNAT, a new address at every reconnect) and DSL lines get a new
/// address, often in another /24 of the same /16, every day, so a /24 would
/// still call a customer on their phone or home line new every few days.
/// A /16 is roughly "the same ISP region"; an attacker's VPS, proxy or
/// botnet host almost never shares one with the account's usual clients.
pub const IPV4_PREFIX: u8 = 16;
/// IPv6 addresses count as their /48: the usual site allocation (a home or
/// an office gets a /48 or a /56 inside one), while devices rotate their
/// /64 interface ids and prefixes inside it.
pub const IPV6_PREFIX: u8 = 48;

/// A client network first used by an account in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNetwork {
    /// `185.220.0.0/16`, `2001:db8:1::/48`, or the raw text of a client
    /// that is not an IP address.
    pub network: String,
    /// Its addresses first used in that period, ascending.
    pub ips: Vec<String>,
}

/// The network a client address counts as (see [`IPV4_PREFIX`],
/// [`IPV6_PREFIX`]); `None` for addresses that are ours or say nothing
/// about where the user is: loopback (`127.0.0.0/8`, `::1`: webmail on the
/// same host), private (`10/8`, `172.16/12`, `192.168/16`, `fc00::/7`:
/// webmail or app servers behind a proxy), link-local, shared CGNAT space
/// (`100.64/10`), unspecified, broadcast, `0/8` (`original::is_public`).
/// IPv4-mapped IPv6 counts as IPv4. Text that is no IP address at all is
/// its own network.
pub fn client_network(ip: &str) -> Option<String> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let t = ip.trim();
    let t = t.strip_prefix('[').unwrap_or(t);
    let t = t.strip_suffix(']').unwrap_or(t);
    let t = t
        .strip_prefix("IPv6:")
        .or_else(|| t.strip_prefix("ipv6:"))
        .unwrap_or(t);
    let t = t.split('%').next().unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    let ip = match t.parse::<IpAddr>() {
        Ok(IpAddr::V6(a)) => a.to_ipv4_mapped().map_or(IpAddr::V6(a), IpAddr::V4),
        Ok(a) => a,
        Err(_) => return Some(t.to_owned()),
    };
    // the same "ours or says nothing" test as a bounce's sending IP
    if !crate::dsn::original::is_public(ip) {
        return None;
    }
    Some(match ip {
        IpAddr::V4(a) => {
            let mask = u32::MAX << (32 - u32::from(IPV4_PREFIX));
            format!("{}/{IPV4_PREFIX}", Ipv4Addr::from(u32::from(a) & mask))
        }
        IpAddr::V6(a) => {
            let mask = u128::MAX << (128 - u32::from(IPV6_PREFIX));
            format!("{}/{IPV6_PREFIX}", Ipv6Addr::from(u128::from(a) & mask))
        }
    })
}

/// An account's client networks: (first use, network, its addresses with
/// their first use), ordered by first use. Loopback and private addresses
/// belong to no network.
pub type Networks = Vec<(i64, String, Vec<(i64, String)>)>;

/// Group an account's client addresses (each with the time it was first
/// used, any order) into networks.
pub fn networks_of(first_use: &[(i64, String)]) -> Networks {
    let mut nets: BTreeMap<String, (i64, Vec<(i64, String)>)> = BTreeMap::new();
    for (t, ip) in first_use {
        if let Some(n) = client_network(ip) {
            let e = nets.entry(n).or_insert((i64::MAX, Vec::new()));
            e.0 = e.0.min(*t);
            e.1.push((*t, ip.clone()));
        }
    }
    let mut v: Networks = nets
        .into_iter()
        .map(|(n, (first, ips))| (first, n, ips))
        .collect();
    v.sort();
    v
}

/// The networks first used in `[start, end)` (a network is new in the
/// period that holds the first use of any of its addresses), in the order
/// they appeared, each with its addresses first used in that period.
pub fn new_networks(nets: &Networks, start: i64, end: i64) -> Vec<NewNetwork> {
    let from = nets.partition_point(|n| n.0 < start);
    nets[from..]
        .iter()
        .take_while(|n| n.0 < end)
        .map(|(_, network, ips)| {
            let mut ips: Vec<String> = ips
                .iter()
                .filter(|(t, _)| (start..end).contains(t))
                .map(|(_, ip)| ip.clone())
                .collect();
            ips.sort();
            ips.dedup();
            NewNetwork {
                network: network.clone(),
                ips,
            }
        })
        .collect()
}

/// `3 new client networks (IPv4 /16, IPv6 /48; loopback/private not
/// counted): 197.210.0.0/16 (197.210.229.243), …`
fn new_networks_reason(nets: &[NewNetwork]) -> String {
    let shown: Vec<String> = nets
        .iter()
        .take(5)
        .map(|n| {
            let mut ips: Vec<&str> = n.ips.iter().take(3).map(String::as_str).collect();
            if n.ips.len() > 3 {
                ips.push("…");
            }
            format!("{} ({})", n.network, ips.join(", "))
        })
        .collect();
    let more = if nets.len() > 5 { ", …" } else { "" };
    format!(
        "{} new client networks (IPv4 /{IPV4_PREFIX}, IPv6 /{IPV6_PREFIX}; loopback/private not counted): {}{more}",
        nets.len(),
        shown.join(", ")
    )
}

/// Score one account × period against its history (`peak`: its most
/// recipients in a period that ended a day or more before) and its peers.
pub fn score(
    account: &str,
    start: i64,
    st: &Stats,
    history: &[&Stats],
    peak: i64,
    new_networks: Vec<NewNetwork>,
    peer_median: f64,
) -> Alert {
    let mut points = 0;
    let mut reasons = Vec::new();
    let rc = st.recipients;
    let hist_rc: Vec<f64> = history.iter().map(|h| h.recipients as f64).collect();
    let own = median(&hist_rc);
    if let Some(own) = own.filter(|_| history.len() >= MIN_OWN_HISTORY) {
        let x = rc as f64 / own.max(1.0);
        if rc >= MIN_RECIPIENTS && x >= 5.0 && rc as f64 > PRECEDENT * peak as f64 {
            points += if x >= 20.0 { 3 } else { 2 };
            reasons.push(format!("recipients {rc} vs own median {own:.0} ({x:.0}x)"));
        }
    }
    let x = rc as f64 / peer_median.max(1.0);
    if rc >= MIN_RECIPIENTS && x >= 10.0 {
        points += if x >= 50.0 { 2 } else { 1 };
        reasons.push(format!(
            "recipients {rc} vs peer median {peer_median:.0} ({x:.0}x)"
        ));
    }
    let share = st.bad_address as f64 / st.attempts.max(1) as f64;
    // the median of earlier periods' shares, so that the first hours of a
    // takeover do not raise the bar for the next ones
    let shares: Vec<f64> = history
        .iter()
        .map(|h| h.bad_address as f64 / h.attempts.max(1) as f64)
        .collect();
    let own_share = median(&shares).unwrap_or(0.0);
    if st.bad_address >= 10 && share >= 0.25 && share >= 3.0 * own_share {
        points += 2;
        reasons.push(format!(
            "bad_address {} of {} attempts ({:.0}%) vs own {:.0}%",
            st.bad_address,
            st.attempts,
            share * 100.0,
            own_share * 100.0
        ));
    }
    let need_nets = if history.is_empty() { 3 } else { 2 };
    if new_networks.len() >= need_nets {
        points += 1;
        reasons.push(new_networks_reason(&new_networks));
    }
    let hist_burst: Vec<f64> = history.iter().map(|h| h.burst as f64).collect();
    let own_burst = median(&hist_burst).unwrap_or(0.0);
    if st.burst >= 10 && st.burst as f64 >= 5.0 * own_burst.max(1.0) {
        points += 1;
        reasons.push(format!(
            "rate_limited/ip_blocked {} vs own median {own_burst:.0}",
            st.burst
        ));
    }
    if history.is_empty() {
        reasons.push(format!("no history before {}", fmt_ms(start)));
    }
    Alert {
        account: account.to_owned(),
        period_start: start,
        stats: st.clone(),
        new_networks,
        own_median: own,
        peer_median,
        history: history.len(),
        score: points,
        reasons,
    }
}

/// With hourly aggregates: +1 when an account that already shows other
/// signals sends in an hour of the day it never used in at least
/// [`MIN_HOURS_HISTORY`] earlier active hours.
fn unusual_hour(a: &mut Alert, earlier: &[(&i64, &Stats)]) {
    const HOUR: i64 = 3_600_000;
    if a.stats.period_len != HOUR || earlier.len() < MIN_HOURS_HISTORY {
        return;
    }
    let hour_of = |t: i64| t.rem_euclid(86_400_000) / HOUR;
    let h = hour_of(a.period_start);
    if earlier.iter().all(|(t, _)| hour_of(**t) != h) {
        a.score += 1;
        a.reasons.push(format!(
            "active at {h:02}:00 UTC, an hour unused in {} earlier active hours",
            earlier.len()
        ));
    }
}

/// The `account_alerts` table.
pub fn frame(a: &[Alert]) -> anyhow::Result<DataFrame> {
    let i64s = |f: &dyn Fn(&Alert) -> i64| a.iter().map(f).collect::<Vec<i64>>();
    let starts = i64s(&|x| x.period_start);
    let period = |x: &Alert| {
        if x.stats.period_len == 3_600_000 {
            "hour"
        } else {
            "day"
        }
    };
    let cols = vec![
        date_column("date", &starts),
        ts_column("period_start", starts.iter().map(|t| Some(*t)).collect()),
        Column::new("period".into(), a.iter().map(period).collect::<Vec<_>>()),
        Column::new(
            "account".into(),
            a.iter().map(|x| x.account.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "account_kind".into(),
            a.iter().map(|x| x.stats.kind.clone()).collect::<Vec<_>>(),
        ),
        Column::new("score".into(), i64s(&|x| i64::from(x.score))),
        Column::new(
            "reasons".into(),
            a.iter().map(|x| x.reasons.join("; ")).collect::<Vec<_>>(),
        ),
        Column::new("attempts".into(), i64s(&|x| x.stats.attempts)),
        Column::new("sent".into(), i64s(&|x| x.stats.sent)),
        Column::new("failures".into(), i64s(&|x| x.stats.failures)),
        Column::new("recipients".into(), i64s(&|x| x.stats.recipients)),
        Column::new("bad_address".into(), i64s(&|x| x.stats.bad_address)),
        Column::new(
            "bad_address_share".into(),
            a.iter()
                .map(|x| {
                    (x.stats.bad_address as f64 / x.stats.attempts.max(1) as f64 * 1000.0).round()
                        / 1000.0
                })
                .collect::<Vec<f64>>(),
        ),
        Column::new("client_ips".into(), i64s(&|x| x.stats.client_ips)),
        // the addresses in networks new to the account (loopback and
        // private addresses never are), not every address never seen before
        Column::new(
            "new_client_ips".into(),
            i64s(&|x| x.new_networks.iter().map(|n| n.ips.len() as i64).sum()),
        ),
        Column::new(
            "new_client_ip_list".into(),
            a.iter()
                .map(|x| {
                    let ips: Vec<&str> = x
                        .new_networks
                        .iter()
                        .flat_map(|n| n.ips.iter().map(String::as_str))
                        .collect();
                    ips.join(",")
                })
                .collect::<Vec<_>>(),
        ),
        Column::new("rate_limited_ip_blocked".into(), i64s(&|x| x.stats.burst)),
        Column::new(
            "own_median_recipients".into(),
            a.iter().map(|x| x.own_median).collect::<Vec<_>>(),
        ),
        Column::new(
            "peer_median_recipients".into(),
            a.iter().map(|x| x.peer_median).collect::<Vec<f64>>(),
        ),
        Column::new("history_periods".into(), i64s(&|x| x.history as i64)),
    ];
    Ok(DataFrame::new(a.len(), cols)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(n: &str, ips: &[&str]) -> NewNetwork {
        NewNetwork {
            network: n.to_owned(),
            ips: ips.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn st(rc: i64, bad: i64) -> Stats {
        Stats {
            period_len: 86_400_000,
            attempts: rc,
            sent: rc - bad,
            failures: bad,
            recipients: rc,
            bad_address: bad,
            ..Stats::default()
        }
    }

    #[test]
    fn takeover_scores_with_reasons() {
        let h = [st(8, 0), st(10, 1), st(9, 0)];
        let hist: Vec<&Stats> = h.iter().collect();
        let nets = vec![
            net("185.220.0.0/16", &["185.220.101.1"]),
            net("45.141.0.0/16", &["45.141.84.2"]),
        ];
        let a = score("u@x", 0, &st(400, 240), &hist, 10, nets, 8.0);
        assert!(a.score >= ALERT_SCORE, "{a:?}");
        assert!(
            a.reasons[0].starts_with("recipients 400 vs own median 9 (44x)"),
            "{:?}",
            a.reasons
        );
    }

    #[test]
    fn unusual_hour_adds_a_point_with_hourly_history() {
        const H: i64 = 3_600_000;
        let mut hourly = st(40, 20);
        hourly.period_len = H;
        // 30 earlier active hours, all between 08:00 and 17:59
        let starts: Vec<i64> = (0..30).map(|d| d * 24 * H + (8 + d % 10) * H).collect();
        let stats = st(2, 0);
        let earlier: Vec<(&i64, &Stats)> = starts.iter().map(|t| (t, &stats)).collect();
        let mut a = score("u@x", 40 * 24 * H + 3 * H, &hourly, &[], 0, vec![], 1.0);
        let before = a.score;
        unusual_hour(&mut a, &earlier);
        assert_eq!(a.score, before + 1);
        assert!(a.reasons.last().unwrap().starts_with("active at 03:00 UTC"));
        let mut b = score("u@x", 40 * 24 * H + 9 * H, &hourly, &[], 0, vec![], 1.0);
        unusual_hour(&mut b, &earlier);
        assert_eq!(b.score, before);
    }

    #[test]
    fn normal_day_and_new_account_are_quiet() {
        let h = [st(8, 0), st(10, 1)];
        let hist: Vec<&Stats> = h.iter().collect();
        assert_eq!(score("u@x", 0, &st(12, 1), &hist, 10, vec![], 8.0).score, 0);
        // a new, busy but clean account is not flagged
        let a = score(
            "n@x",
            0,
            &st(200, 2),
            &[],
            0,
            vec![net("2.205.0.0/16", &["2.205.1.1"])],
            8.0,
        );
        assert!(a.score < ALERT_SCORE_NEW, "{a:?}");
        // nor a new one that only bounces a lot
        let a = score("n@x", 0, &st(20, 12), &[], 0, vec![], 8.0);
        assert!(a.score < ALERT_SCORE_NEW, "{a:?}");
    }

    #[test]
    fn a_bulk_sender_that_did_it_before_is_no_spike() {
        // a weekly newsletter: 1250 recipients a week ago, retries since
        let h = [st(1250, 20), st(3, 0), st(2, 0), st(1, 0), st(2, 0)];
        let hist: Vec<&Stats> = h.iter().collect();
        let a = score("news@x", 0, &st(1270, 25), &hist, 1250, vec![], 5.0);
        assert!(!a.reasons.iter().any(|r| r.contains("own median")), "{a:?}");
        assert!(a.score < ALERT_SCORE, "{a:?}");
        // a takeover of that account goes far beyond its peak
        let a = score("news@x", 0, &st(9000, 40), &hist, 1250, vec![], 5.0);
        assert!(a.reasons.iter().any(|r| r.contains("own median")), "{a:?}");
    }

    #[test]
    fn one_or_two_earlier_days_are_no_own_median() {
        let h = [st(8, 0)];
        let hist: Vec<&Stats> = h.iter().collect();
        let a = score("u@x", 0, &st(70, 1), &hist, 0, vec![], 5.0);
        assert!(!a.reasons.iter().any(|r| r.contains("own median")), "{a:?}");
    }

    #[test]
    fn a_takeover_in_the_first_period_of_data_is_flagged() {
        // no history: 500 recipients against a peer median of 8, and 150 of
        // them to addresses that do not exist
        let a = score("t@x", 0, &st(500, 150), &[], 0, vec![], 8.0);
        assert!(a.score >= ALERT_SCORE_NEW, "{a:?}");
        assert!(a.reasons.iter().any(|r| r.starts_with("bad_address 150")));
        assert!(a.reasons.iter().any(|r| r.starts_with("no history")));
    }

    #[test]
    fn client_networks_are_v4_16_and_v6_48_and_never_ours() {
        let n = |s: &str| client_network(s);
        assert_eq!(n("80.187.113.9").as_deref(), Some("80.187.0.0/16"));
        assert_eq!(n("[80.187.2.1]").as_deref(), Some("80.187.0.0/16"));
        assert_eq!(n("::ffff:80.187.7.7").as_deref(), Some("80.187.0.0/16"));
        assert_eq!(
            n("2a02:8108:1c0:3f00:1d2:ab:cd:ef").as_deref(),
            Some("2a02:8108:1c0::/48")
        );
        assert_eq!(
            n("IPv6:2a02:8108:1c0:77::2").as_deref(),
            Some("2a02:8108:1c0::/48")
        );
        assert_eq!(n("fe80::1%eth0"), None);
        for ours in [
            "127.0.0.1",
            "127.3.4.5",
            "::1",
            "[::1]",
            "::ffff:127.0.0.1",
            "10.1.2.3",
            "172.16.9.9",
            "172.31.255.1",
            "192.168.1.10",
            "100.64.3.3",
            "169.254.0.7",
            "0.0.0.0",
            "fd12:3456::1",
            "",
        ] {
            assert_eq!(n(ours), None, "{ours}");
        }
        // public neighbours of the private ranges are networks
        assert_eq!(n("172.32.0.1").as_deref(), Some("172.32.0.0/16"));
        assert_eq!(n("100.128.0.1").as_deref(), Some("100.128.0.0/16"));
        // not an address: kept as it is, never lost
        assert_eq!(n("client.example").as_deref(), Some("client.example"));
    }

    #[test]
    fn a_phone_or_a_dsl_line_is_not_new_every_day() {
        const D: i64 = DAY_MS;
        // day 0: office and phone; days 1-4: a new carrier address and a
        // new DSL address (same /16s) every day, and webmail on loopback
        let mut first_use = vec![
            (10, "84.150.3.3".to_owned()),
            (20, "80.187.10.1".to_owned()),
            (30, "91.40.1.1".to_owned()),
            (40, "127.0.0.1".to_owned()),
        ];
        for day in 1..5 {
            first_use.push((day * D + 5, format!("80.187.{}.{}", 30 + day, day)));
            first_use.push((day * D + 9, format!("91.40.{}.7", 100 + day)));
            first_use.push((day * D + 11, format!("127.0.0.{day}")));
            first_use.push((day * D + 12, "::1".to_owned()));
        }
        let nets = networks_of(&first_use);
        assert_eq!(nets.len(), 3, "{nets:?}");
        let day0 = new_networks(&nets, 0, D);
        assert_eq!(
            day0.iter().map(|n| n.network.as_str()).collect::<Vec<_>>(),
            ["84.150.0.0/16", "80.187.0.0/16", "91.40.0.0/16"]
        );
        for day in 1..5 {
            assert!(new_networks(&nets, day * D, (day + 1) * D).is_empty());
        }
        // the history account with four new addresses in known networks
        // scores nothing for them
        let h = [st(8, 0), st(10, 1), st(9, 0)];
        let hist: Vec<&Stats> = h.iter().collect();
        let a = score(
            "u@x",
            3 * D,
            &st(12, 1),
            &hist,
            10,
            new_networks(&nets, 3 * D, 4 * D),
            8.0,
        );
        assert_eq!(a.score, 0, "{a:?}");
    }

    #[test]
    fn new_networks_of_a_takeover_are_counted_and_named() {
        const D: i64 = DAY_MS;
        let mut first_use = vec![(10, "80.187.10.1".to_owned()), (20, "127.0.0.1".to_owned())];
        // the takeover: two hosts in one hosting /16, one elsewhere, and
        // webmail, on day 5
        for (k, ip) in [
            "185.220.101.7",
            "185.220.101.9",
            "102.89.3.4",
            "127.0.0.1",
            "80.187.99.1",
        ]
        .iter()
        .enumerate()
        {
            first_use.push((5 * D + 100 * k as i64, (*ip).to_owned()));
        }
        let nets = networks_of(&first_use);
        let new = new_networks(&nets, 5 * D, 6 * D);
        assert_eq!(
            new,
            [
                net("185.220.0.0/16", &["185.220.101.7", "185.220.101.9"]),
                net("102.89.0.0/16", &["102.89.3.4"]),
            ]
        );
        let h = [st(8, 0), st(10, 1), st(9, 0)];
        let hist: Vec<&Stats> = h.iter().collect();
        let a = score("u@x", 5 * D, &st(12, 1), &hist, 10, new, 8.0);
        assert_eq!(a.score, 1, "{a:?}");
        assert_eq!(
            a.reasons,
            [
                "2 new client networks (IPv4 /16, IPv6 /48; loopback/private not counted): \
              185.220.0.0/16 (185.220.101.7, 185.220.101.9), 102.89.0.0/16 (102.89.3.4)"
            ]
        );
        // one new network with history is no signal (a trip, a new phone)
        let one = vec![net("102.89.0.0/16", &["102.89.3.4"])];
        assert_eq!(
            score("u@x", 5 * D, &st(12, 1), &hist, 10, one, 8.0).score,
            0
        );
    }
}
