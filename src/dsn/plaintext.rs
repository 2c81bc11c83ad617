//! Non-standard bounces: the plain-text bodies MTAs and providers send
//! instead of (or besides) an RFC 3464 report.
//!
//! Table-driven: [`FORMATS`] lists each format with the phrases that
//! identify it, where its recipient list starts and ends, and where the
//! shared reason text is. One extractor serves them all:
//!
//! * **address paragraphs**: a line that starts with an address (`bob@x`,
//!   `<bob@x>:`, `'bob@x' on ...`, `bob@x<mailto:..>`, `Unknown user: bob@x`)
//!   opens a recipient; the lines after it (more indented, or up to a blank
//!   line) are its reason. A recipient named twice (Exchange's user and
//!   admin sections) keeps the paragraphs that carry an SMTP code.
//! * **inline sentences**: `Your message wasn't delivered to bob@x because`.
//! * **X-Failed-Recipients** when the body names nobody.
//!
//! A new format is one more row. Rows are tried in order; the first whose
//! markers occur and that yields a recipient wins.

use super::{clean_address, is_address, remote_from_text, unfold, BounceRecord, Context};
use crate::record::Outcome;
use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::OnceLock;

/// One bounce format.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    /// The `format` value of its records.
    pub name: &'static str,
    /// Any of these (case-insensitive) in the subject or body identifies it.
    pub markers: &'static [&'static str],
    /// The recipient list starts after the first of these (else at the top).
    pub start: &'static [&'static str],
    /// The bounce text ends at the first of these (after [`COMMON_END`]).
    pub end: &'static [&'static str],
    /// A reason shared by all recipients follows the first of these found;
    /// used when a recipient's own paragraph has no SMTP code.
    pub reason_after: &'static [&'static str],
    /// Sentences that name the recipient right after the phrase.
    pub inline: &'static [&'static str],
    /// The reporting host follows one of these.
    pub host_after: &'static [&'static str],
}

impl Format {
    const fn new(name: &'static str, markers: &'static [&'static str]) -> Format {
        Format {
            name,
            markers,
            start: &[],
            end: &[],
            reason_after: &[],
            inline: &[],
            host_after: &[],
        }
    }
    const fn start(self, start: &'static [&'static str]) -> Format {
        Format { start, ..self }
    }
    const fn end(self, end: &'static [&'static str]) -> Format {
        Format { end, ..self }
    }
    const fn reason(self, reason_after: &'static [&'static str]) -> Format {
        Format {
            reason_after,
            ..self
        }
    }
    const fn inline(self, inline: &'static [&'static str]) -> Format {
        Format { inline, ..self }
    }
    const fn host(self, host_after: &'static [&'static str]) -> Format {
        Format { host_after, ..self }
    }
}

/// Where every format's bounce text ends: the returned copy starts.
pub const COMMON_END: &[&str] = &[
    "------ This is a copy of the message",
    "--- Below this line is a copy of the message",
    "Original message headers:",
    "----- Original message -----",
    "------ Original message ------",
    "Below is a copy of the original message",
    "------- Returned Message --------",
    "----- Original Message -----",
    "Original message follows",
    "----- Unsent message follows -----",
    "----- Message header follows -----",
    "------- The original message headers are",
    "The original message was:",
    "Message details:",
    "--- The header of the original message is following. ---",
];

/// Where the returned copy starts when no [`COMMON_END`] line (or only a
/// localised one, `------ Messaggio originale ------`) announces it: its
/// first header line. The copy's `To:` line would otherwise reopen a
/// recipient and pour the copied headers into its reason.
pub const COPY_HEADERS: &[&str] = &["\nreceived: from ", "\nreturn-path: <"];

/// Phrases that make a bounce a delay warning (outcome `deferred`).
pub const DELAY_MARKERS: &[&str] = &[
    "this is a warning",
    "has not yet been delivered",
    "have not yet been delivered",
    "delivery is delayed",
    "delivery has been delayed",
    "delivery incomplete",
    "temporary problem delivering",
    "transient non-fatal errors",
    "will retry for",
    "delayed mail (still being retried)",
    "delivery status notification (delay)",
    "warning: could not send message for past",
    "will keep trying",
    "will continue trying",
    "still trying to deliver",
    // Courier's DELAYED MAIL notice
    "has not been delivered yet",
    "delivery attempts will continue",
];

/// The formats, most specific first.
pub static FORMATS: &[Format] = &[
    // Dovecot LDA / Pigeonhole Sieve `reject`: an MDN (not a DSN) whose
    // text part says `Your message to <bob@x> was automatically rejected:`
    // followed by the reason (quota, or the Sieve script's own words).
    Format::new("dovecot", &["was automatically rejected:"])
        .reason(&["was automatically rejected:"])
        .inline(&["your message to "]),
    // Smail 3 and Deutsche Telekom's (T-Online) fork of it: a framed list
    // of addresses, each followed by its indented reply.
    Format::new("smail", &["failed addresses follow:"])
        .start(&["failed addresses follow:"])
        .end(&["message header follows:", "message text follows:"]),
    // 1&1 / IONOS: Exim's opening words, the address alone on its line and
    // the reason after `For the following reason:`; before `exim`.
    Format::new(
        "einsundeins",
        &["--- the header of the original message is following. ---"],
    )
    .reason(&["for the following reason:"]),
    // GMX / web.de / mail.com: Exim's opening words, its own error line
    // ("remote server", not "remote mail server"); before `exim`.
    Format::new(
        "gmx",
        &[
            "smtp error from remote server after",
            // newer: `... for RCPT TO command, host: mx (ip) reason: 550 ...`
            "smtp error from remote server for",
        ],
    )
    .start(&[
        "the following address failed:",
        "the following addresses failed:",
    ])
    .end(&["------ this is a copy of the message"]),
    // MDaemon: the reason is the reply to RCPT in its session transcript.
    // (Not the bare word "mdaemon": it shows in the Received headers of
    // returned messages that merely passed an MDaemon server.)
    Format::new("mdaemon", &["--- session transcript ---"])
        .start(&["--- session transcript ---"])
        .end(&["--- end transcript ---"])
        .reason(&["--> rcpt to:"])
        .inline(&["--> rcpt to:"]),
    // SmarterMail: `Failed to deliver to '<bob@x>'` then the module's report.
    Format::new(
        "smartermail",
        &[
            "smtp module(domain",
            "local module(account",
            "failed to deliver to '",
        ],
    )
    .start(&["failed to deliver to"])
    .reason(&["reports:"])
    .inline(&["failed to deliver to '"]),
    // hMailServer: Exchange 2003's wording, so before `exchange2003`.
    Format::new("hmailserver", &["hmailserver sent:"])
        .start(&["the following recipient(s) could not be reached:"]),
    // MailEnable: `Recipient: [SMTP:bob@x]` and `Reason: ...`.
    Format::new(
        "mailenable",
        &["mailenable:", "remote smtp server returned:"],
    )
    .start(&["the following recipient(s) could not be reached:"])
    .reason(&["reason:"])
    .inline(&["recipient: [smtp:"]),
    // Novell / Micro Focus GroupWise (GWIA).
    Format::new(
        "groupwise",
        &[
            "message status - undeliverable",
            "possibly truncated original message follows",
        ],
    )
    .start(&["was undeliverable to the following:"])
    .end(&["possibly truncated original message follows"]),
    // Oracle (Sun, iPlanet) Communications Messaging Server.
    Format::new(
        "messagingserver",
        &["this report relates to a message you sent with the following header fields"],
    )
    .start(&[
        "your message cannot be delivered to the following recipients:",
        "your message has not yet been delivered to the following recipients:",
    ]),
    // Sophos Email Appliance: Gmail's "failed permanently" wording, so
    // before `gmail`; known by the appliance naming itself.
    Format::new("sophos", &["the sophos email appliance at "])
        .start(&[
            "delivery to the following recipient failed permanently:",
            "delivery to the following recipients failed permanently:",
        ])
        .reason(&["error returned by the receiving server:"])
        .host(&["sophos email appliance at "]),
    // IceWarp: `Recipient: bob@x` then `Server reply: ...`.
    Format::new("icewarp", &["this is the icewarp delivery agent at "])
        .start(&[
            "to the recipient listed below.",
            "to the recipients listed below.",
        ])
        .reason(&["server reply:"])
        .host(&["this is the icewarp delivery agent at "]),
    // Coremail (NetEase 163/126/yeah.net and the many Coremail hosts): a
    // Chinese summary of the returned mail under `原邮件信息` (original mail
    // information), `收件人` (recipient) and `退信原因` (reason for the
    // return); before `tencent`, which shares the labels.
    Format::new("coremail", &["原邮件信息"])
        .reason(&["退信原因：", "退信原因:", "退信原因"])
        .inline(&["收件人：", "收件人:"]),
    // Tencent QQ Mail / Exmail: bilingual labels, `收件人` (recipient) and
    // `退信原因` (reason for the return).
    Format::new("tencent", &["退信原因"])
        .reason(&["退信原因 (reason):", "退信原因:", "退信原因："])
        .inline(&["收件人 (recipient):", "收件人:", "收件人："]),
    // Kerio Connect: an indented address, its reason indented below it.
    Format::new(
        "kerio",
        &["kerio connect was unable to deliver your message"],
    )
    .start(&["unable to deliver your message to these recipients:"]),
    Format::new(
        "exim",
        &[
            "this message was created automatically by mail delivery software",
            "smtp error from remote mail server after",
        ],
    )
    .start(&[
        "the following address(es) failed:",
        "the following address(es) have not yet been delivered:",
        "could not be delivered to one or more of its",
        "has not yet been delivered to one or more of its",
    ])
    .end(&["------ this is a copy of the message"]),
    // Yahoo's qmail: before `qmail`, whose clone markers its text shares.
    Format::new(
        "yahoo",
        &[
            "sorry, we were unable to deliver your message to the following address",
            "message from yahoo.com",
        ],
    )
    .start(&["to the following address"])
    .host(&["message from "]),
    // qmail, and its clones known by qmail-remote's own words ("X4":
    // `Unable to deliver message to the following address(es).`, or in
    // Spanish, then `<bob@x>:` / `192.0.2.1 does not like recipient.`).
    Format::new(
        "qmail",
        &[
            "this is the qmail-send program",
            "hi. this is the qmail",
            " does not like recipient.",
            " but sender was rejected.",
            " failed after i sent the message.",
        ],
    )
    .start(&["to the following addresses.", "the following addresses"])
    .host(&["qmail-send program at "]),
    // Postfix; before 2.3 it signed as "The Postfix program".
    Format::new(
        "postfix",
        &[
            "this is the mail system at host",
            "this is the postfix program at host",
        ],
    )
    .start(&["the mail system", "the postfix program"])
    .host(&[
        "this is the mail system at host ",
        "this is the postfix program at host ",
    ]),
    Format::new(
        "sendmail",
        &[
            "----- transcript of session follows -----",
            "----- the following addresses had permanent fatal errors -----",
            "----- the following addresses had transient non-fatal errors -----",
        ],
    )
    .start(&[
        "----- the following addresses had permanent fatal errors -----",
        "----- the following addresses had transient non-fatal errors -----",
        "----- transcript of session follows -----",
    ])
    .end(&[
        "----- original message follows -----",
        "----- message header follows -----",
    ]),
    Format::new(
        "opensmtpd",
        &["this is the mailer-daemon, please do not reply"],
    )
    .start(&[
        "the following list of recipients:",
        "following list of recipients",
    ])
    .end(&["below is a copy of the original message"]),
    Format::new(
        "exchange",
        &[
            "delivery has failed to these recipients or groups",
            "delivery is delayed to these recipients or groups",
            "diagnostic information for administrators",
            "remote server returned '",
            "generating server:",
            // Exchange Online's newer layout
            "more info for email admins",
            "dsn generated by:",
            // localised Exchange (fr, de, it, es, nl, pt)
            "informations de diagnostic pour les administrateurs",
            "diagnoseinformationen für administratoren",
            "informazioni di diagnostica per gli amministratori",
            "información de diagnóstico para administradores",
            "diagnostische gegevens voor beheerders",
            "informações de diagnóstico para administradores",
            "管理者向けの診断情報",
            "diagnostisk information för administratörer",
            "diagnosinformation för administratörer",
        ],
    )
    .end(&[
        "original message headers",
        "en-têtes de message d'origine",
        "ursprüngliche nachrichtenkopfzeilen",
        "intestazioni originali del messaggio",
        "encabezados del mensaje original",
        "oorspronkelijke berichtkoppen",
        "cabeçalhos da mensagem original",
        "元のメッセージ ヘッダー",
        "ursprungliga meddelandehuvuden",
    ])
    .reason(&["reported error:"])
    .inline(&[
        "your message to ",
        "delivery to these recipients or groups is complete, but no delivery notification",
    ])
    .host(&["generating server: "]),
    Format::new(
        "exchange2003",
        &[
            "your message did not reach some or all of the intended recipients",
            "the following recipient(s) could not be reached",
        ],
    )
    .start(&[
        "the following recipient(s) could not be reached:",
        "the following recipient(s) cannot be reached:",
    ]),
    Format::new("messagelabs", &["messagelabs", "symantec.cloud"])
        .start(&[
            "recipients failed permanently:",
            "the following recipients:",
        ])
        .reason(&["reason:"]),
    Format::new(
        "outlook",
        &[
            "this is an automatically generated delivery status notification",
            "delivery to the following recipients failed",
        ],
    )
    .start(&[
        "delivery to the following recipients failed.",
        "delivery to the following recipients failed",
        "delivery to the following recipients has been delayed",
    ]),
    // Google Groups: the group's address only in X-Failed-Recipients; it
    // comes from mailer-daemon@googlemail.com with Gmail's subject, so
    // before `gmail`.
    Format::new(
        "googlegroups",
        &["the group you tried to contact", "google groups"],
    )
    .reason(&["we're writing to let you know that"]),
    Format::new(
        "gmail",
        &[
            "delivery status notification (failure)",
            "delivery status notification (delay)",
            "** address not found **",
            "** message not delivered **",
            "** message blocked **",
            "** delivery incomplete **",
            "your message wasn't delivered to",
            "the response from the remote server was:",
            "technical details of permanent failure",
            "technical details of temporary failure",
            "delivery to the following recipient failed",
            "delivery to the following recipient has been delayed",
            "google tried to deliver your message",
        ],
    )
    .start(&[
        "delivery to the following recipient failed permanently:",
        "delivery to the following recipients failed permanently:",
        "delivery to the following recipient has been delayed:",
    ])
    .reason(&[
        "the response from the remote server was:",
        "the response was:",
        "the error that the other server returned was:",
        "technical details of permanent failure:",
        "technical details of temporary failure:",
    ])
    .inline(&[
        "your message wasn't delivered to ",
        "there was a problem delivering your message to ",
        "there was a temporary problem delivering your message to ",
        "your message to ",
        "your message couldn't be delivered to ",
    ]),
    Format::new("domino", &["was not delivered to:", "domino directory"])
        .start(&["was not delivered to:"])
        .reason(&["because:"]),
    Format::new(
        "courier",
        &["running the courier mail server", "courier mail server"],
    )
    .start(&[
        "your message to the following recipients cannot be delivered:",
        "undeliverable mail",
        "delayed mail",
    ])
    .host(&["this is a delivery status notification from "]),
    Format::new(
        "mailmarshal",
        &[
            "could not be delivered because of",
            "the following recipients were affected",
        ],
    )
    .start(&["the following recipients were affected:"])
    .reason(&["could not be delivered because of"]),
    Format::new(
        "barracuda",
        &["barracuda", "was blocked by our spam firewall"],
    )
    .start(&["your message to:", "the following recipients:"])
    .reason(&["reason:"])
    .inline(&["your message to: ", "your message to "]),
    Format::new("mimecast", &["mimecast"])
        .start(&[
            "the following recipients did not receive your message:",
            "your message couldn't be delivered to the following recipients:",
            "the following recipient(s) could not be reached:",
        ])
        .reason(&["reason:", "remote server replied:"]),
    Format::new("proofpoint", &["proofpoint", "pphosted.com"])
        .start(&["the following recipient(s):", "recipient(s):"])
        .reason(&["reason:", "remote server responded:"]),
    Format::new(
        "sendgrid",
        &["automatically generated message from sendgrid", "sendgrid"],
    )
    .start(&["intended recipients.", "recipients:"]),
    Format::new("amazonses", &["amazon ses", "amazonses.com"]).start(&[
        "the following recipients:",
        "an error occurred while trying to deliver the mail to the following recipients:",
    ]),
    Format::new(
        "imail",
        &["body of message generated response:", "unknown user:"],
    )
    .start(&["body of message generated response:"]),
    // Trend Micro InterScan MSS: `Unable to deliver message to <bob@x>
    // (and other recipients in the same domain).`, so the others are
    // named only in the transcript.
    Format::new(
        "interscan",
        &["unable to deliver message to", "sent <<< rcpt to:"],
    )
    .reason(&["received >>>"])
    .inline(&["unable to deliver message to ", "sent <<< rcpt to:"]),
    Format::new("james", &["error message below:", "message details:"])
        .reason(&["error message below:"])
        .inline(&["rcpt to: "]),
    Format::new("zoho", &["zoho", "invalid address, error_code"])
        .start(&["this is a permanent error.", "permanent error."]),
    // BIGLOBE and the Japanese ISPs on its platform: Sendmail's heading for
    // the list, then the reason under `Non-delivered information`; before
    // `mcafee`, which shares the heading.
    Format::new("biglobe", &["----- non-delivered information -----"])
        .start(&["----- the following addresses had delivery problems -----"])
        .reason(&["----- non-delivered information -----"]),
    Format::new(
        "mcafee",
        &["--- the following addresses had delivery problems ---"],
    )
    .start(&["--- the following addresses had delivery problems ---"])
    .end(&["--- transcript of session follows ---"]),
    // fml (Japanese mailing-list manager): a list that only members may
    // post to returns the post from `LIST-admin@`, naming the list in the
    // sentence `You are not a member of this mailing list <list@x>.` and
    // quoting the post after `Original mail as follows:`. Its guide
    // paragraph names the list's `-ctl` address, which is no recipient.
    Format::new(
        "fml",
        &["original mail as follows:", "not member article from "],
    )
    .end(&[
        "if you know the general guide of this list",
        "original mail as follows:",
    ])
    .inline(&["you are not a member of this mailing list "]),
    // An unidentified MTA ("X6" in sisimai): `We had trouble delivering
    // your message. Full details follow:`, then one line per recipient,
    // `SMTP Server <mx> rejected recipient <bob@x> (Error following RCPT
    // command). It responded as follows: [550 5.1.1 ...]`.
    Format::new(
        "trouble_delivering",
        &["we had trouble delivering your message. full details follow:"],
    )
    .end(&["the attachment contains the original mail headers"])
    .inline(&[
        "rejected recipient ",
        "the following recipients returned permanent errors: ",
    ]),
    // Last: any bounce-looking text with address paragraphs.
    Format::new(
        "generic",
        &[
            "undeliver",
            "could not be delivered",
            "couldn't be delivered",
            "delivery failed",
            "delivery has failed",
            "failed permanently",
            "permanent error",
            "returned mail",
            "delivery failure",
            "failure notice",
            "mail delivery failed",
            "not delivered",
            "unable to deliver",
            "mailer-daemon",
            "delivery notification",
            "trouble delivering",
            "error delivering",
            "error sending your",
        ],
    )
    .start(&[
        "the following address(es) failed:",
        "following recipients:",
        "following recipient(s):",
        "following addresses:",
        "following address:",
    ])
    // sentences that name the recipient right after, in any MTA's words
    .inline(&[
        "rejected recipient ",
        "failed to deliver to ",
        "could not be delivered to ",
        "couldn't be delivered to ",
        "undeliverable to ",
        "delivery failed for ",
        "unknown user: ",
        "your message to ",
        "delivery to ",
    ]),
];

/// Subjects of notices that report success (delivery receipts, relay
/// notices), not failure.
const SUCCESS_SUBJECTS: &[&str] = &[
    "delivered:",
    "relayed:",
    "delivery status notification (success)",
    "delivery status notification (relay)",
    "successful mail delivery report",
    "delivery receipt",
];

/// Body phrases of such notices.
const SUCCESS_PHRASES: &[&str] = &[
    "has been delivered to the following recipient",
    "was delivered to the following recipient",
    "was successfully delivered",
    "delivery to the following recipient succeeded",
    "delivery to the following recipients succeeded",
    "delivery to these recipients or groups is complete",
    "successfully relayed",
];

/// Words that any failure or delay notice uses somewhere.
const FAILURE_WORDS: &[&str] = &[
    "fail",
    "undeliver",
    "could not",
    "couldn't",
    "cannot be delivered",
    "not delivered",
    "wasn't delivered",
    "not been delivered",
    "not be delivered",
    "unable to deliver",
    "rejected",
    "returned to sender",
];

/// A delivery receipt or relay notice (Exchange's `Delivered:`, a plain
/// "has been delivered to the following recipients") that names its
/// recipients like a bounce but reports no failure and no delay.
pub fn success_notice(ctx: &Context) -> bool {
    let subject = ctx.subject.trim().to_ascii_lowercase();
    let body = ctx.body.to_ascii_lowercase();
    let end = COMMON_END
        .iter()
        .filter_map(|m| body.find(&m.to_ascii_lowercase()))
        .min()
        .unwrap_or(body.len());
    let head = format!("{subject}\n{}", &body[..end]);
    let success = SUCCESS_SUBJECTS.iter().any(|p| subject.starts_with(p))
        || SUCCESS_PHRASES.iter().any(|p| head.contains(p));
    success
        && !FAILURE_WORDS
            .iter()
            .chain(DELAY_MARKERS)
            .any(|w| head.contains(w))
}

/// The name of the last, catch-all row.
const GENERIC: &str = "generic";

/// Every failed recipient the text of a plain-text bounce names.
pub fn parse(ctx: &Context) -> Vec<BounceRecord> {
    let haystack = format!("{}\n{}", ctx.subject, ctx.body).to_ascii_lowercase();
    let rows = marked_rows(&haystack);
    for (f, &has_marker) in FORMATS.iter().zip(&rows) {
        let marked = has_marker || (f.name == GENERIC && super::looks_like_bounce(ctx));
        if !marked {
            continue;
        }
        let records = extract(f, ctx);
        if !records.is_empty() {
            return records;
        }
    }
    Vec::new()
}

/// Which rows of [`FORMATS`] have a marker in `haystack` (lower case): one
/// pass of one automaton over every row's markers, instead of a substring
/// search per marker (a third of the time of a plain-text bounce).
fn marked_rows(haystack: &str) -> Vec<bool> {
    static MARKERS: OnceLock<(AhoCorasick, Vec<usize>)> = OnceLock::new();
    let (ac, owner) = MARKERS.get_or_init(|| {
        let (owner, markers): (Vec<usize>, Vec<&str>) = FORMATS
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.markers.iter().map(move |m| (i, *m)))
            .unzip();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(markers)
            .expect("static marker table builds");
        (ac, owner)
    });
    let mut rows = vec![false; FORMATS.len()];
    for m in ac.find_overlapping_iter(haystack) {
        rows[owner[m.pattern().as_usize()]] = true;
    }
    rows
}

/// A recipient and the paragraphs about it.
#[derive(Debug, Default)]
struct Found {
    addr: String,
    paragraphs: Vec<String>,
}

fn extract(f: &Format, ctx: &Context) -> Vec<BounceRecord> {
    let body = ctx.body.as_str();
    let lower = body.to_ascii_lowercase();
    let start_at = f
        .start
        .iter()
        .filter_map(|m| lower.find(m).map(|i| i + m.len()))
        .min();
    let start = start_at.unwrap_or(0);
    let copy = COPY_HEADERS
        .iter()
        .filter_map(|m| lower[start..].find(m).map(|i| start + i + 1));
    let end = f
        .end
        .iter()
        .chain(COMMON_END)
        .filter_map(|m| {
            lower[start..]
                .find(&m.to_ascii_lowercase())
                .map(|i| start + i)
        })
        .chain(copy)
        .min()
        .unwrap_or(body.len());
    let region = &body[start..end];
    let mut found = if reason_first_layout(region) {
        paragraphs_reason_first(region)
    } else {
        paragraphs(region)
    };
    for phrase in f.inline {
        inline(&body[..end], &lower[..end], phrase, &mut found);
    }
    // the bounce's own sender and addressee (the original sender, whom
    // SmarterMail and others print above the list) never failed here
    found.retain(|fd| !is_own_address(&fd.addr, ctx));
    if found.is_empty() {
        // The loose scan only where the format is really identified (its
        // list heading found, or the catch-all row) and the message comes
        // from a mail system, so prose that merely names an address (a
        // challenge-response, a list notice) never becomes a failure.
        let loose = if (start_at.is_some() || f.name == GENERIC) && super::looks_like_bounce(ctx) {
            loose_recipients(region, body, ctx)
        } else {
            Vec::new()
        };
        if ctx.failed_recipients.is_empty() {
            found = loose;
        } else {
            for a in &ctx.failed_recipients {
                let i = add(&mut found, a, None);
                if let Some(l) = loose.iter().find(|l| l.addr.eq_ignore_ascii_case(a)) {
                    found[i].paragraphs.clone_from(&l.paragraphs);
                }
            }
        }
    }
    let shared = reason_after(body, &lower, f.reason_after, end);
    let reporting = reporting_host(body, &lower, f.host_after);
    let deferred = {
        let head = format!("{}\n{}", ctx.subject, &body[..end]).to_ascii_lowercase();
        DELAY_MARKERS.iter().any(|m| head.contains(m))
    };
    let lead = lead_text(body, &lower[..end], &found);
    let gave_up = gave_up_line(&body[..end], &lower[..end]);
    let coded = (found.len() == 1)
        .then(|| coded_lines(&body[start..end]))
        .flatten();
    found
        .into_iter()
        .map(|fd| {
            let reasons = Reasons {
                transcript: transcript_reply(&body[..end], &lower[..end], &fd.addr),
                shared: shared.as_deref(),
                lead: lead.as_deref(),
                coded: coded.as_deref(),
                gave_up,
            };
            record(f.name, fd, &reasons, reporting.clone(), deferred)
        })
        .collect()
}

/// Where a recipient's reason may come from when its own paragraph has no
/// SMTP code, best first.
struct Reasons<'a> {
    /// The reply to `RCPT TO:<recipient>` in a session transcript.
    transcript: Option<String>,
    /// The format's shared reason (`reason_after`).
    shared: Option<&'a str>,
    /// The prose before the first recipient (`Failure Reasons: ... bob@x`,
    /// `... not reachable within the allowed queue period ... bob@x`):
    /// only when the recipient's own text says nothing the classifier knows.
    lead: Option<&'a str>,
    /// Every line of the bounce text with an SMTP or enhanced status code,
    /// when it names one recipient only (`Status code: 550 5.7.23`,
    /// `Reported error: 550 5.7.23 …` under a layout we do not know): when
    /// neither the recipient's own text nor the lead says anything.
    coded: Option<&'a str>,
    /// The line saying the MTA gave up retrying (Sendmail's `Message will
    /// be deleted from queue`): added to a reason without a permanent code.
    gave_up: Option<&'a str>,
}

/// Phrases of an MTA that stopped retrying a temporary failure.
const GAVE_UP: &[&str] = &["will be deleted from queue", "cannot send message for"];

/// The first line of the bounce text with a [`GAVE_UP`] phrase.
fn gave_up_line<'a>(body: &'a str, lower: &str) -> Option<&'a str> {
    let i = GAVE_UP.iter().filter_map(|p| lower.find(p)).min()?;
    let from = body[..i].rfind('\n').map_or(0, |n| n + 1);
    let to = body[i..].find('\n').map_or(body.len(), |n| i + n);
    Some(body[from..to].trim())
}

/// The lines of `region` that carry an SMTP or enhanced status code,
/// distinct, joined (at most 1500 bytes); `None` when there are none.
fn coded_lines(region: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for l in region.lines().map(str::trim) {
        if has_code(l) && !out.contains(&l) {
            out.push(l);
        }
    }
    (!out.is_empty()).then(|| truncate(out.join(" "), 1500))
}

/// The explanation before the first named recipient, unfolded (at most the
/// last 1500 bytes of it); `None` when there is none.
fn lead_text(body: &str, lower: &str, found: &[Found]) -> Option<String> {
    let first = found
        .iter()
        .filter_map(|f| lower.find(&f.addr.to_ascii_lowercase()))
        .min()?;
    let mut from = first.saturating_sub(1500);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    let text = unfold(&body[from..first]);
    (!text.is_empty()).then_some(text)
}

/// The server's reply to `RCPT TO:<addr>` in a transcript anywhere in
/// `body` (`>>> RCPT TO:<bob@x>` / `<<< 550 ...`, `Sent <<< RCPT TO:<bob@x>`
/// / `Received >>> 550 ...`, `--> RCPT TO:<bob@x>` / `<-- 550 ...`): the
/// lines after the command up to a blank line or the next command, when
/// they carry an SMTP code.
fn transcript_reply(body: &str, lower: &str, addr: &str) -> Option<String> {
    let addr = addr.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("rcpt to:") {
        let at = from + i + "rcpt to:".len();
        from = at;
        let rest = lower[at..].trim_start().trim_start_matches('<');
        let Some(after) = rest.strip_prefix(addr.as_str()) else {
            continue;
        };
        if !after.is_empty() && !after.starts_with(['>', ' ', '\r', '\n', '\t']) {
            continue;
        }
        let eol = body[at..].find('\n')?;
        let mut reply = Vec::new();
        for line in body[at + eol + 1..].lines().take(4) {
            let t = line.trim();
            if t.is_empty() {
                break;
            }
            let t = match t.rfind(">>>").or_else(|| t.rfind("<<<")) {
                Some(m) if t[..m].trim().chars().any(char::is_alphabetic) => &t[m + 3..],
                _ => t.trim_start_matches(['<', '>', '-', ' ']),
            };
            let l = t.trim().to_ascii_lowercase();
            if ["rcpt to", "mail from", "data", "quit", "rset"]
                .iter()
                .any(|c| l.starts_with(c))
            {
                break;
            }
            reply.push(t.trim());
        }
        let reply = unfold(&reply.join(" "));
        return has_code(&reply).then(|| truncate(reply, 2000));
    }
    None
}

/// Does the classifier know what `text` means?
fn says_something(text: &str) -> bool {
    let v = crate::classify::classify(&crate::classify::Input {
        text,
        ..Default::default()
    });
    v.cause != crate::classify::Cause::Unknown
}

fn record(
    format: &'static str,
    fd: Found,
    reasons: &Reasons,
    reporting_mta: Option<String>,
    deferred: bool,
) -> BounceRecord {
    let coded: Vec<&String> = fd.paragraphs.iter().filter(|p| has_code(p)).collect();
    let own = if coded.is_empty() {
        unfold(&fd.paragraphs.join(" "))
    } else {
        unfold(
            &coded
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    };
    let shared = reasons.shared.filter(|s| !s.is_empty());
    let diagnostic = if !coded.is_empty() {
        own
    } else if let Some(t) = &reasons.transcript {
        t.clone()
    } else if let Some(s) = shared {
        s.to_owned()
    } else {
        // the classifier runs only when there is something to fall back to
        match (reasons.lead, reasons.coded) {
            (None, None) => own,
            _ if says_something(&own) => own,
            (Some(lead), Some(coded)) if !says_something(lead) => coded.to_owned(),
            (Some(lead), _) => unfold(&format!("{lead} {own}")),
            (None, Some(coded)) => coded.to_owned(),
        }
    };
    let diagnostic = match reasons.gave_up {
        Some(g) if crate::classify::smtp_code(&diagnostic).is_none_or(|c| c < 500) => {
            format!("{diagnostic} {g}")
        }
        _ => diagnostic,
    };
    let diagnostic = truncate(strip_label(&diagnostic).to_owned(), 2000);
    let (remote_mta, remote_ip) = remote_from_text(&diagnostic);
    BounceRecord {
        recipient: fd.addr,
        original_recipient: None,
        outcome: if deferred {
            Outcome::Deferred
        } else {
            Outcome::Bounced
        },
        status: crate::classify::enhanced_status(&diagnostic).map(str::to_owned),
        smtp_code: crate::classify::smtp_code(&diagnostic),
        diagnostic,
        remote_mta,
        remote_ip,
        reporting_mta,
        ts_ms: None,
        original_sender: None,
        original_message_id: None,
        sending_ip: None,
        format,
    }
}

/// Labels in front of the remote text that are not part of it.
const LABELS: &[&str] = &[
    "(reason:",
    "reason:",
    "remote host said:",
    "error message below:",
    "delay reason:",
];

/// `Reason: 550 ...` -> `550 ...`; `(reason: 550 ...)` -> `550 ...`.
fn strip_label(d: &str) -> &str {
    let lower = d.get(..24).unwrap_or(d).to_ascii_lowercase();
    for l in LABELS {
        if lower.starts_with(l) {
            let rest = d[l.len()..].trim();
            return if l.starts_with('(') {
                rest.strip_suffix(')').unwrap_or(rest)
            } else {
                rest
            };
        }
    }
    d
}

fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

fn has_code(p: &str) -> bool {
    crate::classify::smtp_code(p).is_some() || crate::classify::enhanced_status(p).is_some()
}

/// Address paragraphs of the recipient list.
fn paragraphs(region: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // (index into found, indent, has reason lines)
    let mut open: Option<(usize, usize, bool)> = None;
    let mut para = String::new();
    // the others named on the open recipient's line (`bob@x; carol@x`)
    let mut peers: Vec<usize> = Vec::new();
    let flush = |found: &mut Vec<Found>,
                 open: &Option<(usize, usize, bool)>,
                 peers: &[usize],
                 para: &mut String| {
        if let Some((i, _, _)) = open {
            if !para.trim().is_empty() {
                for &p in peers {
                    found[p].paragraphs.push(para.clone());
                }
                found[*i].paragraphs.push(std::mem::take(para));
            }
        }
        para.clear();
    };
    for line in region.lines() {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        if text.is_empty() {
            // A paragraph that ends in a label (`For the following
            // reason:`) goes on into the next one, which is the reason.
            if open.is_some_and(|o| o.2) && !para.trim_end().ends_with(':') {
                flush(&mut found, &open, &peers, &mut para);
                open = None;
            }
            continue;
        }
        if let Some((addr, rest)) = address_line(text) {
            let continues = open.is_some_and(|(i, ind, _)| {
                indent > ind || found[i].addr.eq_ignore_ascii_case(&addr)
            });
            if !continues {
                flush(&mut found, &open, &peers, &mut para);
                let i = add(&mut found, &addr, None);
                let others = listed_addresses(rest);
                peers = others.iter().map(|a| add(&mut found, a, None)).collect();
                let rest = if others.is_empty() { rest } else { "" };
                let has = !rest.is_empty();
                para.push_str(rest);
                open = Some((i, indent, has));
                continue;
            }
        }
        if let Some(o) = open.as_mut() {
            para.push(' ');
            para.push_str(text);
            o.2 = true;
        }
    }
    flush(&mut found, &open, &peers, &mut para);
    found
}

/// The addresses of `rest` when it holds nothing else (`; carol@x, dan@x`
/// after the first address of a line); empty otherwise.
fn listed_addresses(rest: &str) -> Vec<&str> {
    let words: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let addrs: Vec<&str> = words.iter().map(|w| clean_address(w)).collect();
    if addrs.iter().all(|a| is_address(a)) {
        addrs
    } else {
        Vec::new()
    }
}

/// Lotus Notes' layout: each reason line stands *before* the address it
/// applies to (`User not listed in public Name & Address Book` /
/// `bob@x`). Known by every address line being bare, right under a
/// non-address line that is no heading (`...:`, `-----`), and followed by
/// a blank line or another bare address.
fn reason_first_layout(region: &str) -> bool {
    let lines: Vec<&str> = region.lines().map(str::trim).collect();
    let (mut seen, mut orphan) = (false, false);
    for (i, l) in lines.iter().enumerate() {
        let Some((_, rest)) = address_line(l) else {
            // text after an address that no address follows is the
            // address-first layout's reason (`bob@x` / `` / `550 ...`)
            if l.is_empty() && orphan {
                return false;
            }
            orphan |= seen && !l.is_empty() && !l.starts_with("---");
            continue;
        };
        orphan = false;
        let bare = |t: &str| address_line(t).is_some_and(|(_, r)| r.is_empty());
        let prev = i.checked_sub(1).map_or("", |p| lines[p]);
        let next = lines.get(i + 1).copied().unwrap_or("");
        let prev_ok = bare(prev)
            || (!prev.is_empty() && !prev.ends_with(':') && !prev.ends_with('-'))
                && address_line(prev).is_none();
        if !rest.is_empty() || !prev_ok || !(next.is_empty() || bare(next)) {
            return false;
        }
        seen = true;
    }
    seen && !orphan
}

/// Recipients of a [`reason_first_layout`]: each takes the lines since the
/// previous address; addresses listed together share the reason above.
fn paragraphs_reason_first(region: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let (mut pending, mut last) = (Vec::new(), String::new());
    for line in region.lines().map(str::trim) {
        match address_line(line) {
            Some((addr, _)) => {
                if !pending.is_empty() {
                    last = pending.join(" ");
                    pending.clear();
                }
                let para = (!last.is_empty()).then(|| last.clone());
                add(&mut found, &addr, para);
            }
            None if !line.is_empty() && !line.starts_with("---") => pending.push(line),
            None => {}
        }
    }
    found
}

/// Index of `addr` in `found`, adding it (with an optional paragraph).
fn add(found: &mut Vec<Found>, addr: &str, para: Option<String>) -> usize {
    let i = match found.iter().position(|f| f.addr.eq_ignore_ascii_case(addr)) {
        Some(i) => i,
        None => {
            found.push(Found {
                addr: addr.to_owned(),
                paragraphs: Vec::new(),
            });
            found.len() - 1
        }
    };
    if let Some(p) = para {
        found[i].paragraphs.push(p);
    }
    i
}

/// Prefixes that may stand before the address on a recipient line.
const LINE_PREFIXES: &[&str] = &[
    "* ",
    "- ",
    "rcpt to:",
    "recipient address:",
    "recipient:",
    "failed recipient:",
    "recipients:",
    "unknown user:",
    "unknown user ",
    "address:",
    "to:",
    "mailbox:",
    // localised "recipient:" labels (ko, zh, ja, de, fr, es/it/pt, pl, cs, nl)
    "받는 사람:",
    "받는사람:",
    "收件人:",
    "收件人：",
    "宛先:",
    "宛先：",
    "empfänger:",
    "destinataire :",
    "destinataire:",
    "destinatario:",
    "destinatário:",
    "odbiorca:",
    "adresat:",
    "příjemce:",
    "adresát:",
    "ontvanger:",
];

/// Prefixes that are themselves the reason (`Unknown user: bob@x`).
const DESCRIPTIVE_PREFIXES: &[&str] = &["unknown user:", "unknown user "];

/// Text after an address that still makes the line a recipient line.
const AFTER_ADDRESS: &[&str] = &[
    ":", "...", "(", "<mailto:", "on ", "-", ",", "[", ";", "=", "|", "\u{2013}",
];

/// `bob@x`, `<bob@x>: reason`, `'bob@x' on date`, `bob@x<mailto:bob@x>`,
/// `Unknown user: bob@x` -> (address, rest of the line as reason text).
pub fn address_line(text: &str) -> Option<(String, &str)> {
    let mut t = text;
    let lower = t.to_ascii_lowercase();
    let mut said = "";
    for p in LINE_PREFIXES {
        if lower.starts_with(p) {
            t = t[p.len()..].trim_start();
            if DESCRIPTIVE_PREFIXES.contains(p) {
                said = text;
            }
            break;
        }
    }
    let (addr, rest) = match t.chars().next()? {
        '<' => {
            let close = t.find('>')?;
            (&t[1..close], &t[close + 1..])
        }
        q @ ('\'' | '"') => {
            let close = t[1..].find(q)? + 1;
            (&t[1..close], &t[close + 1..])
        }
        _ => {
            let end = t
                .find(|c: char| c.is_whitespace() || "<>()[],;:\"".contains(c))
                .unwrap_or(t.len());
            let a = &t[..end];
            let a = a.strip_suffix("...").unwrap_or(a);
            let a = a.trim_end_matches('.');
            (a, &t[a.len()..])
        }
    };
    let addr = clean_address(addr);
    if !is_address(addr) {
        return None;
    }
    let rest = rest.trim_start_matches('>').trim();
    let ok = rest.is_empty() || AFTER_ADDRESS.iter().any(|a| rest.starts_with(a));
    if !ok {
        return None;
    }
    let rest = rest.trim_start_matches([':', '.', ' ', '-', ',']).trim();
    let rest = if !said.is_empty() {
        said
    } else if rest.starts_with("<mailto:") || rest.starts_with("on ") {
        ""
    } else {
        rest
    };
    Some((addr.to_owned(), rest))
}

/// Recipients named inline after `phrase` (`wasn't delivered to bob@x`),
/// with the rest of the line as their reason when it has an SMTP code.
fn inline(body: &str, lower: &str, phrase: &str, found: &mut Vec<Found>) {
    let mut from = 0;
    while let Some(i) = lower[from..].find(phrase) {
        let at = from + i + phrase.len();
        from = at;
        let rest = body[at..].trim_start();
        let word = rest
            .split(|c: char| c.is_whitespace() || c == ',' || c == ']')
            .next()
            .unwrap_or("");
        let addr = clean_address(word);
        let addr = addr.split("<mailto:").next().unwrap_or(addr);
        if is_address(addr) {
            // The rest of the sentence (its line and the indented lines
            // that continue it) is the recipient's own reason when it
            // carries the server's reply (`rejected recipient <bob@x> ...
            // It responded as follows: [550 5.1.1 User unknown]`).
            let mut lines = rest.lines().peekable();
            let first = lines.next().unwrap_or("");
            let mut tail = first.get(word.len()..).unwrap_or("").trim().to_owned();
            while let Some(l) =
                lines.next_if(|l| l.starts_with([' ', '\t']) && !l.trim().is_empty())
            {
                tail.push(' ');
                tail.push_str(l.trim());
            }
            // without a code, the rest of its paragraph, when that says
            // what went wrong (`Your message to <bob@x> was automatically
            // rejected:` / `Quota exceeded (mailbox for user is full)`)
            let para = if has_code(&tail) {
                Some(tail)
            } else {
                for l in lines.take_while(|l| !l.trim().is_empty()).take(4) {
                    tail.push(' ');
                    tail.push_str(l.trim());
                }
                says_something(&tail).then_some(tail)
            };
            add(found, addr, para);
        }
    }
}

/// The paragraph after the first `markers` entry found before `end`
/// (or anywhere when it is the only place).
fn reason_after(body: &str, lower: &str, markers: &[&str], end: usize) -> Option<String> {
    for m in markers {
        let Some(i) = lower.find(m) else { continue };
        if i > end {
            continue;
        }
        let rest = &body[i + m.len()..end.max(i + m.len())];
        let mut lines = Vec::new();
        for line in rest.lines() {
            let t = line.trim();
            if t.is_empty() {
                if lines.is_empty() {
                    continue;
                }
                break;
            }
            lines.push(t);
        }
        if !lines.is_empty() {
            return Some(truncate(unfold(&lines.join(" ")), 2000));
        }
    }
    None
}

/// The host name right after one of `markers`.
fn reporting_host(body: &str, lower: &str, markers: &[&str]) -> Option<String> {
    for m in markers {
        let Some(i) = lower.find(m) else { continue };
        let rest = &body[i + m.len()..];
        let host: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            .collect();
        let host = host.trim_end_matches('.');
        if host.contains('.') {
            return Some(host.to_owned());
        }
    }
    None
}

/// Words that make a line about a recipient's delivery.
const CUES: &[&str] = &[
    "deliver",
    "recipient",
    "rcpt",
    "reject",
    "fail",
    "unknown",
    "mailbox",
    "user",
    "address",
    "bounce",
    "refused",
    "not found",
];

/// Local parts a bounce names for contact, never as the failed recipient.
const ROLE_LOCALS: &[&str] = &[
    "postmaster",
    "mailer-daemon",
    "mailerdaemon",
    "abuse",
    "hostmaster",
    "webmaster",
    "noreply",
    "no-reply",
    "root",
];

/// Header lines of a copied message (the address there is not a verdict).
const HEADER_LINES: &[&str] = &[
    "from:",
    "to:",
    "cc:",
    "bcc:",
    "reply-to:",
    "sender:",
    "return-path:",
    "message-id:",
    "in-reply-to:",
    "references:",
    "subject:",
    "date:",
    "received:",
    "envelope-to:",
    "delivered-to:",
    "x-",
];

/// Every plausible address on a line.
fn addresses_in(line: &str) -> Vec<&str> {
    line.split(|c: char| c.is_whitespace() || "<>()[],;:\"'".contains(c))
        .map(clean_address)
        .filter(|a| is_address(a))
        .collect()
}

/// The line holds nothing but addresses and punctuation (`>>> bob@x <bob@x>`).
fn bare_address_line(line: &str, addrs: &[&str]) -> bool {
    let mut rest = line.to_owned();
    for a in addrs {
        rest = rest.replace(a, "");
    }
    rest.chars()
        .all(|c| c.is_whitespace() || "<>[]():;,.'\"*-=|".contains(c))
}

/// Blank-line separated paragraphs of `lines`, each unfolded.
fn paragraphs_of(lines: &[&str]) -> Vec<String> {
    lines
        .split(|l| l.trim().is_empty())
        .map(|p| unfold(&p.join(" ")))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Last resort for bounces that name their recipients in prose or in a
/// session transcript: every address on a line about delivery (a cue
/// word, an SMTP code) or alone on its line, except the bounce's own
/// sender and receiver, role accounts and copied header lines. Each
/// recipient's text runs to the next such line. When the region names
/// nobody, a `RCPT TO:` echo anywhere in the body does, with the coded
/// paragraphs of the region as its reason.
/// The bounce's own `From` or `To` address.
fn is_own_address(a: &str, ctx: &Context) -> bool {
    (!ctx.from.is_empty() && a.eq_ignore_ascii_case(&ctx.from))
        || (!ctx.to.is_empty() && a.eq_ignore_ascii_case(&ctx.to))
}

fn loose_recipients(region: &str, body: &str, ctx: &Context) -> Vec<Found> {
    let excluded = |a: &str| {
        let local = a.rsplit_once('@').map_or(a, |(l, _)| l);
        is_own_address(a, ctx) || ROLE_LOCALS.iter().any(|r| local.eq_ignore_ascii_case(r))
    };
    let lines: Vec<&str> = region.lines().collect();
    let mut marks: Vec<(usize, Vec<&str>)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        if HEADER_LINES.iter().any(|h| lower.starts_with(h)) {
            continue;
        }
        let mut addrs: Vec<&str> = Vec::new();
        for a in addresses_in(t) {
            if !excluded(a) && !addrs.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                addrs.push(a);
            }
        }
        if addrs.is_empty() {
            continue;
        }
        let about =
            CUES.iter().any(|c| lower.contains(c)) || has_code(t) || bare_address_line(t, &addrs);
        if about {
            marks.push((i, addrs));
        }
    }
    let mut found = Vec::new();
    for (k, (i, addrs)) in marks.iter().enumerate() {
        let next = marks.get(k + 1).map_or(lines.len(), |m| m.0);
        let paras = paragraphs_of(&lines[*i..next]);
        for a in addrs {
            let j = add(&mut found, a, None);
            found[j].paragraphs.extend(paras.iter().cloned());
        }
    }
    if found.is_empty() {
        let coded: Vec<String> = paragraphs_of(&lines)
            .into_iter()
            .filter(|p| has_code(p))
            .collect();
        for line in body.lines() {
            let t = line.trim();
            if !t.to_ascii_lowercase().starts_with("rcpt to:") {
                continue;
            }
            for a in addresses_in(t).into_iter().filter(|a| !excluded(a)) {
                let j = add(&mut found, a, None);
                found[j].paragraphs.clone_from(&coded);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_rows_are_the_rows_with_a_marker_in_the_text() {
        let texts = [
            String::new(),
            "nothing to see".to_owned(),
            FORMATS
                .iter()
                .map(|f| f.markers.join(" | "))
                .collect::<Vec<_>>()
                .join("\n"),
        ];
        let mut texts = texts.to_vec();
        for f in FORMATS {
            for m in f.markers {
                texts.push(format!("x {m} y"));
                // overlapping markers of different rows are all found
                texts.push(format!("{m}{m}"));
            }
        }
        for t in &texts {
            let want: Vec<bool> = FORMATS
                .iter()
                .map(|f| f.markers.iter().any(|m| t.contains(m)))
                .collect();
            assert_eq!(marked_rows(t), want, "{t:?}");
        }
    }

    #[test]
    fn address_lines() {
        let a = |t| address_line(t).map(|(a, r)| (a, r.to_owned()));
        assert_eq!(
            a("<bob@example.com>:"),
            Some(("bob@example.com".into(), "".into()))
        );
        assert_eq!(
            a("<bob@example.com>: host mx[1.2.3.4] said: 550"),
            Some((
                "bob@example.com".into(),
                "host mx[1.2.3.4] said: 550".into()
            ))
        );
        assert_eq!(
            a("bob@example.com<mailto:bob@example.com>"),
            Some(("bob@example.com".into(), "".into()))
        );
        assert_eq!(
            a("'bob@example.com' on 3/3/2026 10:01 AM"),
            Some(("bob@example.com".into(), "".into()))
        );
        assert_eq!(
            a("Unknown user: bob@example.com"),
            Some((
                "bob@example.com".into(),
                "Unknown user: bob@example.com".into()
            ))
        );
        assert_eq!(a("bob@example.com is a fine person"), None);
        assert_eq!(
            a("SMTP error from remote mail server after RCPT TO:<bob@example.com>:"),
            None
        );
        assert_eq!(a(">>> RCPT TO:<bob@example.com>"), None);
    }

    #[test]
    fn indented_continuation_with_address_stays_in_paragraph() {
        let r = "<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n    <bob@example.com>: Recipient address rejected: User unknown (in reply to\n    RCPT TO command)\n\n<carol@example.com>: mailbox full\n";
        let f = paragraphs(r);
        assert_eq!(f.len(), 2);
        assert!(f[0].paragraphs[0].contains("User unknown"));
        assert_eq!(f[1].addr, "carol@example.com");
    }

    #[test]
    fn loose_scan_skips_role_accounts_sender_and_header_lines() {
        let ctx = Context {
            subject: "Mail delivery failed".into(),
            from: "MAILER-DAEMON@mx.example.net".into(),
            to: "alice@example.org".into(),
            ..Context::default()
        };
        let region = "Questions? Write to postmaster@example.net.\nFrom: alice@example.org\nTo: bob@example.com\n\nDelivery to bob@example.com failed:\nmx.example.com said 550 5.1.1 user unknown\n";
        let f = loose_recipients(region, region, &ctx);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].addr, "bob@example.com");
        assert!(f[0].paragraphs.iter().any(|p| p.contains("550 5.1.1")));
        // a transcript line that is only the address, twice
        let f = loose_recipients(
            ">>> bob@example.com <bob@example.com>\n\n550 no mailbox\n",
            "",
            &ctx,
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].paragraphs.len(), 2);
    }

    #[test]
    fn returned_copy_ends_the_text_without_a_known_separator() {
        let ctx = Context {
            subject: "Nedoručitelná zpráva".into(),
            from: "mailer-daemon@mx.example.cz".into(),
            to: "alice@example.org".into(),
            body: "<jana@example.cz>: Adresa neexistuje.\n\n<petr@example.cz>: 552 5.2.2 full\n\n\
                   ----- Původní zpráva -----\n\nReceived: from a.example.org (a.example.org [203.0.113.7])\n\
                   \tby b.example.org; Tue, 3 Mar 2026 10:00:00 +0000\nTo: jana@example.cz, petr@example.cz\n\
                   Subject: hi\n\nbody\n"
                .into(),
            ..Context::default()
        };
        let r = parse(&ctx);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].diagnostic, "Adresa neexistuje.");
        assert_eq!(r[1].diagnostic, "552 5.2.2 full");
    }

    #[test]
    fn transcript_reply_pairs_each_recipient_with_its_reply() {
        let b = "Sent <<< RCPT TO:<a@example.jp>\nReceived >>> 550 5.1.1 <a@example.jp>... User unknown\n\n\
                 >>> RCPT TO:<b@example.jp>\n<<< 552 5.2.2 Mailbox full\n>>> DATA\n<<< 503 no valid recipients\n";
        let l = b.to_ascii_lowercase();
        assert_eq!(
            transcript_reply(b, &l, "a@example.jp").as_deref(),
            Some("550 5.1.1 <a@example.jp>... User unknown")
        );
        assert_eq!(
            transcript_reply(b, &l, "B@example.jp").as_deref(),
            Some("552 5.2.2 Mailbox full")
        );
        assert_eq!(transcript_reply(b, &l, "ab@example.jp"), None);
        assert_eq!(transcript_reply(b, &l, "c@example.jp"), None);
    }

    #[test]
    fn success_notices_are_told_from_failures() {
        let ctx = |subject: &str, body: &str| Context {
            subject: subject.into(),
            from: "postmaster@example.com".into(),
            body: body.into(),
            ..Context::default()
        };
        let ok =
            "Your message has been delivered to the following recipients:\n\nbob@example.com\n";
        assert!(success_notice(&ctx("Delivered: hi", ok)));
        assert!(success_notice(&ctx("Relayed: hi", "Delivery to these recipients or groups is complete, but no delivery notification was sent by the destination server:\n\nbob@example.com\n")));
        let mixed = "Your message has been delivered to the following recipients:\nbob@example.com\n\nDelivery has failed to these recipients or groups:\ncarol@example.com\n";
        assert!(!success_notice(&ctx("Undeliverable: hi", mixed)));
        assert!(!success_notice(&ctx(
            "Delivery Status Notification (Delay)",
            "Delivery to the following recipient has been delayed:\n\n     bob@example.com\n"
        )));
    }

    #[test]
    fn every_format_has_markers() {
        for f in FORMATS {
            assert!(!f.markers.is_empty(), "{}", f.name);
            for m in f
                .markers
                .iter()
                .chain(f.start)
                .chain(f.reason_after)
                .chain(f.inline)
            {
                assert_eq!(
                    *m,
                    m.to_ascii_lowercase(),
                    "{}: markers are lower case",
                    f.name
                );
            }
        }
    }
}
