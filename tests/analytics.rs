//! The derived tables and the report on generated multi-day logs with
//! injected events: account takeovers, blocklist episodes (one crossing
//! midnight, processed by two `run`s split at midnight) and typo domains.
//! `tests/month_scenario.sh` runs the full month of issue 5's acceptance.

use polars::prelude::*;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_bouncelens");
const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// 2026-03-01 00:00 UTC in ms.
const T0: i64 = 1_772_323_200_000;

const SCENARIO: &[&str] = &[
    "--takeover",
    "user7@example.net@2026-03-04",
    "--blocklist",
    "192.0.2.10:spamhaus:2026-03-02T20:10",
    "--blocklist",
    "198.51.100.20:microsoft:2026-03-05T09:6",
    "--typo-domain",
    "gmaill.com",
];

fn bl(args: &[&str]) -> Output {
    let o = Command::new(BIN)
        .args(args)
        .output()
        .expect("run bouncelens");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn sample(path: &Path, lines: &str, seed: &str, start: &str, days: &str) {
    let mut args = vec![
        "sample", "--lines", lines, "--seed", seed, "--start", start, "--days", days, "--out",
    ];
    args.push(path.to_str().unwrap());
    args.extend_from_slice(SCENARIO);
    bl(&args);
}

fn run(input: &Path, out: &Path) {
    bl(&[
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--year",
        "2026",
        "--quiet",
    ]);
}

fn sql(out: &Path, q: &str) -> DataFrame {
    bouncelens::query::execute(out, q).unwrap_or_else(|e| panic!("{q}: {e:#}"))
}

fn ints(df: &DataFrame, c: &str) -> Vec<i64> {
    let s = df.column(c).unwrap().cast(&DataType::Int64).unwrap();
    s.i64().unwrap().iter().map(|v| v.unwrap()).collect()
}

fn strs(df: &DataFrame, c: &str) -> Vec<String> {
    let s = df.column(c).unwrap().cast(&DataType::String).unwrap();
    s.str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or("").to_owned())
        .collect()
}

fn near(got: i64, want: i64, tol: i64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} ± {tol} ms"
    );
}

#[test]
fn injected_events_are_found_and_reported() {
    let d = tempfile::tempdir().unwrap();
    let (d1, d2) = (d.path().join("d1.log.gz"), d.path().join("d2.log.gz"));
    // split at midnight 03-02/03-03, in the middle of the spamhaus listing
    sample(&d1, "40000", "1", "2026-03-01", "2");
    sample(&d2, "80000", "2", "2026-03-03", "4");
    let out = d.path().join("out");
    run(&d1, &out);
    // after the first run the spamhaus episode is still open (in the data)
    let first = sql(
        &out,
        "SELECT sending_ip, blocklist, status FROM blocklist_events",
    );
    assert!(
        strs(&first, "status").iter().any(|s| s == "open"),
        "{first}"
    );
    run(&d2, &out);

    // blocklist episodes: both injected, one row each, right times
    let ep = sql(
        &out,
        "SELECT sending_ip, blocklist, first_seen, last_seen, failures, status, providers \
         FROM blocklist_events ORDER BY first_seen",
    );
    assert!(ep.height() >= 2 && ep.height() <= 3, "{ep}");
    let (ip, list) = (strs(&ep, "sending_ip"), strs(&ep, "blocklist"));
    let (fs, ls) = (ints(&ep, "first_seen"), ints(&ep, "last_seen"));
    let find = |i: &str, l: &str| {
        let hits: Vec<usize> = (0..ep.height())
            .filter(|&k| ip[k] == i && list[k] == l)
            .collect();
        assert_eq!(hits.len(), 1, "one episode for {i} {l}: {ep}");
        hits[0]
    };
    let s = find("192.0.2.10", "spamhaus");
    near(fs[s], T0 + DAY + 20 * HOUR, HOUR, "spamhaus first_seen");
    near(ls[s], T0 + 2 * DAY + 6 * HOUR, HOUR, "spamhaus last_seen");
    assert_eq!(strs(&ep, "status")[s], "closed");
    let m = find("198.51.100.20", "microsoft");
    near(fs[m], T0 + 4 * DAY + 9 * HOUR, HOUR, "microsoft first_seen");
    near(ls[m], T0 + 4 * DAY + 15 * HOUR, HOUR, "microsoft last_seen");
    assert_eq!(strs(&ep, "providers")[m], "microsoft");
    assert!(ints(&ep, "failures")[s] > 100, "{ep}");

    // account alerts: the takeover on its day, at most one other
    let al = sql(
        &out,
        "SELECT account, period_start, score, reasons FROM account_alerts",
    );
    assert!(al.height() >= 1 && al.height() <= 2, "{al}");
    let acc = strs(&al, "account");
    let k = acc
        .iter()
        .position(|a| a == "user7@example.net")
        .unwrap_or_else(|| panic!("takeover not flagged: {al}"));
    near(
        ints(&al, "period_start")[k],
        T0 + 3 * DAY,
        DAY,
        "takeover period",
    );
    let why = &strs(&al, "reasons")[k];
    // (its four client IPs are one hosting /16: one new network, which
    // with history is no signal by itself)
    assert!(
        why.contains("vs own median") && why.contains("bad_address"),
        "{why}"
    );

    // the typo domain with its suggestion
    let typo = sql(
        &out,
        &bouncelens::query::portable_sql(include_str!("../queries/typo_domains.sql")),
    );
    let (dom, sug) = (
        strs(&typo, "recipient_domain"),
        strs(&typo, "suggested_domain"),
    );
    assert!(
        dom.iter()
            .zip(&sug)
            .any(|(d, s)| d == "gmaill.com" && s == "gmail.com"),
        "{typo}"
    );

    // every shipped query runs; the ones over the derived tables have rows
    for q in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries")).unwrap() {
        let path = q.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let df = sql(&out, &bouncelens::query::portable_sql(&text));
        assert!(df.height() > 0, "{} returned no rows", path.display());
    }

    // a re-run rebuilds the derived tables to the same bytes
    let read = |t: &str| std::fs::read(out.join(t).join("part-0.parquet")).unwrap();
    let before = (read("blocklist_events"), read("account_alerts"));
    bl(&[
        "run",
        d1.to_str().unwrap(),
        d2.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--year",
        "2026",
    ]);
    assert!(before == (read("blocklist_events"), read("account_alerts")));

    // the report names every injected event; the HTML has charts
    let html = d.path().join("r.html");
    let o = bl(&[
        "report",
        "--out",
        out.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    for want in [
        "192.0.2.10 on spamhaus",
        "198.51.100.20 on microsoft",
        "user7@example.net",
        "Failures by cause (outbound",
        "gmaill.com",
    ] {
        assert!(text.contains(want), "report lacks {want:?}:\n{text}");
    }
    // our MX's own RBL rejects of spammers are counted apart, by cause,
    // and our own domain is no top failing domain because of them
    let rejects = text
        .lines()
        .find(|l| l.contains("rejected by this server (inbound SMTP"))
        .unwrap_or_else(|| panic!("no inbound line:\n{text}"));
    assert!(rejects.contains("ip_blocked"), "{rejects}");
    let top: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Top failing domains"))
        .collect();
    assert!(
        !top.iter()
            .any(|l| l.trim_start().starts_with("example.net ")),
        "{text}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.matches("<svg").count() >= 3, "three charts");
    assert!(page.contains("192.0.2.10") && page.contains("user7@example.net"));
    assert!(!page.contains("<script"), "no scripts");
}

#[test]
fn clean_sample_raises_nothing_and_report_works_on_empty_tables() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("s.log.gz");
    bl(&[
        "sample",
        "--lines",
        "60000",
        "--days",
        "3",
        "--out",
        log.to_str().unwrap(),
    ]);
    let out = d.path().join("out");
    run(&log, &out);
    let ep = sql(&out, "SELECT * FROM blocklist_events");
    let al = sql(&out, "SELECT * FROM account_alerts");
    assert_eq!(ep.height(), 0, "{ep}");
    assert_eq!(al.height(), 0, "{al}");
    let o = bl(&["report", "--out", out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Blocklist episodes (0"), "{text}");
}

/// A week as the nightly job sees it: one file per day, one `run` per
/// night into the same tables. Injected: two takeovers, three listings on
/// three IPs and lists (one from 22:00 for 5 hours: two runs see it) and a
/// typo of a domain we deliver to (not a common provider).
#[test]
fn nightly_week_finds_every_injected_event_and_little_else() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let scenario = [
        "--takeover",
        "user17@example.net@2026-03-03",
        "--takeover",
        "user123@example.net@2026-03-06",
        "--blocklist",
        "192.0.2.10:spamhaus:2026-03-02T09:6",
        "--blocklist",
        "198.51.100.20:barracuda:2026-03-03T22:5",
        "--blocklist",
        "192.0.2.11:microsoft:2026-03-05T13:4",
        "--typo-domain",
        "shcool.edu",
    ];
    let status_of = |ip: &str| -> Vec<String> {
        let ep = sql(
            &out,
            &format!("SELECT status FROM blocklist_events WHERE sending_ip = '{ip}'"),
        );
        strs(&ep, "status")
    };
    for day in 1..=7 {
        let date = format!("2026-03-{day:02}");
        let log = d.path().join(format!("mail-{date}.log.gz"));
        let seed = (100 + day).to_string();
        let mut args = vec![
            "sample", "--lines", "12000", "--seed", &seed, "--start", &date, "--days", "1", "--out",
        ];
        args.push(log.to_str().unwrap());
        args.extend_from_slice(&scenario);
        bl(&args);
        run(&log, &out);
        if day == 1 {
            // the first night: no history, nothing to report
            let al = sql(&out, "SELECT * FROM account_alerts");
            let ep = sql(&out, "SELECT * FROM blocklist_events");
            assert_eq!((al.height(), ep.height()), (0, 0), "{al}\n{ep}");
        }
        if day == 3 {
            // the listing began at 22:00: open after tonight's run
            assert_eq!(status_of("198.51.100.20"), ["open"]);
        }
    }
    assert_eq!(status_of("198.51.100.20"), ["closed"]);

    let ep = sql(
        &out,
        "SELECT sending_ip, blocklist, first_seen, last_seen FROM blocklist_events",
    );
    let (ip, list) = (strs(&ep, "sending_ip"), strs(&ep, "blocklist"));
    let (fs, ls) = (ints(&ep, "first_seen"), ints(&ep, "last_seen"));
    let mut matched = 0;
    for (want_ip, want_list, start_h, hours) in [
        ("192.0.2.10", "spamhaus", DAY + 9 * HOUR, 6),
        ("198.51.100.20", "barracuda", 2 * DAY + 22 * HOUR, 5),
        ("192.0.2.11", "microsoft", 4 * DAY + 13 * HOUR, 4),
    ] {
        let k: Vec<usize> = (0..ep.height())
            .filter(|&k| ip[k] == want_ip && list[k] == want_list)
            .collect();
        assert_eq!(k.len(), 1, "one episode for {want_ip} {want_list}: {ep}");
        let k = k[0];
        // found to the hour, well within the one period allowed
        near(fs[k], T0 + start_h, HOUR, "first_seen");
        near(ls[k], T0 + start_h + hours * HOUR, HOUR, "last_seen");
        matched += 1;
    }
    let al = sql(&out, "SELECT account, period_start FROM account_alerts");
    let (acc, ps) = (strs(&al, "account"), ints(&al, "period_start"));
    for (who, day) in [("user17@example.net", 2), ("user123@example.net", 5)] {
        let k: Vec<usize> = (0..al.height()).filter(|&k| acc[k] == who).collect();
        assert_eq!(k.len(), 1, "one alert for {who}: {al}");
        near(ps[k[0]], T0 + day * DAY, 0, "takeover period");
        matched += 1;
    }
    let others = ep.height() + al.height() - matched;
    assert!(others <= 1, "{others} other alerts:\n{ep}\n{al}");

    let typo = sql(
        &out,
        "SELECT suggested_domain, basis FROM typo_domains WHERE recipient_domain = 'shcool.edu'",
    );
    assert_eq!(strs(&typo, "suggested_domain"), ["school.edu"], "{typo}");
    assert_eq!(strs(&typo, "basis"), ["delivered"], "{typo}");

    let o = bl(&["report", "--out", out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    for want in [
        "192.0.2.10 on spamhaus",
        "198.51.100.20 on barracuda",
        "192.0.2.11 on microsoft",
        "user17@example.net",
        "user123@example.net",
        "shcool.edu",
    ] {
        assert!(text.contains(want), "report lacks {want:?}:\n{text}");
    }
}
