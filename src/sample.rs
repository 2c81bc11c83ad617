//! `bouncelens sample`: realistic synthetic Postfix logs, deterministic for
//! a seed. Messages from a few hundred accounts over several sending IPs,
//! most delivered, the rest failing with remote texts of every cause.

use crate::parse::time::{civil_from_days, days_from_civil};
use flate2::write::GzEncoder;
use std::io::{BufWriter, Write};
use std::path::Path;

/// splitmix64: small, fast, good enough for synthetic data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const SENDING_IPS: [&str; 4] = ["192.0.2.10", "192.0.2.11", "198.51.100.20", "198.51.100.21"];

/// (domain, mx host, mx ip)
const DOMAINS: &[(&str, &str, &str)] = &[
    ("gmail.com", "gmail-smtp-in.l.google.com", "142.250.102.27"),
    (
        "googlemail.com",
        "gmail-smtp-in.l.google.com",
        "142.250.102.26",
    ),
    (
        "outlook.com",
        "outlook-com.olc.protection.outlook.com",
        "52.101.68.3",
    ),
    (
        "hotmail.com",
        "hotmail-com.olc.protection.outlook.com",
        "52.101.42.1",
    ),
    (
        "contoso.com",
        "contoso-com.mail.protection.outlook.com",
        "52.101.11.9",
    ),
    ("yahoo.com", "mta7.am0.yahoodns.net", "67.195.204.72"),
    ("aol.com", "mx-aol.mail.gm0.yahoodns.net", "67.195.204.79"),
    ("icloud.com", "mx01.mail.icloud.com", "17.57.154.33"),
    ("comcast.net", "mx1a1.comcast.net", "96.114.157.80"),
    ("example.org", "mx.example.org", "203.0.113.25"),
    ("school.edu", "mx1.school.edu", "203.0.113.40"),
    ("city.gov", "mail.city.gov", "203.0.113.60"),
];

/// (cause, weight, deferred?, text template). `{r}` recipient, `{ip}` our
/// sending IP, `{mx}`/`{mxip}` the remote host.
const FAILURES: &[(&str, u32, bool, &str)] = &[
    ("bad_address", 30, false, "host {mx}[{mxip}] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser (in reply to RCPT TO command)"),
    ("bad_address", 20, false, "host {mx}[{mxip}] said: 550 5.1.1 <{r}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)"),
    ("mailbox_full", 8, false, "host {mx}[{mxip}] said: 552 5.2.2 <{r}>: Recipient address rejected: Mailbox full (in reply to RCPT TO command)"),
    ("mailbox_full", 6, true, "host {mx}[{mxip}] said: 452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp (in reply to RCPT TO command)"),
    ("temporary_failure", 10, true, "host {mx}[{mxip}] said: 451 4.3.0 Temporary local problem - please try later (in reply to end of DATA command)"),
    ("content_rejected", 5, false, "host {mx}[{mxip}] said: 550 5.7.1 Message rejected as spam by Content Filtering. (in reply to end of DATA command)"),
    ("auth_failed", 5, false, "host {mx}[{mxip}] said: 550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.net] with ip: [{ip}] = did not pass (in reply to end of DATA command)"),
    ("ip_blocked", 4, false, "host {mx}[{mxip}] said: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip} (in reply to RCPT TO command)"),
    ("ip_blocked", 3, false, "host {mx}[{mxip}] said: 550 5.7.606 Access denied, banned sending IP [{ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. (in reply to MAIL FROM command)"),
    ("bad_domain", 6, false, "Host or domain name not found. Name service error for name={d} type=A: Host not found"),
    ("greylisted", 8, true, "host {mx}[{mxip}] said: 450 4.2.0 <{r}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/{d}.html (in reply to RCPT TO command)"),
    ("rate_limited", 4, true, "host {mx}[{mxip}] said: 421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. (in reply to end of DATA command)"),
    ("rate_limited", 2, true, "host {mx}[{mxip}] said: 452 4.5.3 Too many recipients (in reply to RCPT TO command)"),
    ("sender_rejected", 2, false, "host {mx}[{mxip}] said: 553 5.1.8 <{s}>: Sender address rejected: Domain not found (in reply to MAIL FROM command)"),
    ("ip_blocked", 5, true, "host {mx}[{mxip}] said: 421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)"),
    ("network_error", 6, true, "connect to {mx}[{mxip}]:25: Connection timed out"),
    ("mailbox_disabled", 3, false, "host {mx}[{mxip}] said: 550 5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser (in reply to RCPT TO command)"),
    ("message_too_large", 2, false, "host {mx}[{mxip}] said: 552 5.3.4 Message size exceeds fixed maximum message size (in reply to end of DATA command)"),
    ("relay_denied", 2, false, "host {mx}[{mxip}] said: 554 5.7.1 <{r}>: Relay access denied (in reply to RCPT TO command)"),
    ("policy_rejected", 2, false, "host {mx}[{mxip}] said: 550 5.7.1 Delivery not authorized, message refused: administrative prohibition (in reply to RCPT TO command)"),
];

const TYPO_DOMAINS: [&str; 3] = ["gmial.com", "hotmial.com", "yaho.com"];

struct Gen<W: Write> {
    w: W,
    rng: Rng,
    host: String,
    qid: u64,
    scenarios: Scenarios,
}

impl<W: Write> Gen<W> {
    fn stamp(ts: i64) -> String {
        let (_, m, d) = civil_from_days(ts.div_euclid(86_400));
        let s = ts.rem_euclid(86_400);
        format!(
            "{} {:>2} {:02}:{:02}:{:02}",
            MONTHS[m as usize - 1],
            d,
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }

    /// qmgr's `from=` line of a queued message.
    fn queued(&mut self, ts: i64, qid: &str, account: &str, size: u64) -> std::io::Result<u64> {
        self.line(
            ts,
            "postfix/qmgr",
            &format!("{qid}: from=<{account}>, size={size}, nrcpt=1 (queue active)"),
        )
    }

    /// A recipient at one of the sample domains: (address, domain, MX, MX IP).
    fn recipient(
        &mut self,
        locals: [&str; 5],
        numbers: u64,
    ) -> (String, &'static str, &'static str, &'static str) {
        let (domain, mx, mxip) = *self.rng.pick(DOMAINS);
        let local = locals[self.rng.below(5) as usize];
        let rcpt = format!("{local}{}@{domain}", self.rng.below(numbers));
        (rcpt, domain, mx, mxip)
    }

    fn line(&mut self, ts: i64, prog: &str, msg: &str) -> std::io::Result<u64> {
        let pid = 1000 + self.rng.below(30_000);
        writeln!(
            self.w,
            "{} {} {prog}[{pid}]: {msg}",
            Self::stamp(ts),
            self.host
        )?;
        Ok(1)
    }

    /// One message: submission, queueing, one delivery line per recipient.
    fn message(&mut self, ts: i64) -> std::io::Result<u64> {
        self.qid += 1;
        let qid = format!("{:X}", 0x1A2B3C4D5u64 + self.qid * 7919);
        let user = self.rng.below(300);
        let account = format!("user{user}@example.net");
        let client = format!("10.1.{}.{}", user / 250, user % 250 + 1);
        let ip = *self.rng.pick(&SENDING_IPS);
        let mut n = 0;
        n += self.line(ts, "postfix/submission/smtpd", &format!("{qid}: client=client{user}.example.net[{client}], sasl_method=PLAIN, sasl_username={account}"))?;
        n += self.line(
            ts,
            "postfix/cleanup",
            &format!("{qid}: message-id=<{}.{}@example.net>", ts, self.qid),
        )?;
        let size = 2000 + self.rng.below(90_000);
        n += self.queued(ts, &qid, &account, size)?;
        let (rcpt, domain, mx, mxip) = self.recipient(["ann", "bob", "cho", "dev", "eli"], 5000);
        let prog = format!("postfix-{ip}/smtp");
        let t = ts + 1;
        if !self.scenarios.is_empty() {
            if let Some(text) = self.scenarios.listed(ip, domain, t) {
                let text = text
                    .replace("{ip}", ip)
                    .replace("{mx}", mx)
                    .replace("{mxip}", mxip);
                n += self.line(t, &prog, &format!("{qid}: to=<{rcpt}>, relay={mx}[{mxip}]:25, delay=2.3, delays=0.1/0/1.2/1, dsn=5.7.1, status=bounced ({text})"))?;
                n += self.line(t, "postfix/qmgr", &format!("{qid}: removed"))?;
                return Ok(n);
            }
            if let Some(typo) = self.scenarios.typo_domains.first().cloned() {
                if self.rng.below(100) == 0 {
                    let local = rcpt.split('@').next().unwrap_or("x");
                    n += self.line(t, "postfix/smtp", &format!("{qid}: to=<{local}@{typo}>, relay=none, delay=0.1, delays=0/0/0.1/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name={typo} type=A: Host not found)"))?;
                    n += self.line(t, "postfix/qmgr", &format!("{qid}: removed"))?;
                    return Ok(n);
                }
            }
        }
        if self.rng.below(100) < 88 {
            n += self.line(t, &prog, &format!("{qid}: to=<{rcpt}>, relay={mx}[{mxip}]:25, delay=1.1, delays=0.1/0/0.4/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK 1700000000 a1si{} - gsmtp)", self.qid))?;
        } else {
            n += self.failure(t, &qid, &prog, ip, &account, &rcpt, domain, mx, mxip)?;
        }
        n += self.line(t, "postfix/qmgr", &format!("{qid}: removed"))?;
        Ok(n)
    }

    #[allow(clippy::too_many_arguments)]
    fn failure(
        &mut self,
        t: i64,
        qid: &str,
        prog: &str,
        ip: &str,
        sender: &str,
        rcpt: &str,
        domain: &str,
        mx: &str,
        mxip: &str,
    ) -> std::io::Result<u64> {
        let total: u32 = FAILURES.iter().map(|f| f.1).sum();
        let mut x = self.rng.below(total as u64) as u32;
        let f = FAILURES
            .iter()
            .find(|f| {
                if x < f.1 {
                    true
                } else {
                    x -= f.1;
                    false
                }
            })
            .expect("weights");
        let (cause, _, deferred, tpl) = *f;
        let (rcpt, domain) = if cause == "bad_domain" {
            let d = *self.rng.pick(&TYPO_DOMAINS);
            (
                format!("{}@{d}", rcpt.split('@').next().unwrap_or("x")),
                d.to_owned(),
            )
        } else {
            (rcpt.to_owned(), domain.to_owned())
        };
        let text = tpl
            .replace("{s}", sender)
            .replace("{r}", &rcpt)
            .replace("{ip}", ip)
            .replace("{mx}", mx)
            .replace("{mxip}", mxip)
            .replace("{d}", &domain);
        let relay = if cause == "bad_domain" || cause == "network_error" {
            "none".to_owned()
        } else {
            format!("{mx}[{mxip}]:25")
        };
        let dsn = text
            .split_whitespace()
            .find(|w| w.len() >= 5 && w.as_bytes()[1] == b'.' && w.starts_with(['4', '5']))
            .unwrap_or(if deferred { "4.4.1" } else { "5.4.4" });
        let dsn = dsn.trim_end_matches(|c: char| !c.is_ascii_digit());
        let status = if deferred { "deferred" } else { "bounced" };
        let mut n = self.line(t, prog, &format!("{qid}: to=<{rcpt}>, relay={relay}, delay=2.3, delays=0.1/0/1.2/1, dsn={dsn}, status={status} ({text})"))?;
        if deferred && self.rng.below(10) == 0 {
            n += self.line(
                t + 1,
                "postfix/qmgr",
                &format!("{qid}: from=<user@example.net>, status=expired, returned to sender"),
            )?;
        }
        Ok(n)
    }

    /// One message of a compromised account: a new client IP, a random
    /// recipient, mostly refused as unknown.
    fn takeover_message(&mut self, m: &Injected) -> std::io::Result<u64> {
        self.qid += 1;
        let qid = format!("{:X}", 0x1A2B3C4D5u64 + self.qid * 7919);
        let client = format!("185.220.101.{}", 1 + m.client);
        let account = &m.account;
        let ts = m.ts;
        let mut n = self.line(
            ts,
            "postfix/submission/smtpd",
            &format!("{qid}: client=unknown[{client}], sasl_method=LOGIN, sasl_username={account}"),
        )?;
        n += self.queued(ts, &qid, account, 4100)?;
        let (rcpt, _, mx, mxip) =
            self.recipient(["info", "sales", "admin", "contact", "jobs"], 100_000);
        let ip = *self.rng.pick(&SENDING_IPS);
        let prog = format!("postfix-{ip}/smtp");
        let t = ts + 1;
        n += match self.rng.below(10) {
            0..=5 => self.line(t, &prog, &format!("{qid}: to=<{rcpt}>, relay={mx}[{mxip}]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host {mx}[{mxip}] said: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))"))?,
            6 => self.line(t, &prog, &format!("{qid}: to=<{rcpt}>, relay={mx}[{mxip}]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=4.5.3, status=deferred (host {mx}[{mxip}] said: 452 4.5.3 Too many recipients (in reply to RCPT TO command))"))?,
            _ => self.line(t, &prog, &format!("{qid}: to=<{rcpt}>, relay={mx}[{mxip}]:25, delay=1.1, delays=0.1/0/0.4/0.6, dsn=2.0.0, status=sent (250 2.0.0 OK {} - gsmtp)", self.qid))?,
        };
        n += self.line(t, "postfix/qmgr", &format!("{qid}: removed"))?;
        Ok(n)
    }

    fn noise(&mut self, ts: i64) -> std::io::Result<u64> {
        match self.rng.below(4) {
            0 => {
                let host = self.rng.below(250);
                self.line(
                    ts,
                    "postfix/smtpd",
                    &format!("connect from unknown[203.0.113.{host}]"),
                )
            }
            1 => self.line(
                ts,
                "dovecot",
                "imap-login: Login: user=<user1@example.net>, method=PLAIN",
            ),
            2 => {
                let ip = format!("203.0.113.{}", self.rng.below(250));
                let n = self.rng.below(99);
                self.line(ts, "postfix/smtpd", &format!("NOQUEUE: reject: RCPT from unknown[{ip}]: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}; from=<spam{n}@bulk.example> to=<staff@example.net> proto=ESMTP helo=<bulk.example>"))
            }
            _ => self.line(
                ts,
                "postfix/anvil",
                "statistics: max connection rate 3/60s for (smtp:203.0.113.9) at Mar  1 00:00:01",
            ),
        }
    }
}

fn generate<W: Write>(
    w: W,
    lines: u64,
    seed: u64,
    t0: i64,
    span: i64,
    host: &str,
    scenarios: &Scenarios,
) -> std::io::Result<(W, u64)> {
    let mut g = Gen {
        w,
        rng: Rng::new(seed),
        host: host.to_owned(),
        qid: seed * 1_000_000,
        scenarios: scenarios.clone(),
    };
    // injected takeover messages, in time order, written between the
    // normal ones once the clock passes them
    let mut injected = takeover_messages(scenarios, &mut Rng::new(seed ^ 0x7A4E));
    injected.retain(|m| (t0..t0 + span).contains(&m.ts));
    injected.reverse();
    let (mut written, mut extra) = (0, 0);
    while written < lines {
        let ts = t0 + (written as i64 * span) / lines as i64;
        while injected.last().is_some_and(|m| m.ts <= ts) {
            let m = injected.pop().expect("checked");
            extra += g.takeover_message(&m)?;
        }
        written += if g.rng.below(10) == 0 {
            g.noise(ts)?
        } else {
            g.message(ts)?
        };
    }
    for m in injected.into_iter().rev() {
        extra += g.takeover_message(&m)?;
    }
    g.w.flush()?;
    Ok((g.w, written + extra))
}

/// Write about `lines` lines starting on `start` (YYYY-MM-DD) over `days`;
/// gzip when the name ends in `.gz`. Returns the lines written.
pub fn write_sample(
    path: &Path,
    lines: u64,
    seed: u64,
    start: &str,
    days: u32,
    host: &str,
) -> anyhow::Result<u64> {
    write_scenario(path, lines, seed, start, days, host, &Scenarios::default())
}

/// [`write_sample`] with injected scenarios (takeovers, blocklist
/// windows, a typo domain). Empty scenarios give exactly `write_sample`.
pub fn write_scenario(
    path: &Path,
    lines: u64,
    seed: u64,
    start: &str,
    days: u32,
    host: &str,
    scenarios: &Scenarios,
) -> anyhow::Result<u64> {
    let t0 = parse_day(start)
        .ok_or_else(|| anyhow::anyhow!("--start {start:?}: expected YYYY-MM-DD"))?;
    let span = days.max(1) as i64 * 86_400;
    let file = BufWriter::new(std::fs::File::create(path)?);
    let written = if path.extension().is_some_and(|e| e == "gz") {
        let enc = GzEncoder::new(file, flate2::Compression::new(6));
        let (enc, n) = generate(enc, lines, seed, t0, span, host, scenarios)?;
        enc.finish()?
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        n
    } else {
        let (w, n) = generate(file, lines, seed, t0, span, host, scenarios)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        n
    };
    Ok(written)
}

/// Seconds since the epoch of `YYYY-MM-DD` 00:00 UTC.
fn parse_day(s: &str) -> Option<i64> {
    let mut it = s.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d)), None) =
        (it.next(), it.next(), it.next(), it.next())
    else {
        return None;
    };
    ((1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| days_from_civil(y as i64, m, d) * 86_400)
}

/// A compromised account: on `day`, it sprays many recipients from new
/// client IPs (see [`Gen::takeover_message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takeover {
    pub account: String,
    /// Start of the day, seconds since the epoch (UTC).
    pub day: i64,
}

/// Our sending IP listed on `list` from `start` for `hours`: deliveries
/// from it that the list affects are refused with the list's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub ip: String,
    pub list: String,
    /// Seconds since the epoch (UTC).
    pub start: i64,
    pub end: i64,
}

/// Events to inject into a sample (`bouncelens sample --takeover …`).
#[derive(Debug, Clone, Default)]
pub struct Scenarios {
    pub takeovers: Vec<Takeover>,
    pub listings: Vec<Listing>,
    pub typo_domains: Vec<String>,
}

/// (list, recipient domains it affects (empty: all), refusal text).
const LIST_TEXTS: &[(&str, &[&str], &str)] = &[
    ("spamhaus", &[], "host {mx}[{mxip}] said: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip} (in reply to RCPT TO command)"),
    ("barracuda", &[], "host {mx}[{mxip}] said: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using b.barracudacentral.org; https://www.barracudanetworks.com/reputation/?pr=1&ip={ip} (in reply to RCPT TO command)"),
    ("spamcop", &[], "host {mx}[{mxip}] said: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?{ip} (in reply to RCPT TO command)"),
    ("microsoft", &["outlook.com", "hotmail.com", "contoso.com"], "host {mx}[{mxip}] said: 550 5.7.606 Access denied, banned sending IP [{ip}]. To request removal from this list please visit https://sender.office.com/ and follow the directions. (in reply to MAIL FROM command)"),
    ("yahoo", &["yahoo.com", "aol.com"], "host {mx}[{mxip}] said: 554 5.7.9 [TSS04] Messages from {ip} permanently deferred due to user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)"),
];

/// Lists `--blocklist` accepts.
pub fn list_names() -> Vec<&'static str> {
    LIST_TEXTS.iter().map(|l| l.0).collect()
}

impl Scenarios {
    fn is_empty(&self) -> bool {
        self.takeovers.is_empty() && self.listings.is_empty() && self.typo_domains.is_empty()
    }

    /// Parse `ACCOUNT@YYYY-MM-DD`.
    pub fn add_takeover(&mut self, spec: &str) -> anyhow::Result<()> {
        let (account, day) = spec
            .rsplit_once('@')
            .ok_or_else(|| anyhow::anyhow!("--takeover {spec:?}: expected ACCOUNT@YYYY-MM-DD"))?;
        let day = parse_day(day)
            .ok_or_else(|| anyhow::anyhow!("--takeover {spec:?}: expected ACCOUNT@YYYY-MM-DD"))?;
        anyhow::ensure!(!account.is_empty(), "--takeover {spec:?}: empty account");
        self.takeovers.push(Takeover {
            account: account.to_owned(),
            day,
        });
        Ok(())
    }

    /// Parse `IP:LIST:YYYY-MM-DDTHH:HOURS`.
    pub fn add_listing(&mut self, spec: &str) -> anyhow::Result<()> {
        let bad = || anyhow::anyhow!("--blocklist {spec:?}: expected IP:LIST:YYYY-MM-DDTHH:HOURS");
        let parts: Vec<&str> = spec.split(':').collect();
        let [ip, list, start, hours] = parts[..] else {
            return Err(bad());
        };
        ip.parse::<std::net::Ipv4Addr>().map_err(|_| bad())?;
        anyhow::ensure!(
            LIST_TEXTS.iter().any(|l| l.0 == list),
            "--blocklist {spec:?}: list must be one of {}",
            list_names().join(", ")
        );
        let (day, hour) = start.split_once('T').ok_or_else(bad)?;
        let hour: i64 = hour.parse().map_err(|_| bad())?;
        let hours: i64 = hours.parse().map_err(|_| bad())?;
        anyhow::ensure!((0..24).contains(&hour) && hours > 0, bad());
        let start = parse_day(day).ok_or_else(bad)? + hour * 3600;
        self.listings.push(Listing {
            ip: ip.to_owned(),
            list: list.to_owned(),
            start,
            end: start + hours * 3600,
        });
        Ok(())
    }

    /// The refusal text when `ip` is listed at `ts` for mail to `domain`.
    fn listed(&self, ip: &str, domain: &str, ts: i64) -> Option<&'static str> {
        self.listings
            .iter()
            .filter(|l| l.ip == ip && (l.start..l.end).contains(&ts))
            .find_map(|l| {
                let (_, domains, text) = LIST_TEXTS.iter().find(|x| x.0 == l.list)?;
                (domains.is_empty() || domains.contains(&domain)).then_some(*text)
            })
    }
}

/// One injected message of a takeover.
struct Injected {
    ts: i64,
    account: String,
    client: u64,
}

/// Messages of every takeover: 400 over 06:00–18:00 of its day, from 4
/// new client IPs.
fn takeover_messages(s: &Scenarios, rng: &mut Rng) -> Vec<Injected> {
    let mut out: Vec<Injected> = s
        .takeovers
        .iter()
        .flat_map(|t| {
            (0..400)
                .map(|i| Injected {
                    ts: t.day + 6 * 3600 + i * 108,
                    account: t.account.clone(),
                    client: i as u64 % 4,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for m in &mut out {
        m.ts += rng.below(60) as i64;
    }
    out.sort_by_key(|m| m.ts);
    out
}

#[cfg(test)]
mod scenario_tests {
    use super::*;

    #[test]
    fn specs_parse() {
        let mut s = Scenarios::default();
        s.add_takeover("user7@example.net@2026-03-03").unwrap();
        assert_eq!(s.takeovers[0].account, "user7@example.net");
        assert_eq!(s.takeovers[0].day, parse_day("2026-03-03").unwrap());
        s.add_listing("192.0.2.10:spamhaus:2026-03-02T20:8")
            .unwrap();
        assert_eq!(s.listings[0].end - s.listings[0].start, 8 * 3600);
        assert!(s.add_listing("192.0.2.10:nolist:2026-03-02T20:8").is_err());
        assert!(s.add_listing("192.0.2.10:spamhaus:2026-03-02:8").is_err());
        assert!(s.add_takeover("2026-03-03").is_err());
        assert_eq!(
            s.listed("192.0.2.10", "gmail.com", s.listings[0].start),
            Some(LIST_TEXTS[0].2)
        );
        assert_eq!(
            s.listed("192.0.2.11", "gmail.com", s.listings[0].start),
            None
        );
    }
}
