//! `bouncelens report`: the last period at a glance, on the terminal and
//! optionally as one self-contained HTML file (inline SVG charts, no
//! scripts, nothing fetched from the network).
//!
//! In: `by_domain`, `by_sending_ip`, `blocklist_events`, `account_alerts`,
//! `typo_domains` under `--out`. Out: text on stdout; `--html FILE`.

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
    /// (period, cause) -> failures.
    pub by_cause: BTreeMap<(i64, String), i64>,
    /// (period, domain) -> (failures, attempts).
    pub by_domain: BTreeMap<(i64, String), (i64, i64)>,
    /// (period, provider) -> (failures, attempts).
    pub by_provider: BTreeMap<(i64, String), (i64, i64)>,
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
}

#[derive(Debug, Clone)]
pub struct AlertRow {
    pub period_start: i64,
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

/// (period, key, failures, attempts) per period × key of an aggregate table.
fn sums(out: &Path, table: &str, key: &str) -> anyhow::Result<Vec<(i64, String, i64, i64)>> {
    let Some(lf) = scan(out, table)? else {
        return Ok(Vec::new());
    };
    let df = lf
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
    for (p, cause, f, _) in sums(out, "by_domain", "cause")? {
        periods.insert(p);
        if f > 0 {
            *d.by_cause.entry((p, cause)).or_default() += f;
        }
    }
    for (p, dom, f, a) in sums(out, "by_domain", "recipient_domain")? {
        let e = d.by_domain.entry((p, dom)).or_default();
        e.0 += f;
        e.1 += a;
    }
    for (p, prov, f, a) in sums(out, "by_sending_ip", "provider")? {
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
                who: if ip[i].is_empty() {
                    format!("host {}", host[i])
                } else {
                    ip[i].clone()
                },
                blocklist: list[i].clone(),
                first_seen: fs[i].unwrap_or(0),
                last_seen: ls[i].unwrap_or(0),
                failures: n[i].unwrap_or(0),
                domains: doms[i].unwrap_or(0),
                providers: prov[i].clone(),
                share: share[i].unwrap_or(0.0),
                status: st[i].clone(),
                example: ex[i].clone(),
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
        for i in 0..df.height() {
            d.alerts.push(AlertRow {
                period_start: p[i].unwrap_or(0),
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
    Ok(d)
}

impl Data {
    fn last_two(&self) -> (Option<i64>, Option<i64>) {
        let n = self.periods.len();
        (
            self.periods.last().copied(),
            n.checked_sub(2).map(|i| self.periods[i]),
        )
    }

    /// Failures by cause: (cause, last, previous), biggest first.
    pub fn causes_last(&self) -> Vec<(String, i64, i64)> {
        let (Some(last), prev) = self.last_two() else {
            return Vec::new();
        };
        let mut m: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for ((p, c), n) in &self.by_cause {
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
    let _ = writeln!(s, "\nFailures by cause (last | previous | change)");
    for (c, a, b) in d.causes_last() {
        let _ = writeln!(s, "  {c:<20} {a:>8} {b:>8}  {}", change(a, b));
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
        "\nTop failing domains in the last period (failures, rate, change)"
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

fn basis_words(basis: &str) -> &str {
    match basis {
        "common" => "common provider",
        "delivered" => "a domain we deliver to",
        b => b,
    }
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
        "Failures by cause over time",
        &d.periods,
        &causes,
        9,
    ));
    s.push_str(&stacked_bars(
        "Failures per provider over time",
        &d.periods,
        &providers,
        9,
    ));
    s.push_str(&timeline(d));
    s.push_str("<h2>Blocklist episodes</h2><table><tr><th>status</th><th>sending IP / host</th><th>list</th><th>first seen</th><th>last seen</th><th>failures</th><th>share of attempts</th><th>domains</th><th>providers</th><th>example</th></tr>");
    for e in &d.episodes {
        let _ = write!(s, "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}%</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(&e.status), esc(&e.status), esc(&e.who), esc(&e.blocklist), fmt_ms(e.first_seen), fmt_ms(e.last_seen), e.failures, e.share * 100.0, e.domains, esc(&e.providers), esc(&e.example.chars().take(160).collect::<String>()));
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
    s.push_str("</table><h2>Failures by cause, last period</h2><table><tr><th>cause</th><th>last</th><th>previous</th><th>change</th></tr>");
    for (c, a, b) in d.causes_last() {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{a}</td><td>{b}</td><td>{}</td></tr>",
            esc(&c),
            change(a, b)
        );
    }
    s.push_str("</table><h2>Top failing domains, last period</h2><table><tr><th>domain</th><th>failures</th><th>failure rate</th><th>previous</th><th>change</th></tr>");
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
}
