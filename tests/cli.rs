//! End-to-end tests of the `bouncelens` binary: tables, idempotence,
//! correlation, bad input and output faults.

mod common;

use common::*;
use polars::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small Postfix log: one message from a SASL user with 3 recipients
/// (sent, bounced, deferred), a reused queue id later with another sender,
/// a NOQUEUE reject, an expired message and lines we do not parse.
const LOG: &str = "\
Mar  3 10:00:00 mx1 postfix/submission/smtpd[2211]: 9F1E2123AB: client=laptop.example.org[198.51.100.7], sasl_method=PLAIN, sasl_username=alice@example.org
Mar  3 10:00:00 mx1 postfix/cleanup[2212]: 9F1E2123AB: message-id=<1@example.org>
Mar  3 10:00:01 mx1 postfix/qmgr[99]: 9F1E2123AB: from=<alice@example.org>, size=1234, nrcpt=3 (queue active)
Mar  3 10:00:02 mx1 postfix-192.0.2.10/smtp[300]: 9F1E2123AB: to=<carol@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK 1 - gsmtp)
Mar  3 10:00:02 mx1 postfix-192.0.2.10/smtp[300]: 9F1E2123AB: to=<nobody@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.1.1 The email account that you tried to reach does not exist. (in reply to RCPT TO command))
Mar  3 10:00:03 mx1 postfix-192.0.2.10/smtp[301]: 9F1E2123AB: to=<dave@yahoo.com>, relay=mta7.am0.yahoodns.net[67.195.204.72]:25, delay=2, delays=0/0/1/1, dsn=4.7.0, status=deferred (host mta7.am0.yahoodns.net[67.195.204.72] said: 421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1 (in reply to MAIL FROM command))
Mar  3 10:00:04 mx1 postfix/qmgr[99]: 9F1E2123AB: removed
Mar  3 11:00:00 mx1 postfix/smtpd[2300]: 9F1E2123AB: client=other.example.net[203.0.113.50]
Mar  3 11:00:01 mx1 postfix/qmgr[99]: 9F1E2123AB: from=<bob@example.org>, size=99, nrcpt=1 (queue active)
Mar  3 11:00:02 mx1 postfix/smtp[302]: 9F1E2123AB: to=<x@gmial.com>, relay=none, delay=0.1, delays=0/0/0.1/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=gmial.com type=A: Host not found)
Mar  3 11:05:00 mx1 postfix/smtpd[2301]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9; from=<spam@bulk.example> to=<staff@example.org> proto=ESMTP helo=<bulk.example>
Mar  3 11:06:00 mx1 postfix/qmgr[99]: 4A1B2C3D4E: from=<eve@example.org>, status=expired, returned to sender
Mar  3 11:07:00 mx1 dovecot: imap-login: Login: user=<alice>
this line is not a log line at all
";

#[test]
fn run_writes_events_with_correlation_and_classification() {
    let d = tmp();
    let log = d.path().join("mail.log");
    write(&log, LOG.as_bytes());
    let out = d.path().join("out");
    let o = run(&[&log], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 unparsed"), "{}", stderr(&o));

    let ev = sql(&out, "SELECT * FROM events ORDER BY line_no");
    // bounced, deferred, bounced (gmial), rejected, expired; not the sent one
    assert_eq!(ev.height(), 5);
    assert_eq!(
        str_col(&ev, "outcome"),
        ["bounced", "deferred", "bounced", "rejected", "expired"].map(|s| Some(s.to_owned()))
    );
    let sender = str_col(&ev, "sender");
    let sasl = str_col(&ev, "sasl_user");
    let client = str_col(&ev, "client_ip");
    // first message: all three facts joined from earlier lines
    assert_eq!(sender[0].as_deref(), Some("alice@example.org"));
    assert_eq!(sasl[0].as_deref(), Some("alice@example.org"));
    assert_eq!(client[0].as_deref(), Some("198.51.100.7"));
    // the reused queue id takes the nearest earlier lines, not the first ones
    assert_eq!(sender[2].as_deref(), Some("bob@example.org"));
    assert_eq!(client[2].as_deref(), Some("203.0.113.50"));
    assert_eq!(sasl[2], None);
    // the reject carries its own client and sender
    assert_eq!(sender[3].as_deref(), Some("spam@bulk.example"));
    assert_eq!(client[3].as_deref(), Some("203.0.113.9"));
    assert_eq!(str_col(&ev, "sending_ip")[0].as_deref(), Some("192.0.2.10"));
    assert_eq!(
        str_col(&ev, "sender_domain")[0].as_deref(),
        Some("example.org")
    );
    assert_eq!(
        str_col(&ev, "recipient_domain")[1].as_deref(),
        Some("yahoo.com")
    );
    assert_eq!(str_col(&ev, "mta_host")[0].as_deref(), Some("mx1"));
    assert_eq!(str_col(&ev, "source_kind")[0].as_deref(), Some("postfix"));
    assert_eq!(str_col(&ev, "date")[0].as_deref(), Some("2024-03-03"));
    let lines: Vec<i64> = ev
        .column("line_no")
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(lines, vec![5, 6, 10, 11, 12]);
    let cause = str_col(&ev, "cause");
    assert_eq!(cause[4].as_deref(), Some("expired"));
    assert!(cause.iter().all(Option::is_some));

    // sent attempts are counted in the aggregates
    let sent = sql(
        &out,
        "SELECT SUM(attempts) AS n FROM by_domain WHERE outcome = 'sent'",
    );
    assert_eq!(
        sent.column("n")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .get(0),
        Some(1)
    );
    let total = sql(&out, "SELECT SUM(attempts) AS n FROM by_domain");
    assert_eq!(
        total
            .column("n")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .get(0),
        Some(6)
    );
    let by_sender = sql(&out, "SELECT account, account_kind, SUM(attempts) AS n, MAX(client_ips) AS c FROM by_sender WHERE account = 'alice@example.org' GROUP BY account, account_kind");
    assert_eq!(
        str_col(&by_sender, "account_kind")[0].as_deref(),
        Some("sasl")
    );
    let inputs = sql(&out, "SELECT * FROM inputs");
    assert_eq!(inputs.height(), 1);
    assert_eq!(str_col(&inputs, "format")[0].as_deref(), Some("postfix"));

    // Hive layout, private files
    assert!(out.join("events/date=2024-03-03").is_dir());
    #[cfg(unix)]
    for f in parquet_files(&out) {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&f).unwrap().permissions().mode();
        assert_eq!(mode & 0o004, 0, "{} is world readable", f.display());
    }
}

#[test]
fn plain_gzip_and_multimember_gzip_give_the_same_tables() {
    let d = tmp();
    let plain = d.path().join("a.log");
    write(&plain, LOG.as_bytes());
    let gz = d.path().join("b.log.gz");
    write(&gz, &gzip(LOG.as_bytes()));
    let (first, second) = LOG.split_at(LOG.find("Mar  3 11:00:00").unwrap());
    let mut multi = gzip(first.as_bytes());
    multi.extend(gzip(second.as_bytes()));
    let mm = d.path().join("c.log.gz");
    write(&mm, &multi);
    let mut snaps = Vec::new();
    for (i, input) in [&plain, &gz, &mm].into_iter().enumerate() {
        let out = d.path().join(format!("out{i}"));
        let o = run(&[input], &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let mut s = snapshot(&out);
        for (_, df) in s.iter_mut() {
            if df.column("source_file").is_ok() {
                let _ = df.drop_in_place("source_file");
            }
        }
        snaps.push(s);
    }
    assert_eq!(snaps[0], snaps[1]);
    assert_eq!(snaps[0], snaps[2]);
}

#[test]
fn reruns_are_idempotent_and_incremental() {
    let d = tmp();
    let a = d.path().join("a.log");
    write(&a, LOG.as_bytes());
    let out = d.path().join("out");
    assert_eq!(run(&[&a], &out, &[]).status.code(), Some(0));
    let before = snapshot(&out);
    let files = parquet_files(&out);

    // same input again: nothing changes
    let o = run(&[&a], &out, &[]);
    assert!(stderr(&o).contains("1 already seen"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
    assert_eq!(parquet_files(&out), files);

    // --reprocess: replaced, not duplicated
    assert_eq!(run(&[&a], &out, &["--reprocess"]).status.code(), Some(0));
    assert_eq!(snapshot(&out), before);

    // a new file adds only its rows
    let b = d.path().join("b.log");
    let other = LOG.replace("mx1", "mx2").replace("Mar  3", "Mar  4");
    write(&b, other.as_bytes());
    let o = run(&[&a, &b], &out, &[]);
    assert!(
        stderr(&o).contains("1 inputs processed, 1 already seen"),
        "{}",
        stderr(&o)
    );
    let n = sql(&out, "SELECT COUNT(*) AS n FROM events");
    assert_eq!(
        n.column("n")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .get(0),
        Some(10)
    );
}

#[test]
fn a_growing_log_then_its_rotated_gzip_never_duplicate_rows() {
    let d = tmp();
    let live = d.path().join("mail.log");
    let (first, _) = LOG.split_at(LOG.find("Mar  3 11:00:00").unwrap());
    write(&live, first.as_bytes());
    let out = d.path().join("out");
    assert_eq!(run(&[&live], &out, &[]).status.code(), Some(0));
    // the log grows, then is rotated and compressed
    write(&live, LOG.as_bytes());
    assert_eq!(run(&[&live], &out, &[]).status.code(), Some(0));
    let rotated = d.path().join("mail.log.1.gz");
    std::fs::remove_file(&live).unwrap();
    write(&rotated, &gzip(LOG.as_bytes()));
    assert_eq!(run(&[&rotated], &out, &[]).status.code(), Some(0));

    let fresh = d.path().join("fresh");
    assert_eq!(run(&[&rotated], &fresh, &[]).status.code(), Some(0));
    let strip = |mut s: Vec<(String, DataFrame)>| {
        for (_, df) in s.iter_mut() {
            let _ = df.drop_in_place("source_file");
        }
        s
    };
    assert_eq!(strip(snapshot(&out)), strip(snapshot(&fresh)));
}

#[test]
fn year_rollover_inside_one_file() {
    let d = tmp();
    let log = d.path().join("ny.log");
    let text = "\
Dec 31 23:59:59 mx1 postfix/smtp[1]: 1A2B3C4D5E: to=<a@example.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx.example.com[192.0.2.1]:25: Connection timed out)
Jan  1 00:00:01 mx1 postfix/smtp[1]: 1A2B3C4D5E: to=<a@example.com>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx.example.com[192.0.2.1]:25: Connection timed out)
";
    write(&log, text.as_bytes());
    let out = d.path().join("out");
    let o = run(&[&log], &out, &["--year", "2023"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ev = sql(&out, "SELECT date FROM events ORDER BY ts");
    assert_eq!(
        str_col(&ev, "date"),
        vec![Some("2023-12-31".to_owned()), Some("2024-01-01".to_owned())]
    );
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_kept() {
    let d = tmp();
    let good = d.path().join("good.log");
    write(&good, LOG.as_bytes());
    let missing = d.path().join("missing.log");
    let notlog = d.path().join("notes.txt");
    write(&notlog, b"just some text\nnothing to see\n");
    let trunc = d.path().join("trunc.log.gz");
    let big: String = (0..3000).map(|_| LOG).collect();
    let z = gzip(big.as_bytes());
    write(&trunc, &z[..z.len() / 2]);
    let out = d.path().join("out");
    let o = run(&[&good, &missing, &notlog, &trunc], &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("missing.log"), "{err}");
    assert!(
        err.contains("notes.txt") && err.contains("format not recognised"),
        "{err}"
    );
    assert!(
        err.contains("trunc.log.gz") && err.contains("offset"),
        "{err}"
    );
    let inputs = sql(&out, "SELECT path, lines, errors FROM inputs ORDER BY path");
    assert_eq!(inputs.height(), 2);
    let errors = str_col(&inputs, "errors");
    assert_eq!(errors[0], None);
    assert!(errors[1].as_deref().unwrap().contains("damaged gzip"));
    let lines = inputs
        .column("lines")
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap();
    let kept = lines.i64().unwrap().get(1).unwrap();
    assert!(kept > 1000 && kept < 3000 * 14, "kept {kept} lines");
}

#[test]
fn unusable_out_stops_at_once_with_exit_2() {
    let d = tmp();
    let log = d.path().join("a.log");
    write(&log, LOG.as_bytes());
    let file_as_out = d.path().join("a-file");
    write(&file_as_out, b"x");
    let o = run(&[&log], &file_as_out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot use output directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_second_run_on_a_locked_out_exits_2() {
    let d = tmp();
    let log = d.path().join("a.log");
    write(&log, LOG.as_bytes());
    let out = d.path().join("out");
    assert_eq!(run(&[&log], &out, &[]).status.code(), Some(0));
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(out.join(".bouncelens/lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let o = run(&[&log], &out, &["--reprocess"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds the lock"), "{}", stderr(&o));
    lock.unlock().unwrap();
    assert_eq!(run(&[&log], &out, &["--reprocess"]).status.code(), Some(0));
}

#[test]
fn a_corrupt_state_file_is_reported_and_reprocess_recovers() {
    let d = tmp();
    let log = d.path().join("a.log");
    write(&log, LOG.as_bytes());
    let out = d.path().join("out");
    assert_eq!(run(&[&log], &out, &[]).status.code(), Some(0));
    let before = snapshot(&out);
    write(&out.join(".bouncelens/state.json"), b"{ not json");
    let o = run(&[&log], &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--reprocess"), "{}", stderr(&o));
    let o = run(&[&log], &out, &["--reprocess"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn classify_prints_one_json_record_per_failure() {
    let d = tmp();
    let log = d.path().join("a.log");
    write(&log, LOG.as_bytes());
    let o = bl(&["classify", log.to_str().unwrap(), "--year", "2024"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let recs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 5);
    assert_eq!(recs[0]["recipient"], "nobody@gmail.com");
    assert_eq!(recs[0]["sender"], "alice@example.org");
    for field in [
        "ts",
        "cause",
        "rule",
        "smtp_code",
        "enhanced_status",
        "diagnostic",
        "line_no",
    ] {
        assert!(recs[0].get(field).is_some(), "missing {field}");
    }
}

#[test]
fn sample_data_runs_and_queries_work() {
    let d = tmp();
    let gz = d.path().join("s.log.gz");
    let o = bl(&["sample", "--lines", "20000", "--out", gz.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = d.path().join("out");
    let o = run(&[&gz], &out, &["--period", "hour"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ev = sql(
        &out,
        "SELECT COUNT(*) AS n, COUNT(DISTINCT cause) AS causes FROM events",
    );
    let n = ev
        .column("n")
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .get(0)
        .unwrap();
    assert!(n > 500, "{n} events");
    let hours = sql(
        &out,
        "SELECT COUNT(DISTINCT period_start) AS h FROM by_domain",
    );
    assert_eq!(
        hours
            .column("h")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .get(0),
        Some(24)
    );
    for q in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries")).unwrap() {
        let path = q.unwrap().path();
        let o = bl(&[
            "query",
            "--out",
            out.to_str().unwrap(),
            "--file",
            path.to_str().unwrap(),
            "--format",
            "csv",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            path.display(),
            stderr(&o)
        );
        assert!(
            String::from_utf8_lossy(&o.stdout).lines().count() > 1,
            "{} is empty",
            path.display()
        );
    }
}

#[test]
fn classify_gives_identical_records_for_plain_gzip_and_multimember_gzip() {
    let d = tmp();
    let plain = d.path().join("a.log");
    write(&plain, LOG.as_bytes());
    let gz = d.path().join("a.log.gz");
    write(&gz, &gzip(LOG.as_bytes()));
    let (first, second) = LOG.split_at(LOG.find("Mar  3 11:00:00").unwrap());
    let mut multi = gzip(first.as_bytes());
    multi.extend(gzip(second.as_bytes()));
    let mm = d.path().join("m.log.gz");
    write(&mm, &multi);
    let records = |p: &Path| -> Vec<serde_json::Value> {
        let o = bl(&["classify", p.to_str().unwrap(), "--year", "2024"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("source_file");
                v
            })
            .collect()
    };
    let a = records(&plain);
    assert_eq!(a.len(), 5);
    assert_eq!(a, records(&gz));
    assert_eq!(a, records(&mm));
}

#[test]
fn bundled_sample_data_covers_every_cause_but_unknown() {
    let d = tmp();
    let out = d.path().join("out");
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
    let o = run(&[Path::new(sample)], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let causes = sql(&out, "SELECT DISTINCT cause FROM events ORDER BY cause");
    let got: Vec<String> = str_col(&causes, "cause").into_iter().flatten().collect();
    let want: Vec<String> = bouncelens::classify::Cause::ALL
        .iter()
        .filter(|c| **c != bouncelens::classify::Cause::Unknown)
        .map(|c| c.as_str().to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(got, want);
}

#[test]
fn kill_9_at_any_point_then_rerun_gives_the_clean_tables() {
    let d = tmp();
    let mut inputs = Vec::new();
    for i in 0..4 {
        let p = d
            .path()
            .join(format!("mx{i}.log{}", if i % 2 == 0 { ".gz" } else { "" }));
        let o = bl(&[
            "sample",
            "--lines",
            "60000",
            "--seed",
            &i.to_string(),
            "--host",
            &format!("mx{i}"),
            "--out",
            p.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0));
        inputs.push(p);
    }
    let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let clean = d.path().join("clean");
    assert_eq!(run(&refs, &clean, &[]).status.code(), Some(0));
    let want = snapshot(&clean);
    for (k, delay_ms) in [5u64, 40, 90, 160, 250, 400].into_iter().enumerate() {
        let out = d.path().join(format!("killed{k}"));
        let mut args: Vec<String> = vec!["run".into()];
        args.extend(inputs.iter().map(|p| p.display().to_string()));
        args.extend([
            "--out".into(),
            out.display().to_string(),
            "--year".into(),
            "2024".into(),
        ]);
        let mut child = Command::new(BIN).args(&args).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let o = run(&refs, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "after kill at {delay_ms} ms: {}",
            stderr(&o)
        );
        assert_eq!(
            snapshot(&out),
            want,
            "tables differ after kill at {delay_ms} ms"
        );
        let n = sql(&out, "SELECT COUNT(*) AS n FROM inputs");
        let n = n.column("n").unwrap().cast(&DataType::Int64).unwrap();
        assert_eq!(
            n.i64().unwrap().get(0),
            Some(4),
            "inputs rows after kill at {delay_ms} ms"
        );
    }
}

const EXIM: &str = "\
2024-03-03 10:15:01 1jmFYj-00039V-QX <= alice@example.org H=laptop.example.org (alice-pc) [198.51.100.7]:52114 I=[192.0.2.25]:587 P=esmtpsa A=dovecot_plain:alice@example.org S=2841 id=1@example.org
2024-03-03 10:15:02 1jmFYj-00039V-QX => carol@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.10] I=[192.0.2.25] C=\"250 2.0.0 Ok\"
2024-03-03 10:15:03 1jmFYj-00039V-QX ** bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.10] I=[192.0.2.25]: SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown
2024-03-03 10:15:04 1jmFYj-00039V-QX == dave@yahoo.com R=dnslookup T=remote_smtp defer (-46) H=mta7.am0.yahoodns.net [67.195.204.72]: SMTP error from remote mail server after end of data: 421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to user complaints
2024-03-03 10:15:05 1jmFYj-00039V-QX Completed
2024-03-03 10:15:06 H=(bad.example) [203.0.113.9]:41234 F=<spam@bad.example> rejected RCPT <user@example.org>: JunkMail rejected - bad.example [203.0.113.9] is in an RBL: see http://www.spamhaus.org/query/bl?ip=203.0.113.9
2024-03-03 10:15:07 16VDhn-000000001bo-D342 <= <> R=1jmFYj-00039V-QX U=Debian-exim P=local S=1900
2024-03-03 10:15:08 16VDhn-000000001bo-D342 ** eve@gone.example: retry timeout exceeded
<<< not a log line >>>
";

const SENDMAIL: &str = "\
Mar  3 10:15:01 mail sm-mta[4242]: 2A3B4C5D012345: from=<alice@example.org>, size=2841, class=0, nrcpts=3, msgid=<1@example.org>, proto=ESMTP, daemon=MTA, relay=laptop.example.org [198.51.100.7]
Mar  3 10:15:02 mail sm-mta[4243]: 2A3B4C5D012345: to=<bob@example.com>,<carol@example.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx.example.com. [192.0.2.10], dsn=5.1.1, stat=User unknown
Mar  3 10:15:03 mail sm-mta[4243]: 2A3B4C5D012345: to=<dave@example.net>, delay=1+02:00:01, xdelay=00:00:30, mailer=esmtp, pri=120000, relay=mx.example.net. [192.0.2.11], dsn=4.0.0, stat=Deferred: Connection timed out with mx.example.net.
Mar  3 10:15:04 mail sm-mta[4244]: 2A3B4C5D012346: ruleset=check_rcpt, arg1=<x@example.org>, relay=bad.example [203.0.113.9], reject=550 5.7.1 <x@example.org>... Relaying denied
<<< not a log line >>>
";

#[test]
fn a_mixed_directory_of_postfix_exim_and_sendmail_runs_in_one_go() {
    let d = tmp();
    let logs = d.path().join("logs");
    std::fs::create_dir_all(logs.join("sub")).unwrap();
    write(&logs.join("maillog"), LOG.as_bytes());
    write(&logs.join("sub/exim_mainlog.gz"), &gzip(EXIM.as_bytes()));
    write(&logs.join("sendmail.log.gz"), &gzip(SENDMAIL.as_bytes()));
    write(
        &logs.join("exim-plain.log"),
        EXIM.replace("2024-03-03", "2024-03-04").as_bytes(),
    );
    let out = d.path().join("out");
    let o = run(&[&logs], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let inputs = sql(
        &out,
        "SELECT path, format, records, failures, unparsed FROM inputs ORDER BY path",
    );
    let formats = str_col(&inputs, "format");
    let paths = str_col(&inputs, "path");
    let fmt_of = |name: &str| {
        let i = paths
            .iter()
            .position(|p| p.as_deref().unwrap().ends_with(name))
            .unwrap();
        formats[i].clone().unwrap()
    };
    assert_eq!(fmt_of("maillog"), "postfix");
    assert_eq!(fmt_of("exim_mainlog.gz"), "exim");
    assert_eq!(fmt_of("exim-plain.log"), "exim");
    assert_eq!(fmt_of("sendmail.log.gz"), "sendmail");

    // Exim: the bounce carries the sender and SASL user of its `<=` line
    let ex = sql(
        &out,
        "SELECT * FROM events WHERE source_kind = 'exim' AND date = '2024-03-03' ORDER BY line_no",
    );
    assert_eq!(
        str_col(&ex, "outcome"),
        ["bounced", "deferred", "rejected", "expired"].map(|s| Some(s.to_owned()))
    );
    assert_eq!(
        str_col(&ex, "sender")[0].as_deref(),
        Some("alice@example.org")
    );
    assert_eq!(
        str_col(&ex, "sasl_user")[0].as_deref(),
        Some("alice@example.org")
    );
    assert_eq!(
        str_col(&ex, "client_ip")[0].as_deref(),
        Some("198.51.100.7")
    );
    assert_eq!(str_col(&ex, "sending_ip")[0].as_deref(), Some("192.0.2.25"));
    assert_eq!(str_col(&ex, "cause")[0].as_deref(), Some("bad_address"));
    assert_eq!(str_col(&ex, "cause")[2].as_deref(), Some("ip_blocked"));
    assert_eq!(str_col(&ex, "cause")[3].as_deref(), Some("expired"));

    // Sendmail: one record per recipient of a to= list, and the reject
    let sm = sql(
        &out,
        "SELECT * FROM events WHERE source_kind = 'sendmail' ORDER BY line_no, recipient",
    );
    assert_eq!(
        str_col(&sm, "recipient"),
        [
            "bob@example.com",
            "carol@example.com",
            "dave@example.net",
            "x@example.org"
        ]
        .map(|s| Some(s.to_owned()))
    );
    assert_eq!(
        str_col(&sm, "sender")[0].as_deref(),
        Some("alice@example.org")
    );
    assert_eq!(str_col(&sm, "cause")[2].as_deref(), Some("network_error"));
    assert_eq!(str_col(&sm, "cause")[3].as_deref(), Some("relay_denied"));
    let unparsed = inputs
        .column("unparsed")
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap();
    assert!(unparsed.i64().unwrap().into_no_null_iter().all(|n| n >= 1));
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/dsn/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

const BOUNCES: [&str; 4] = [
    "gmail_dsn_failure.eml",
    "exchange_dsn_multi.eml",
    "exim_user_unknown.eml",
    "autoreply_vacation.eml",
];

/// The records of `classify` without the fields that name the input.
fn classify_records(p: &Path) -> Vec<serde_json::Value> {
    let o = bl(&["classify", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}: {}", p.display(), stderr(&o));
    let mut v: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let m = v.as_object_mut().unwrap();
            m.remove("source_file");
            m.remove("message_index");
            v
        })
        .collect();
    v.sort_by_key(|r| r["recipient"].to_string());
    v
}

#[test]
fn mbox_maildir_and_eml_plain_or_gzip_give_identical_records() {
    let d = tmp();
    // single .eml files, plain and gzip
    let mut singles = Vec::new();
    for name in BOUNCES {
        let p = d.path().join(name);
        write(&p, &fixture(name));
        singles.extend(classify_records(&p));
        let gz = d.path().join(format!("{name}.gz"));
        write(&gz, &gzip(&fixture(name)));
        assert_eq!(classify_records(&p), classify_records(&gz), "{name}");
    }
    singles.sort_by_key(|r| r["recipient"].to_string());
    assert!(singles.len() >= 4, "{} records", singles.len());
    assert!(singles.iter().all(|r| r["source_kind"] == "dsn"));
    // an mbox of the same messages, plain and gzip, with a >From line
    let mut mbox = Vec::new();
    for name in BOUNCES {
        mbox.extend_from_slice(b"From MAILER-DAEMON Thu Mar  3 10:15:01 2024\n");
        mbox.extend_from_slice(&fixture(name).replace_from_lines());
        mbox.extend_from_slice(b"\n\n");
    }
    let mb = d.path().join("bounces.mbox");
    write(&mb, &mbox);
    assert_eq!(classify_records(&mb), singles);
    let mbgz = d.path().join("bounces.mbox.gz");
    write(&mbgz, &gzip(&mbox));
    assert_eq!(classify_records(&mbgz), singles);
    // a Maildir
    let md = d.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(md.join(sub)).unwrap();
    }
    for (i, name) in BOUNCES.iter().enumerate() {
        let sub = if i % 2 == 0 { "cur" } else { "new" };
        write(
            &md.join(sub).join(format!("17000000{i}.M1P1.host:2,S")),
            &fixture(name),
        );
    }
    write(&md.join("tmp/half-written"), b"From: x\n");
    let o = bl(&["classify", md.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let n = String::from_utf8(o.stdout).unwrap().lines().count();
    assert_eq!(n, singles.len());

    // and `run` on all three gives the same events per source
    let out = d.path().join("out");
    let o = run(&[&mb, &md], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 auto-replies, 0 feedback reports"),
        "{}",
        stderr(&o)
    );
    let per_file = sql(
        &out,
        "SELECT COUNT(*) AS n FROM events WHERE source_file LIKE '%mbox'",
    );
    let from_mbox = per_file
        .column("n")
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .get(0)
        .unwrap();
    assert_eq!(from_mbox as usize, singles.len());
    let total = sql(
        &out,
        "SELECT COUNT(*) AS n, COUNT(message_index) AS m, COUNT(line_no) AS l FROM events",
    );
    let get = |c: &str| {
        total
            .column(c)
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .get(0)
            .unwrap()
    };
    assert_eq!(get("n") as usize, 2 * singles.len());
    assert_eq!(get("m"), get("n"));
    assert_eq!(get("l"), 0);
    let inputs = sql(
        &out,
        "SELECT format, SUM(auto_replies) AS a FROM inputs GROUP BY format ORDER BY format",
    );
    assert_eq!(
        str_col(&inputs, "format"),
        vec![Some("eml".to_owned()), Some("mbox".to_owned())]
    );
    let auto = inputs.column("a").unwrap().cast(&DataType::Int64).unwrap();
    assert_eq!(
        auto.i64().unwrap().into_no_null_iter().collect::<Vec<_>>(),
        vec![1, 1]
    );
}

trait FromQuote {
    fn replace_from_lines(&self) -> Vec<u8>;
}

impl FromQuote for Vec<u8> {
    /// mbox quoting: a body line starting with `From ` becomes `>From `.
    fn replace_from_lines(&self) -> Vec<u8> {
        let text = String::from_utf8_lossy(self);
        text.lines()
            .map(|l| {
                if l.starts_with("From ") {
                    format!(">{l}")
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    }
}

#[test]
fn explain_answers_for_a_support_person() {
    let d = tmp();
    let p = d.path().join("gmail.eml");
    write(&p, &fixture("gmail_dsn_failure.eml"));
    let o = bl(&["explain", p.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = v.to_string();
    assert!(text.contains("5.1.1"), "{text}");
    assert!(text.contains("bad_address"), "{text}");
    let o = bl(&["explain", p.to_str().unwrap()]);
    let plain = String::from_utf8(o.stdout).unwrap();
    assert!(plain.contains("5.1.1") && plain.len() > 100, "{plain}");
    // one log line on stdin
    let mut child = Command::new(BIN)
        .args(["explain", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let line = LOG.lines().nth(4).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("bad_address") || out.contains("does not exist"),
        "{out}"
    );
}
