//! Bad and odd input never crashes a run and never silently vanishes.

use polars::prelude::*;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_bouncelens");

const BOUNCE: &str = "Mar  3 10:00:02 mx1 postfix/smtp[300]: 9F1E2123AB: to=<nobody@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n";

fn write(path: &Path, data: &[u8]) {
    std::fs::File::create(path)
        .unwrap()
        .write_all(data)
        .unwrap();
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn run(inputs: &[&Path], out: &Path) -> Output {
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend([
        "--out".into(),
        out.display().to_string(),
        "--year".into(),
        "2024".into(),
    ]);
    Command::new(BIN).args(&args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn count(out: &Path, q: &str) -> i64 {
    let df = bouncelens::query::execute(out, q).unwrap();
    df.columns()[0]
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .get(0)
        .unwrap_or(0)
}

#[test]
fn non_utf8_nul_bytes_and_a_10_mb_line_are_counted_not_fatal() {
    let d = tempfile::tempdir().unwrap();
    let mut data = Vec::new();
    data.extend_from_slice(BOUNCE.as_bytes());
    data.extend_from_slice(b"\xff\xfe\x00\x00 garbage\n");
    data.extend_from_slice(&BOUNCE.replace("nobody", "n\u{e9}body").into_bytes());
    // the same bounce with a Latin-1 byte in the remote text
    data.extend_from_slice(
        &BOUNCE
            .replace("User unknown", "User unknown \u{1}")
            .replace('\u{1}', "\u{0}")
            .into_bytes(),
    );
    data.extend(std::iter::repeat_n(b'x', 10 << 20));
    data.push(b'\n');
    data.extend_from_slice(BOUNCE.as_bytes());
    let log = d.path().join("odd.log");
    write(&log, &data);
    let out = d.path().join("out");
    let o = run(&[&log], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 4);
    assert_eq!(count(&out, "SELECT SUM(unparsed) FROM inputs"), 2);
    assert_eq!(count(&out, "SELECT SUM(lines) FROM inputs"), 6);
}

#[test]
fn empty_files_and_misnamed_gzip_are_fine() {
    let d = tempfile::tempdir().unwrap();
    let empty = d.path().join("empty.log");
    write(&empty, b"");
    let empty_gz = d.path().join("empty.log.gz");
    write(&empty_gz, &gzip(b""));
    let plain_named_gz = d.path().join("plain.log.gz");
    write(&plain_named_gz, BOUNCE.as_bytes());
    let gz_named_plain = d.path().join("zipped.log");
    write(
        &gz_named_plain,
        &gzip(BOUNCE.replace("mx1", "mx2").as_bytes()),
    );
    let out = d.path().join("out");
    let o = run(&[&empty, &empty_gz, &plain_named_gz, &gz_named_plain], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 2);
    assert_eq!(
        count(&out, "SELECT COUNT(*) FROM inputs WHERE format = 'empty'"),
        1
    );
}

#[cfg(unix)]
#[test]
fn special_files_dangling_links_and_symlink_loops_are_named_or_skipped() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("logs");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    write(&dir.join("sub/mail.log"), BOUNCE.as_bytes());
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(d.path().join("nowhere"), dir.join("dangling.log")).unwrap();
    let fifo = dir.join("fifo.log");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let out = d.path().join("out");
    let o = run(&[&dir], &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("dangling.log"), "{err}");
    assert!(
        err.contains("fifo.log") && err.contains("not a regular file"),
        "{err}"
    );
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 1);
}

#[test]
fn ten_thousand_small_files_in_one_directory() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("many");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..10_000 {
        let line = BOUNCE.replace("9F1E2123AB", &format!("{:010X}", i + 1));
        write(&dir.join(format!("m{i:05}.log")), line.as_bytes());
    }
    let out = d.path().join("out");
    let o = run(&[&dir], &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("10000 inputs processed"),
        "{}",
        stderr(&o)
    );
    assert_eq!(count(&out, "SELECT COUNT(*) FROM events"), 10_000);
    let o = run(&[&dir], &out);
    assert!(stderr(&o).contains("10000 already seen"), "{}", stderr(&o));
}

#[test]
fn a_log_that_grows_while_read_is_taken_as_it_was_at_the_start() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("live.log");
    write(&log, BOUNCE.as_bytes());
    let size = std::fs::metadata(&log).unwrap().len();
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    f.write_all(BOUNCE.as_bytes()).unwrap();
    let content = bouncelens::source::open(&log, size).unwrap();
    assert_eq!(content.len() as u64, size);
    assert_eq!(&content[..], BOUNCE.as_bytes());
}

#[test]
fn a_corrupt_block_in_the_middle_of_a_gzip_keeps_what_came_before() {
    let d = tempfile::tempdir().unwrap();
    let text: String = (0..40_000)
        .map(|i| BOUNCE.replace("9F1E2123AB", &format!("{:010X}", i + 1)))
        .collect();
    let mut z = gzip(text.as_bytes());
    let mid = z.len() / 2;
    for b in &mut z[mid..mid + 64] {
        *b ^= 0x5a;
    }
    let bad = d.path().join("corrupt.log.gz");
    write(&bad, &z);
    let good = d.path().join("good.log");
    write(&good, BOUNCE.replace("mx1", "mx9").as_bytes());
    let out = d.path().join("out");
    let o = run(&[&bad, &good], &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("corrupt.log.gz") && err.contains("offset"),
        "{err}"
    );
    let kept = count(
        &out,
        "SELECT COUNT(*) FROM events WHERE source_file LIKE '%corrupt.log.gz'",
    );
    assert!(kept > 1000 && kept < 40_000, "kept {kept}");
    assert_eq!(
        count(&out, "SELECT COUNT(*) FROM events WHERE mta_host = 'mx9'"),
        1
    );
}

#[test]
fn local_time_logs_across_a_dst_change_with_tz() {
    let d = tempfile::tempdir().unwrap();
    let log = d.path().join("berlin.log");
    // Berlin clocks jump from 02:00 to 03:00 on 2024-03-31: these two lines
    // are 10 minutes apart in real time, 70 minutes apart on the wall
    let text = BOUNCE.replace("Mar  3 10:00:02", "Mar 31 01:55:00")
        + &BOUNCE
            .replace("Mar  3 10:00:02", "Mar 31 03:05:00")
            .replace("9F1E2123AB", "9F1E2123AC");
    write(&log, text.as_bytes());
    let out = d.path().join("out");
    let o = Command::new(BIN)
        .args([
            "run",
            log.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--year",
            "2024",
            "--tz",
            "Europe/Berlin",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let df = bouncelens::query::execute(
        &out,
        "SELECT CAST(EXTRACT(epoch FROM ts) AS BIGINT) AS s FROM events ORDER BY ts",
    )
    .unwrap();
    let s: Vec<i64> = df.columns()[0]
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(s.len(), 2);
    assert_eq!(s[1] - s[0], 600);
    // 01:55 CET is 00:55 UTC
    assert_eq!(s[0] % 86_400, 55 * 60);
    let bad = Command::new(BIN)
        .args([
            "run",
            log.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--tz",
            "Mars/Olympus",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
