//! Command line: clap only checks syntax here; `run` and friends resolve
//! the settings once.

use crate::aggregate::Period;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "bouncelens",
    version,
    about = "Why email fails to deliver, at log scale",
    long_about = "bouncelens reads MTA logs (Postfix, Exim, Sendmail) and bounce messages \
(mbox, Maildir, .eml), plain or .gz, and classifies every failed delivery into one cause \
(bad_address, mailbox_full, ip_blocked, auth_failed, …), then writes Parquet tables that SQL \
can query: events, by_domain, by_sending_ip, by_sender, inputs, blocklist_events, \
account_alerts, typo_domains.",
    after_help = "Examples:\n  bouncelens run /var/log/mail.log* --out /srv/bounces\n  \
bouncelens classify sample-data/postfix-sample.log.gz | head\n  \
bouncelens query --out /srv/bounces --file queries/top_failing_domains.sql\n  \
bouncelens sample --lines 100000 --out /tmp/mail.log.gz\n\nExit codes: 0 all good; 1 finished but \
some inputs failed (named on stderr); 2 usage or fatal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Process inputs into the Parquet tables under --out (incremental, idempotent)
    Run(RunArgs),
    /// Print one record per failure to stdout (no tables written)
    Classify(ClassifyArgs),
    /// Explain one bounce message or one log line, for a person
    Explain(ExplainArgs),
    /// Run SQL over the tables under --out
    Query(QueryArgs),
    /// Write realistic synthetic Postfix logs (for demos, tests and benchmarks)
    Sample(SampleArgs),
    /// The last period at a glance: failures by cause, blocklist episodes,
    /// account alerts, top failing domains (and an HTML report with charts)
    Report(ReportArgs),
    /// Rebuild blocklist_events, account_alerts and typo_domains from every shard's rows
    /// (after `run --shard ... --no-merge` on many hosts; idempotent)
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Tables directory
    #[arg(long, env = "BOUNCELENS_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// Hours without a blocklist failure that close a blocklist episode
    #[arg(long, value_name = "HOURS", default_value_t = 24)]
    pub episode_gap: u32,
}

#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Files, directories (walked) or globs; plain or gzip (detected by content)
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Year of year-less syslog stamps at the start of each file
    /// (default: from each file's modification time)
    #[arg(long, value_name = "Y")]
    pub year: Option<i32>,
    /// Force the input format instead of detecting it per file
    #[arg(long, value_name = "FORMAT", value_parser = ["postfix", "exim", "sendmail"])]
    pub input_format: Option<String>,
    /// UTC offset of stamps without a zone, e.g. +01:00 (default: UTC)
    #[arg(
        long,
        value_name = "±HH:MM",
        allow_hyphen_values = true,
        conflicts_with = "tz"
    )]
    pub utc_offset: Option<String>,
    /// Time zone of stamps without a zone, with its DST rules, e.g.
    /// Europe/Berlin (local-time syslog); a repeated fall-back hour is read
    /// as its first occurrence
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

impl InputArgs {
    /// (fixed UTC offset in seconds, named zone) for stamps without a zone.
    pub fn zone(&self) -> anyhow::Result<(i64, Option<&'static jiff::tz::TimeZone>)> {
        let offset = self
            .utc_offset
            .as_deref()
            .map_or(Ok(0), crate::run::parse_offset)?;
        let tz = match &self.tz {
            None => None,
            Some(name) => {
                let tz = jiff::tz::TimeZone::get(name)
                    .map_err(|e| anyhow::anyhow!("--tz {name:?}: {e}"))?;
                // one per run, needed by every parser thread for its whole life
                Some(&*Box::leak(Box::new(tz)))
            }
        };
        Ok((offset, tz))
    }
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Tables directory (created if missing)
    #[arg(long, env = "BOUNCELENS_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// Aggregation period of the by_* tables
    #[arg(long, value_enum, default_value = "day")]
    pub period: Period,
    /// Process inputs again even if the state file says they were seen
    /// (their rows are replaced, not duplicated)
    #[arg(long)]
    pub reprocess: bool,
    /// Do not show progress bars even on a terminal
    #[arg(long)]
    pub quiet: bool,
    /// Decoded bytes per parallel block (tuning)
    #[arg(long, hide = true, default_value_t = 16 << 20)]
    pub block_size: usize,
    /// Hours without a blocklist failure that close a blocklist episode
    #[arg(long, value_name = "HOURS", default_value_t = 24)]
    pub episode_gap: u32,
    /// Replace the local part of every address (recipient, sender, SASL
    /// user, addresses quoted in diagnostics) with a keyed hash
    /// (HMAC-SHA-256); domains stay, distinct mailboxes stay distinct.
    /// The key (at least 16 bytes) comes from an environment variable or a
    /// file, never from the command line: `env:NAME` or `file:PATH`.
    /// Use the same key every night, or counts across runs will not match.
    #[arg(long, value_name = "env:NAME|file:PATH")]
    pub redact: Option<String>,
    /// Keep this run's state apart under the shard NAME (e.g. the host
    /// name), so that runs on many hosts can write into one shared --out at
    /// the same time; each shard remembers its own inputs. Without it, one
    /// run at a time per --out.
    #[arg(long, value_name = "NAME")]
    pub shard: Option<String>,
    /// Do not rebuild blocklist_events, account_alerts and typo_domains at the end (run
    /// `bouncelens merge` once after all shards instead)
    #[arg(long)]
    pub no_merge: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RecordFormat {
    Jsonl,
    Table,
}

#[derive(Args, Debug)]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: RecordFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum QueryFormat {
    Table,
    Csv,
    Jsonl,
}

#[derive(Args, Debug)]
pub struct QueryArgs {
    /// SQL over the tables events, by_domain, by_sending_ip, by_sender, inputs,
    /// blocklist_events, account_alerts, typo_domains
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub sql: Option<String>,
    /// Read the SQL from a file (e.g. queries/top_failing_domains.sql)
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Tables directory
    #[arg(long, env = "BOUNCELENS_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// Output format on stdout
    #[arg(long, value_enum, default_value = "table")]
    pub format: QueryFormat,
    /// Write the result to FILE.parquet or FILE.csv instead of stdout
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Number of log lines to write
    #[arg(long, default_value_t = 10_000)]
    pub lines: u64,
    /// Output file; gzip when it ends in .gz
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Random seed (the same seed gives the same file)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// First day of the log (YYYY-MM-DD)
    #[arg(long, default_value = "2026-03-01")]
    pub start: String,
    /// Days the log spans
    #[arg(long, default_value_t = 1)]
    pub days: u32,
    /// Mail host name in the lines
    #[arg(long, default_value = "mx1")]
    pub host: String,
    /// Inject a compromised account on a day: ACCOUNT@YYYY-MM-DD
    /// (400 messages from new client IPs, mostly to unknown recipients)
    #[arg(long, value_name = "ACCOUNT@DAY")]
    pub takeover: Vec<String>,
    /// Inject a blocklist listing of a sending IP: IP:LIST:YYYY-MM-DDTHH:HOURS
    /// (LIST: spamhaus, barracuda, spamcop, microsoft, yahoo)
    #[arg(long, value_name = "IP:LIST:START:HOURS")]
    pub blocklist: Vec<String>,
    /// Inject bounces (bad_domain) to a misspelt recipient domain, e.g. gmaill.com
    #[arg(long, value_name = "DOMAIN")]
    pub typo_domain: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Tables directory
    #[arg(long, env = "BOUNCELENS_OUT", value_name = "DIR")]
    pub out: PathBuf,
    /// Also write a self-contained HTML report with charts to FILE
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A bounce message (.eml, plain or gzip) or a file holding one log
    /// line; `-` or nothing reads stdin
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
    /// Print the explanation as JSON
    #[arg(long)]
    pub json: bool,
}
