//! Classification: one failure's text and codes -> a [`Cause`], the id of
//! the rule that decided, and the facts named in the text (blocklist,
//! provider, sending IP, suggested domain).
//!
//! In: an [`Input`] borrowed from a parsed record. Out: a [`Verdict`].
//!
//! The rules are data ([`rules()`], first match wins). All their phrases and
//! the blocklist names live in one Aho-Corasick DFA built once; a
//! failure text is scanned once into a bitset of rules whose phrases occur,
//! then the table is walked in order. No regex, no allocation beyond the
//! verdict's two small strings.

mod blocklist;
mod codes;
mod provider;
mod rules;
mod sending_ip;
mod typo;

pub use blocklist::{is_provider_signal, Blocklist, BLOCKLISTS};
pub use codes::{describe_status, enhanced_status, smtp_code};
/// `provider_of` is the name the pipeline uses for successful deliveries.
pub use provider::{by_domain, by_host, provider, provider as provider_of};
pub use rules::{rules, Rule};
pub use sending_ip::sending_ip;
pub use typo::{nearest as nearest_domain, suggest as suggested_domain};

use crate::record::Outcome;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The cause taxonomy of DESIGN.md (the `cause` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    BadAddress,
    MailboxFull,
    TemporaryFailure,
    ContentRejected,
    AuthFailed,
    IpBlocked,
    BadDomain,
    Greylisted,
    RateLimited,
    NetworkError,
    MailboxDisabled,
    MessageTooLarge,
    RelayDenied,
    SenderRejected,
    PolicyRejected,
    Expired,
    Unknown,
}

impl Cause {
    /// Every cause, in DESIGN.md order.
    pub const ALL: [Cause; 17] = [
        Cause::BadAddress,
        Cause::MailboxFull,
        Cause::TemporaryFailure,
        Cause::ContentRejected,
        Cause::AuthFailed,
        Cause::IpBlocked,
        Cause::BadDomain,
        Cause::Greylisted,
        Cause::RateLimited,
        Cause::NetworkError,
        Cause::MailboxDisabled,
        Cause::MessageTooLarge,
        Cause::RelayDenied,
        Cause::SenderRejected,
        Cause::PolicyRejected,
        Cause::Expired,
        Cause::Unknown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Cause::BadAddress => "bad_address",
            Cause::MailboxFull => "mailbox_full",
            Cause::TemporaryFailure => "temporary_failure",
            Cause::ContentRejected => "content_rejected",
            Cause::AuthFailed => "auth_failed",
            Cause::IpBlocked => "ip_blocked",
            Cause::BadDomain => "bad_domain",
            Cause::Greylisted => "greylisted",
            Cause::RateLimited => "rate_limited",
            Cause::NetworkError => "network_error",
            Cause::MailboxDisabled => "mailbox_disabled",
            Cause::MessageTooLarge => "message_too_large",
            Cause::RelayDenied => "relay_denied",
            Cause::SenderRejected => "sender_rejected",
            Cause::PolicyRejected => "policy_rejected",
            Cause::Expired => "expired",
            Cause::Unknown => "unknown",
        }
    }

    /// The cause with this snake_case id.
    pub fn parse(id: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.as_str() == id)
    }

    /// What the cause means and what to do, for a support person.
    pub const fn explanation(self) -> &'static str {
        match self {
            Cause::BadAddress => "The receiving server says this mailbox does not exist: the address has a typo, or the person left or moved. Check the spelling with the sender; if it is right, the address is dead and should be removed from lists. Retrying will not help.",
            Cause::MailboxFull => "The recipient's mailbox is over its storage quota. Nothing is wrong on our side; the recipient has to make room. Temporary fulls clear up on their own; if it keeps bouncing for weeks the mailbox is probably abandoned.",
            Cause::TemporaryFailure => "The receiving server refused the message for now (overloaded, under maintenance or a local error) without giving a more specific reason. Our server retries automatically; act only if it persists for hours or affects many recipients at one domain.",
            Cause::ContentRejected => "The receiver's filter rejected the message itself: it looked like spam, carried a virus or a blocked attachment type, or linked to a listed site. Review the message content, links and attachments, and check whether the sending account is sending spam.",
            Cause::AuthFailed => "The receiver could not verify that we are allowed to send for the sender's domain: SPF, DKIM or DMARC failed or did not align with the From domain. The domain's DNS records (SPF include, DKIM key, DMARC policy) or our signing need fixing; this is an admin task.",
            Cause::IpBlocked => "The receiver blocked our sending server itself: our IP is on a blocklist (Spamhaus, Barracuda, SpamCop, Microsoft, Yahoo, ...), has a poor reputation, or lacks a valid reverse DNS (PTR) name. Look up the named list, find and stop the spam source (often a compromised account), then request delisting.",
            Cause::BadDomain => "The recipient's domain does not exist or its DNS is broken (no MX, NXDOMAIN, null MX, mail loop). Often a typo in the domain; check the suggested spelling. If the domain is right, its owner must fix their DNS.",
            Cause::Greylisted => "The receiver uses greylisting: it turns away first attempts from unknown senders and accepts the retry a few minutes later. This is normal and needs no action; our server retries automatically.",
            Cause::RateLimited => "We sent too much, too fast: too many messages, connections or recipients, or a provider throttled us because of volume or user complaints. Slow down sending to that provider, spread bulk mail over time, and check for a sudden spike from one account.",
            Cause::NetworkError => "Our server could not reach or talk to the receiving server: the connection timed out, was refused or dropped, or the TLS handshake failed. Usually the receiver's problem and retried automatically; if it persists, check our network, firewall and TLS settings.",
            Cause::MailboxDisabled => "The mailbox exists but is disabled, suspended or inactive, so it accepts no mail. The recipient has to reactivate it with their provider; until then treat the address as unreachable.",
            Cause::MessageTooLarge => "The message is bigger than the receiver accepts. Send large files as a link instead of an attachment, or shrink the attachments and send again.",
            Cause::RelayDenied => "The server we handed the message to refuses to pass it on for us: mail was routed to the wrong server, or our server is not authorised to relay through it. Check our routing (transport/relayhost) and the relay's permissions.",
            Cause::SenderRejected => "The receiver refused our envelope sender address or its domain (unknown, unresolvable or not allowed). Check that the sender address is valid and its domain has working DNS.",
            Cause::PolicyRejected => "The receiver refused the message under its own policy without naming content, IP or authentication: access denied, administrative prohibition, restricted recipient. The recipient's administrator has to allow us; ask the recipient to contact them.",
            Cause::Expired => "Our server kept retrying but gave up when the message reached its maximum time in the queue. Look at the earlier deferral reasons for this recipient to see why it could not be delivered.",
            Cause::Unknown => "No rule recognised this failure. The remote server's text is kept for review; read it for the reason and consider adding a rule.",
        }
    }
}

impl std::str::FromStr for Cause {
    type Err = UnknownCause;

    fn from_str(s: &str) -> Result<Cause, UnknownCause> {
        Cause::parse(s).ok_or_else(|| UnknownCause(s.to_owned()))
    }
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not a cause id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown cause {0:?}")]
pub struct UnknownCause(pub String);

/// What the classifier looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct Input<'a> {
    pub outcome: Option<Outcome>,
    /// The remote server's text or the MTA's reason (may contain the SMTP code).
    pub text: &'a str,
    /// Enhanced status logged by the MTA (`dsn=5.1.1`), if any.
    pub dsn: Option<&'a str>,
    /// Relay / remote MTA host name, if known.
    pub remote_host: Option<&'a str>,
    /// Recipient domain, lower case.
    pub recipient_domain: &'a str,
}

/// The classifier's answer for one failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub cause: Cause,
    pub rule: &'static str,
    pub permanent: bool,
    pub smtp_code: Option<u16>,
    pub enhanced_status: Option<String>,
    pub blocklist: Option<&'static str>,
    pub provider: Option<&'static str>,
    pub suggested_domain: Option<&'static str>,
    /// Our sending IP when the remote text names it.
    pub sending_ip: Option<String>,
}

/// Classify one failure.
pub fn classify(input: &Input) -> Verdict {
    let text = input.text;
    let hits = lexicon().scan(text);
    let smtp_code = codes::smtp_code(text);
    let dsn = input.dsn.map(str::trim).filter(|d| !d.is_empty());
    let text_status = codes::enhanced_status(text);
    let statuses = [dsn, text_status];
    let statuses: &[&str] = match statuses {
        [Some(a), Some(b)] if a != b => &[a, b],
        [Some(a), _] | [None, Some(a)] => &[a],
        [None, None] => &[],
    };
    let rule = pick_rule(input.outcome, &hits, statuses, smtp_code);
    let provider = provider::provider(input.remote_host, input.recipient_domain);
    let from_google = hits.google || provider == Some("google");
    let suggested_domain = match rule.cause {
        Cause::BadDomain | Cause::BadAddress => typo::suggest(input.recipient_domain),
        _ => None,
    };
    Verdict {
        cause: rule.cause,
        rule: rule.id,
        permanent: is_permanent(input.outcome, smtp_code, statuses.first().copied()),
        smtp_code,
        enhanced_status: statuses.first().map(|s| (*s).to_owned()),
        blocklist: blocklist::pick(hits.lists, statuses, from_google),
        provider,
        suggested_domain,
        sending_ip: sending_ip::sending_ip(text).map(|ip| ip.to_string()),
    }
}

/// The first rule (in table order) whose conditions all hold.
///
/// Only rules whose phrases occur, or that have no phrase condition, can
/// match; their bits are walked in order instead of testing every row.
fn pick_rule(
    outcome: Option<Outcome>,
    hits: &Hits,
    statuses: &[&str],
    code: Option<u16>,
) -> &'static Rule {
    let textless = &lexicon().textless;
    for (w, (&hit, &free)) in hits.rules.iter().zip(textless).enumerate() {
        let mut bits = hit | free;
        while bits != 0 {
            let i = w * 64 + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some(r) = rules::RULES.get(i) else {
                return &rules::UNKNOWN;
            };
            if rule_holds(r, outcome, statuses, code) {
                return r;
            }
        }
    }
    &rules::UNKNOWN
}

/// The non-text conditions of `r` (its phrases are known to occur).
fn rule_holds(r: &Rule, outcome: Option<Outcome>, statuses: &[&str], code: Option<u16>) -> bool {
    (r.outcome.is_none() || r.outcome == outcome)
        && (r.codes.is_empty() || code.is_some_and(|c| r.codes.contains(&c)))
        && (r.status.is_empty()
            || r.status
                .iter()
                .any(|p| statuses.iter().any(|s| codes::status_matches(p, s))))
}

/// Hard or soft: deferrals are soft; a rejection (or a record with no
/// outcome, e.g. a DSN) is soft when the server answered 4xx; bounces and
/// expiries are hard.
fn is_permanent(outcome: Option<Outcome>, code: Option<u16>, status: Option<&str>) -> bool {
    let soft_reply = match code {
        Some(c) => (400..500).contains(&c),
        None => status.is_some_and(|s| s.starts_with("4.")),
    };
    match outcome {
        Some(Outcome::Deferred) => false,
        Some(Outcome::Rejected) | None => !soft_reply,
        Some(_) => true,
    }
}

/// What one scan found.
#[derive(Debug, Default)]
struct Hits {
    /// Bit `i`: a phrase of `RULES[i]` occurs.
    rules: [u64; MAX_RULES / 64],
    /// Bit `i`: a phrase of `BLOCKLISTS[i]` occurs.
    lists: u64,
    /// The text says it came from Google (`gsmtp`).
    google: bool,
}

const MAX_RULES: usize = 256;

/// Who a phrase belongs to.
#[derive(Debug, Clone, Copy)]
enum Tag {
    Rule(u16),
    List(u8),
    Google,
}

/// All phrases of the rules and blocklists in one automaton.
struct Lexicon {
    /// Unanchored, ASCII case-insensitive, standard (all matches) semantics.
    dfa: DFA,
    start: StateID,
    /// Pattern id -> owners (a phrase may serve several rows).
    tags: Vec<Vec<Tag>>,
    /// Bit `i`: `RULES[i]` has no phrase condition.
    textless: [u64; MAX_RULES / 64],
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::build)
}

impl Lexicon {
    fn build() -> Lexicon {
        assert!(
            rules::RULES.len() <= MAX_RULES && BLOCKLISTS.len() <= 64,
            "tables outgrew the bitsets"
        );
        let mut phrases: Vec<String> = Vec::new();
        let mut tags: Vec<Vec<Tag>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut add = |phrase: &str, tag: Tag| {
            let key = phrase.to_ascii_lowercase();
            let id = *index.entry(key.clone()).or_insert_with(|| {
                phrases.push(key);
                tags.push(Vec::new());
                phrases.len() - 1
            });
            tags[id].push(tag);
        };
        for (i, r) in rules::RULES.iter().enumerate() {
            r.any.iter().for_each(|p| add(p, Tag::Rule(i as u16)));
        }
        for (i, b) in BLOCKLISTS.iter().enumerate() {
            b.any.iter().for_each(|p| add(p, Tag::List(i as u8)));
        }
        blocklist::GOOGLE_MARKERS
            .iter()
            .for_each(|p| add(p, Tag::Google));
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(&phrases)
            .expect("static phrase table builds");
        let start = dfa
            .start_state(Anchored::No)
            .expect("unanchored start state");
        let mut textless = [0u64; MAX_RULES / 64];
        for (i, r) in rules::RULES.iter().enumerate() {
            if r.any.is_empty() {
                textless[i / 64] |= 1 << (i % 64);
            }
        }
        Lexicon {
            dfa,
            start,
            tags,
            textless,
        }
    }

    /// One pass over `text`, collecting every phrase occurrence (overlaps
    /// included). Walking the DFA by hand is ~1.5x faster than
    /// `find_overlapping_iter` on short texts.
    fn scan(&self, text: &str) -> Hits {
        let mut hits = Hits::default();
        let mut sid = self.start;
        for &b in text.as_bytes() {
            sid = self.dfa.next_state(Anchored::No, sid, b);
            if self.dfa.is_special(sid) && self.dfa.is_match(sid) {
                for k in 0..self.dfa.match_len(sid) {
                    hits.mark(&self.tags[self.dfa.match_pattern(sid, k).as_usize()]);
                }
            }
        }
        hits
    }
}

impl Hits {
    fn mark(&mut self, tags: &[Tag]) {
        for tag in tags {
            match *tag {
                Tag::Rule(i) => self.rules[usize::from(i) / 64] |= 1 << (i % 64),
                Tag::List(i) => self.lists |= 1 << i,
                Tag::Google => self.google = true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounced(text: &str) -> Verdict {
        classify(&Input {
            outcome: Some(Outcome::Bounced),
            text,
            ..Input::default()
        })
    }

    fn with(outcome: Outcome, text: &str, dsn: Option<&str>, domain: &str) -> Verdict {
        let input = Input {
            outcome: Some(outcome),
            text,
            dsn,
            remote_host: None,
            recipient_domain: domain,
        };
        classify(&input)
    }

    /// Every example of every rule is decided by that rule.
    #[test]
    fn every_rule_decides_its_own_examples() {
        let mut failures = Vec::new();
        for r in rules() {
            for ex in r.examples {
                let outcome = r.outcome.unwrap_or(Outcome::Bounced);
                let v = with(outcome, ex, None, "example.org");
                if v.rule != r.id || v.cause != r.cause {
                    failures.push(format!(
                        "{} expected, got {} ({}) for {ex:?}",
                        r.id, v.rule, v.cause
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn specific_text_beats_generic_code() {
        let v = bounced("550 5.1.1 <bob@example.org>: rate limited, slow down");
        assert_eq!((v.cause, v.rule), (Cause::RateLimited, "text_rate_limited"));
        let v = bounced("550 5.1.1 <bob@example.org>: Recipient address rejected: Greylisted");
        assert_eq!(v.cause, Cause::Greylisted);
        // Microsoft reuses 5.1.10 (null MX) for "recipient not found".
        let v = bounced(
            "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        );
        assert_eq!(v.cause, Cause::BadAddress);
        assert_eq!(
            bounced("550 5.1.10 <bob@example.com>").cause,
            Cause::BadDomain
        );
    }

    #[test]
    fn expired_outcome_wins_over_text() {
        let v = with(
            Outcome::Expired,
            "host mx[192.0.2.1] said: 550 5.1.1 User unknown",
            None,
            "example.org",
        );
        assert_eq!(
            (v.cause, v.rule, v.permanent),
            (Cause::Expired, "outcome_expired", true)
        );
        assert_eq!(v.smtp_code, Some(550));
    }

    #[test]
    fn dsn_is_used_for_status_rules_and_reported() {
        let v = with(
            Outcome::Bounced,
            "Requested action not taken",
            Some("5.1.1"),
            "example.org",
        );
        assert_eq!((v.cause, v.rule), (Cause::BadAddress, "status_x_1_1"));
        assert_eq!(v.enhanced_status.as_deref(), Some("5.1.1"));
        assert_eq!(v.smtp_code, None);
        // The text's own status still counts when the MTA logged a generic one.
        let v = with(
            Outcome::Bounced,
            "550 5.2.2 <bob@example.org>",
            Some("5.0.0"),
            "example.org",
        );
        assert_eq!(v.cause, Cause::MailboxFull);
        assert_eq!(v.enhanced_status.as_deref(), Some("5.0.0"));
    }

    #[test]
    fn permanence() {
        let t = "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted";
        assert!(!with(Outcome::Deferred, "550 5.1.1 user unknown", None, "").permanent);
        assert!(!with(Outcome::Rejected, t, None, "").permanent);
        assert!(with(Outcome::Rejected, "554 5.7.1 Relay access denied", None, "").permanent);
        assert!(with(Outcome::Bounced, t, None, "").permanent);
        assert!(with(Outcome::Expired, t, None, "").permanent);
        let dsn = classify(&Input {
            text: "4.4.1 No answer from host",
            ..Input::default()
        });
        assert!(!dsn.permanent);
    }

    #[test]
    fn deferred_without_reason_is_temporary() {
        let v = with(Outcome::Deferred, "no answer", None, "");
        assert_eq!(
            (v.cause, v.rule, v.permanent),
            (Cause::TemporaryFailure, "fallback_deferred", false)
        );
        let v = bounced("something odd happened");
        assert_eq!((v.cause, v.rule), (Cause::Unknown, "unknown"));
    }

    #[test]
    fn blocklists_are_named() {
        let cases = [
            ("554 5.7.1 Service unavailable; Client host [192.0.2.90] blocked using zen.spamhaus.org", "spamhaus"),
            ("blocked using b.barracudacentral.org", "barracuda"),
            ("blocked using bl.spamcop.net", "spamcop"),
            ("blocked using dnsbl.sorbs.net", "sorbs"),
            ("listed by dnsbl-1.uceprotect.net", "uceprotect"),
            ("550 5.7.1 Service unavailable, Client host [192.0.2.9] blocked using Spamhaus. (AS16012611)", "spamhaus"),
            ("550 5.7.612 Access denied, banned sending IP [192.0.2.25]", "microsoft"),
            ("550 5.7.1 Unfortunately, messages from [192.0.2.25] weren't sent. ... (S3150)", "microsoft"),
            ("421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred", "yahoo"),
            ("421 4.7.0 [TS01] Messages from 192.0.2.10 temporarily deferred", "yahoo"),
            ("421-4.7.28 unusual rate of unsolicited mail originating from your IP address - gsmtp", "gmail"),
            ("554 5.7.1 [CS01] Message rejected due to local policy", "apple"),
            ("Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000", "comcast"),
            ("553 5.3.0 DNSBL:ATTRBL 521< 192.0.2.94 >_is_blocked", "att"),
        ];
        for (t, want) in cases {
            assert_eq!(bounced(t).blocklist, Some(want), "{t}");
        }
        assert_eq!(bounced("550 5.1.1 user unknown").blocklist, None);
        // "low reputation" is Gmail's signal only from Gmail.
        assert_eq!(bounced("550 low reputation").blocklist, None);
        let v = classify(&Input {
            outcome: Some(Outcome::Bounced),
            text: "421 4.7.0 very low reputation of the sending domain",
            remote_host: Some("gmail-smtp-in.l.google.com"),
            ..Input::default()
        });
        assert_eq!(
            (v.blocklist, v.provider, v.cause),
            (Some("gmail"), Some("google"), Cause::IpBlocked)
        );
    }

    #[test]
    fn suggestion_only_for_address_and_domain_causes() {
        let t = "Host or domain name not found. Name service error for name=gmial.com type=MX: Host not found";
        assert_eq!(
            with(Outcome::Bounced, t, None, "gmial.com").suggested_domain,
            Some("gmail.com")
        );
        let t = "550 5.1.1 user unknown";
        assert_eq!(
            with(Outcome::Bounced, t, None, "hotmial.com").suggested_domain,
            Some("hotmail.com")
        );
        let t = "452 4.2.2 Mailbox full";
        assert_eq!(
            with(Outcome::Bounced, t, None, "gmial.com").suggested_domain,
            None
        );
        let t = "550 5.1.1 user unknown";
        assert_eq!(
            with(Outcome::Bounced, t, None, "gmail.com").suggested_domain,
            None
        );
    }

    #[test]
    fn provider_and_sending_ip_fill_in() {
        let v = classify(&Input {
            outcome: Some(Outcome::Bounced),
            text: "550 5.7.606 Access denied, banned sending IP [192.0.2.25]",
            remote_host: Some("example-com.mail.protection.outlook.com"),
            recipient_domain: "example.com",
            ..Input::default()
        });
        assert_eq!(v.provider, Some("microsoft"));
        assert_eq!(v.sending_ip.as_deref(), Some("192.0.2.25"));
        assert_eq!(v.enhanced_status.as_deref(), Some("5.7.606"));
        let v = bounced("connect to mx.example.net[192.0.2.100]:25: Connection timed out");
        assert_eq!((v.cause, v.sending_ip), (Cause::NetworkError, None));
    }

    #[test]
    fn cause_ids_round_trip_and_explain() {
        for c in Cause::ALL {
            assert_eq!(Cause::parse(c.as_str()), Some(c));
            assert_eq!(c.as_str().parse::<Cause>(), Ok(c));
            assert!(c.explanation().len() > 60, "{c}");
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert!("nope".parse::<Cause>().is_err());
    }

    /// One corpus failure: outcome, text, dsn, relay host, recipient domain.
    type Case<'a> = (Outcome, &'a str, Option<&'a str>, Option<&'a str>, String);

    type Part<'a> = (&'a str, &'a dyn Fn(&Case) -> usize);

    /// Mean ns per call of `f` over `cases`, `rounds` times.
    fn ns_per_call(cases: &[Case], rounds: usize, f: impl Fn(&Case) -> usize) -> f64 {
        let t = std::time::Instant::now();
        let mut k = 0usize;
        for _ in 0..rounds {
            for c in cases {
                k = k.wrapping_add(std::hint::black_box(f(c)));
            }
        }
        std::hint::black_box(k);
        t.elapsed().as_secs_f64() * 1e9 / (rounds * cases.len()) as f64
    }

    /// Time `classify` and its parts over the Postfix corpus failures:
    /// `cargo test --release --lib classify_timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn classify_timing() {
        use crate::parse::{Format, LineCtx};
        use crate::record::{domain_of, Record};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/postfix");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "log"))
            .collect();
        files.sort();
        let texts: Vec<String> = files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        let ctx = LineCtx::default();
        let cases: Vec<Case> = texts
            .iter()
            .flat_map(|t| t.lines())
            .filter_map(|l| match Format::Postfix.parse_line(l, &ctx) {
                Record::Delivery(d) => d.outcome.filter(|o| o.is_failure()).map(|o| {
                    let dom = domain_of(d.recipient).to_ascii_lowercase();
                    (o, d.diagnostic, d.dsn, d.remote_host, dom)
                }),
                _ => None,
            })
            .collect();
        let rounds = 2000;
        let parts: [Part; 6] = [
            ("scan", &|c| lexicon().scan(c.1).rules[0] as usize),
            ("smtp_code", &|c| {
                codes::smtp_code(c.1).map_or(0, usize::from)
            }),
            ("enhanced_status", &|c| {
                codes::enhanced_status(c.1).map_or(0, str::len)
            }),
            ("provider", &|c| {
                provider::provider(c.3, &c.4).map_or(0, str::len)
            }),
            ("sending_ip", &|c| {
                usize::from(sending_ip::sending_ip(c.1).is_some())
            }),
            ("typo (when called)", &|c| {
                typo::suggest(&c.4).map_or(0, str::len)
            }),
        ];
        for (name, f) in parts {
            println!("  {name}: {:.0} ns/call", ns_per_call(&cases, rounds, f));
        }
        let ns = ns_per_call(&cases, rounds, |(o, text, dsn, host, dom)| {
            let v = classify(&Input {
                outcome: Some(*o),
                text,
                dsn: *dsn,
                remote_host: *host,
                recipient_domain: dom,
            });
            v.rule.len()
        });
        let bytes: usize = cases.iter().map(|c| c.1.len()).sum();
        println!(
            "classify: {} texts, {ns:.0} ns/call, {:.0} MB/s",
            cases.len(),
            bytes as f64 / cases.len() as f64 / ns * 1e3
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        let long = "550 5.1.1 ".repeat(20_000) + "rate limited";
        let odd = [
            "",
            " ",
            "\0",
            "ü",
            "日本語のエラー 550",
            "5.",
            "[[[[",
            "4.4.4.4.4.4",
            &long,
        ];
        for t in odd {
            for o in [None, Some(Outcome::Deferred), Some(Outcome::Rejected)] {
                let input = Input {
                    outcome: o,
                    text: t,
                    dsn: Some(t),
                    remote_host: Some(t),
                    recipient_domain: t,
                };
                let _ = classify(&input);
            }
        }
        assert_eq!(bounced(&long).cause, Cause::RateLimited);
    }
}
