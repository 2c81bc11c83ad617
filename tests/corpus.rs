//! Real-world Postfix line corpus (issue 2): every bounced, deferred, expired,
//! undeliverable or `reject:` line yields exactly one failure record with the
//! right outcome, no other line yields one, no failure whose text names a
//! reason is `unknown`, and the cause matches what a mail admin would say.
//!
//! In: `tests/corpus/postfix/*.log` (public fixture lines and provider texts,
//! addresses and IPs rewritten to documentation ranges) and
//! `tests/corpus/postfix/expected.tsv` (`file  line_no  outcome  cause`, causes
//! decided by hand from the remote text, not by running the classifier).
//! Out: a report of every mismatch on stdout (`-- --nocapture`), then asserts.

use bouncelens::batch::parse_chunk;
use bouncelens::classify::{classify, Cause, Input};
use bouncelens::parse::{Format, LineCtx, YearRule};
use bouncelens::record::{domain_of, Outcome, Record};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Share of expected failure lines whose cause must match. Set from what the
/// classifier achieves (rounded down), never below 90%.
const MIN_CAUSE_ACCURACY: f64 = 1.0;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/postfix")
}

fn ctx() -> LineCtx {
    LineCtx {
        year: YearRule::StartsIn {
            year: 2024,
            first_month: 1,
        },
        tz_offset_s: 0,
        tz: None,
    }
}

/// One expectation row: the outcome and cause of a failure line.
#[derive(Debug, Clone)]
struct Expect {
    outcome: String,
    cause: Cause,
}

fn load_expected() -> HashMap<(String, usize), Expect> {
    let path = corpus_dir().join("expected.tsv");
    let text = std::fs::read_to_string(&path).expect("read expected.tsv");
    let mut out = HashMap::new();
    for (n, row) in text.lines().enumerate() {
        if row.starts_with('#') || row.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = row.split('\t').collect();
        assert_eq!(cols.len(), 4, "expected.tsv line {}: {row:?}", n + 1);
        let line_no = cols[1].parse().expect("line_no");
        let cause = cols[3]
            .parse::<Cause>()
            .unwrap_or_else(|e| panic!("expected.tsv line {}: {e}", n + 1));
        let exp = Expect {
            outcome: cols[2].to_owned(),
            cause,
        };
        let dup = out.insert((cols[0].to_owned(), line_no), exp);
        assert!(dup.is_none(), "expected.tsv line {}: duplicate", n + 1);
    }
    out
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files");
    files
}

/// The lines of a file as the pipeline sees them (split on `\n`, no final
/// empty piece, invalid UTF-8 replaced).
fn lines_of(bytes: &[u8]) -> Vec<String> {
    let mut pieces: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if pieces.last().is_some_and(|l| l.is_empty()) {
        pieces.pop();
    }
    pieces
        .iter()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect()
}

/// A failure record as the pipeline would write it.
struct Got {
    outcome: Outcome,
    cause: Cause,
    rule: &'static str,
    diagnostic: String,
}

/// Parse and classify one line exactly as `batch::Deliveries::push` does.
fn failure_of(line: &str) -> Result<Option<Got>, &'static str> {
    match Format::Postfix.parse_line(line, &ctx()) {
        Record::Delivery(d) => {
            let Some(outcome) = d.outcome.filter(|o| o.is_failure()) else {
                return Ok(None);
            };
            let domain = domain_of(d.recipient).to_ascii_lowercase();
            let v = classify(&Input {
                outcome: Some(outcome),
                text: d.diagnostic,
                dsn: d.dsn,
                remote_host: d.remote_host,
                recipient_domain: &domain,
            });
            Ok(Some(Got {
                outcome,
                cause: v.cause,
                rule: v.rule,
                diagnostic: d.diagnostic.to_owned(),
            }))
        }
        Record::Unparsed => Err("unparsed"),
        // Meta, Ignored and any later non-delivery kinds carry no failure.
        _ => Ok(None),
    }
}

/// A text names a reason when it carries words, not just a code or nothing.
fn names_reason(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 4)
}

#[derive(Default)]
struct Report {
    checked: usize,
    cause_ok: usize,
    parser: Vec<String>,
    unexpected: Vec<String>,
    unknown_with_reason: Vec<String>,
    mismatches: Vec<String>,
    chunk_counts: Vec<String>,
    confusion: BTreeMap<(String, String), usize>,
}

impl Report {
    fn line(&mut self, file: &str, n: usize, line: &str, exp: Option<&Expect>) {
        let at = format!("{file}:{n}");
        let got = failure_of(line);
        let Some(exp) = exp else {
            if let Ok(Some(g)) = got {
                self.unexpected.push(format!(
                    "{at}: no failure expected, got {} {} ({})\n    {line}",
                    g.outcome.as_str(),
                    g.cause,
                    g.rule
                ));
            }
            return;
        };
        self.checked += 1;
        let g = match got {
            Ok(Some(g)) => g,
            Ok(None) => {
                self.parser.push(format!(
                    "{at}: expected {} record, got none (ignored/meta/sent)\n    {line}",
                    exp.outcome
                ));
                return;
            }
            Err(why) => {
                self.parser.push(format!(
                    "{at}: expected {} record, got {why}\n    {line}",
                    exp.outcome
                ));
                return;
            }
        };
        if g.outcome.as_str() != exp.outcome {
            self.parser.push(format!(
                "{at}: outcome {} expected {}\n    {line}",
                g.outcome.as_str(),
                exp.outcome
            ));
        }
        if g.cause == Cause::Unknown && names_reason(&g.diagnostic) {
            self.unknown_with_reason
                .push(format!("{at}: unknown for {:?}", g.diagnostic));
        }
        if g.cause == exp.cause {
            self.cause_ok += 1;
        } else {
            *self
                .confusion
                .entry((exp.cause.to_string(), g.cause.to_string()))
                .or_default() += 1;
            self.mismatches.push(format!(
                "{at}: expected {} got {} (rule {})\n    text: {}",
                exp.cause, g.cause, g.rule, g.diagnostic
            ));
        }
    }

    fn print(&self) {
        let section = |title: &str, items: &[String]| {
            println!("== {title}: {}", items.len());
            for i in items {
                println!("  {i}");
            }
        };
        section("parser failures", &self.parser);
        section("unexpected failure records", &self.unexpected);
        section("batch/per-line count disagreements", &self.chunk_counts);
        section(
            "unknown although the text names a reason",
            &self.unknown_with_reason,
        );
        section("cause mismatches", &self.mismatches);
        println!("== confusion (expected -> got): count");
        for ((e, g), n) in &self.confusion {
            println!("  {e:>18} -> {g:<18} {n}");
        }
        println!(
            "== cause accuracy: {}/{} = {:.1}%",
            self.cause_ok,
            self.checked,
            self.accuracy() * 100.0
        );
    }

    fn accuracy(&self) -> f64 {
        self.cause_ok as f64 / self.checked.max(1) as f64
    }
}

#[test]
fn postfix_corpus_yields_one_classified_record_per_failure_line() {
    let expected = load_expected();
    let mut report = Report::default();
    let mut seen = 0;
    for path in corpus_files() {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).expect("read corpus file");
        let lines = lines_of(&bytes);
        let mut want = 0;
        for (i, line) in lines.iter().enumerate() {
            let exp = expected.get(&(file.clone(), i + 1));
            want += usize::from(exp.is_some());
            report.line(&file, i + 1, line, exp);
        }
        seen += want;
        // The chunk path the pipeline uses must count the same failures.
        let counts = parse_chunk(&bytes, Format::Postfix, &ctx()).counts;
        if counts.failures != want as u64 {
            report.chunk_counts.push(format!(
                "{file}: parse_chunk counted {} failures, expected {want}",
                counts.failures
            ));
        }
    }
    assert_eq!(
        seen,
        expected.len(),
        "expected.tsv names lines that are not in any corpus file"
    );
    assert!(seen >= 250, "corpus too small: {seen} failure lines");
    report.print();

    assert!(report.parser.is_empty(), "parser failures, see report");
    assert!(report.unexpected.is_empty(), "unexpected failure records");
    assert!(report.chunk_counts.is_empty(), "parse_chunk disagrees");
    assert!(
        report.unknown_with_reason.is_empty(),
        "failures with a reason classified unknown"
    );
    assert!(
        report.accuracy() >= MIN_CAUSE_ACCURACY,
        "cause accuracy {:.3} below {MIN_CAUSE_ACCURACY}",
        report.accuracy()
    );
}
