//! Bounce messages (DSNs and the plain-text bodies MTAs send instead) ->
//! one [`BounceRecord`] per failed recipient.
//!
//! In: the raw bytes of ONE message (from [`archive`]: an mbox, a Maildir
//! file or an `.eml`). Out: a [`MessageKind`] that owns its data, so the
//! parsed message can be dropped at once.
//!
//! Order of decisions in [`parse_message`]:
//! 1. empty / headerless / truncated to nothing -> [`MessageKind::Empty`];
//! 2. ARF (`report-type=feedback-report`) -> [`MessageKind::FeedbackReport`];
//! 3. an RFC 3464 `message/delivery-status` part -> [`report`];
//! 4. an obvious auto-reply (vacation subject, `X-Autoreply`) -> `AutoReply`;
//! 5. the plain-text formats table -> [`plaintext`];
//! 6. an automatic response that no format parser took (`Auto-Submitted`,
//!    `Precedence: bulk` outside list traffic, a challenge-response
//!    request; see [`is_automatic_response`]) -> `AutoReply`;
//! 7. looks like a bounce but no recipient found -> `Unrecognized`;
//!    anything else -> `NotABounce`.
//!
//! The original message (the returned `message/rfc822`, the
//! `text/rfc822-headers` part, or the copy under a plain-text bounce) gives
//! the original sender, Message-ID and sending IP; see [`original`].

pub mod archive;
pub mod original;
pub mod plaintext;
pub mod report;

pub use archive::{detect_archive, is_maildir, maildir_messages, Archive, ArchiveKind};

use crate::classify::{self, Input, Verdict};
use crate::record::{domain_of, Outcome};
use mail_parser::{Message, MessageParser, MimeHeaders};
use serde::Serialize;

/// One failed (or delayed) recipient of one bounce message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BounceRecord {
    /// The failed address (Final-Recipient, else Original-Recipient).
    pub recipient: String,
    /// Original-Recipient when the DSN gives one that differs.
    pub original_recipient: Option<String>,
    /// `Bounced` (Action: failed) or `Deferred` (Action: delayed).
    pub outcome: Outcome,
    /// Enhanced status (`5.1.1`): the DSN's Status, else the one in the text.
    pub status: Option<String>,
    pub smtp_code: Option<u16>,
    /// The remote server's text (unfolded), code included.
    pub diagnostic: String,
    /// Host name (or address) of the server that refused.
    pub remote_mta: Option<String>,
    pub remote_ip: Option<String>,
    pub reporting_mta: Option<String>,
    /// Last-Attempt-Date, else the bounce's Date (ms since the epoch, UTC).
    pub ts_ms: Option<i64>,
    pub original_sender: Option<String>,
    pub original_message_id: Option<String>,
    /// See [`original::sending_ip`]; `None` when unknown, never guessed.
    pub sending_ip: Option<String>,
    /// Which parser recognised the bounce: `rfc3464`, `exim`, `qmail`, ...
    pub format: &'static str,
}

impl BounceRecord {
    /// Lower-cased domain of the recipient.
    pub fn recipient_domain(&self) -> String {
        domain_of(&self.recipient).to_ascii_lowercase()
    }

    /// Run the shared classifier on this record.
    pub fn classify(&self) -> Verdict {
        let domain = self.recipient_domain();
        classify::classify(&Input {
            outcome: Some(self.outcome),
            text: &self.diagnostic,
            dsn: self.status.as_deref(),
            remote_host: self.remote_mta.as_deref(),
            recipient_domain: &domain,
        })
    }
}

/// What one message turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    /// A bounce: one record per failed or delayed recipient (never empty).
    Bounce(Vec<BounceRecord>),
    /// An RFC 3834 auto-reply or vacation message.
    AutoReply,
    /// An ARF feedback (abuse/complaint) report.
    FeedbackReport,
    /// A message that is neither (including DSNs that report only success).
    NotABounce,
    /// Looks like a bounce (sender, subject), but no recipient was found.
    Unrecognized,
    /// Empty, headerless or truncated before anything usable.
    Empty,
}

impl MessageKind {
    /// Stable name for counters and `explain`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            MessageKind::Bounce(_) => "bounce",
            MessageKind::AutoReply => "auto_reply",
            MessageKind::FeedbackReport => "feedback_report",
            MessageKind::NotABounce => "not_a_bounce",
            MessageKind::Unrecognized => "unrecognized",
            MessageKind::Empty => "empty",
        }
    }
}

/// Classify and parse one raw message. Never panics.
pub fn parse_message(raw: &[u8]) -> MessageKind {
    let raw = archive::strip_from_line(raw);
    if raw.iter().all(u8::is_ascii_whitespace) {
        return MessageKind::Empty;
    }
    let parser = MessageParser::default();
    let Some(msg) = parser.parse(raw) else {
        return MessageKind::Empty;
    };
    if msg.headers().is_empty() {
        return MessageKind::Empty;
    }
    parse_parsed(&msg).or_forwarded(&msg, FORWARD_DEPTH)
}

/// How many `message/rfc822` attachments deep a forwarded bounce is looked
/// for (a user forwards the bounce, support forwards that on).
const FORWARD_DEPTH: usize = 3;

impl MessageKind {
    /// A message that is no bounce itself but carries one as an attached
    /// message (`Fwd:` with the bounce attached, as users send them to
    /// support) is that bounce. A real bounce's own returned message is
    /// never looked at: only a message with no failed recipient descends.
    fn or_forwarded(self, msg: &Message, depth: usize) -> MessageKind {
        if depth == 0 || !matches!(self, MessageKind::NotABounce | MessageKind::Unrecognized) {
            return self;
        }
        let inner =
            msg.parts.iter().filter_map(|p| p.message()).find_map(|m| {
                match parse_parsed(m).or_forwarded(m, depth - 1) {
                    found @ MessageKind::Bounce(_) => Some(found),
                    _ => None,
                }
            });
        inner.unwrap_or(self)
    }
}

fn parse_parsed(msg: &Message) -> MessageKind {
    if is_feedback_report(msg) {
        return MessageKind::FeedbackReport;
    }
    let ctx = Context::of(msg);
    if let Some(found) = report::parse(msg, &ctx) {
        return finish(found, msg, &ctx);
    }
    if is_vacation(msg, &ctx) {
        return MessageKind::AutoReply;
    }
    if plaintext::success_notice(&ctx) {
        return MessageKind::NotABounce;
    }
    let records = plaintext::parse(&ctx);
    if !records.is_empty() {
        return finish(records, msg, &ctx);
    }
    if is_automatic_response(msg, &ctx) {
        return MessageKind::AutoReply;
    }
    if ctx.body.trim().is_empty() {
        return MessageKind::Empty;
    }
    if looks_like_bounce(&ctx) {
        return MessageKind::Unrecognized;
    }
    MessageKind::NotABounce
}

/// Fill the per-message facts into the records.
fn finish(mut records: Vec<BounceRecord>, msg: &Message, ctx: &Context) -> MessageKind {
    if records.is_empty() {
        return MessageKind::NotABounce;
    }
    let orig = original::find(msg, &ctx.body);
    let date = msg.date().map(|d| d.to_timestamp() * 1000);
    for r in &mut records {
        r.ts_ms = r.ts_ms.or(date);
        r.original_sender.clone_from(&orig.sender);
        r.original_message_id.clone_from(&orig.message_id);
        r.sending_ip.clone_from(&orig.sending_ip);
        if r.status.is_none() {
            r.status = classify::enhanced_status(&r.diagnostic).map(str::to_owned);
        }
        if r.smtp_code.is_none() {
            r.smtp_code = classify::smtp_code(&r.diagnostic);
        }
        if r.remote_mta.is_none() && r.remote_ip.is_none() {
            let (host, ip) = remote_from_text(&r.diagnostic);
            r.remote_mta = host;
            r.remote_ip = ip;
        }
    }
    MessageKind::Bounce(records)
}

/// What the format parsers look at, decoded once.
#[derive(Debug, Default)]
pub struct Context {
    pub subject: String,
    pub from: String,
    /// Address of the bounce's own `To` (usually the original sender).
    pub to: String,
    /// The human-readable text: every text part outside the returned
    /// message, joined (HTML-only bounces: tags stripped).
    pub body: String,
    /// `X-Failed-Recipients` (Exim and others), split.
    pub failed_recipients: Vec<String>,
}

impl Context {
    fn of(msg: &Message) -> Context {
        let first = |a: Option<&mail_parser::Address>| {
            let addr = a.and_then(|a| a.first()).and_then(|a| a.address());
            addr.unwrap_or_default().to_owned()
        };
        let (from, to) = (first(msg.from()), first(msg.to()));
        let failed_recipients = msg
            .header_values("x-failed-recipients")
            .filter_map(|v| v.as_text())
            .flat_map(|v| v.split(','))
            .map(|a| clean_address(a).to_owned())
            .filter(|a| is_address(a))
            .collect();
        Context {
            subject: msg.subject().unwrap_or_default().to_owned(),
            from,
            to,
            body: body_text(msg),
            failed_recipients,
        }
    }
}

/// Text of the root message's text parts (not the nested message's),
/// lossy for non-UTF-8. Falls back to stripped HTML.
fn body_text(msg: &Message) -> String {
    let mut out = String::new();
    for p in &msg.parts {
        if p.is_multipart() || p.is_message() {
            continue;
        }
        let ct = p.content_type();
        let (t, s) = ct.map_or(("text", "plain"), |c| {
            (c.ctype(), c.subtype().unwrap_or(""))
        });
        let t = t.to_ascii_lowercase();
        let s = s.to_ascii_lowercase();
        if t == "text" && (s == "plain" || s.is_empty()) {
            out.push_str(&String::from_utf8_lossy(p.contents()));
            out.push('\n');
        }
    }
    if out.trim().is_empty() {
        for p in &msg.parts {
            if p.is_content_type("text", "html") {
                out.push_str(&strip_html(&String::from_utf8_lossy(p.contents())));
                out.push('\n');
            }
        }
    }
    out
}

/// Crude HTML to text: tags dropped, block tags become newlines, common
/// entities decoded. Enough for NDR bodies that only come as HTML.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].to_ascii_lowercase();
        let name = tag.trim_start_matches('/');
        if ["br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"]
            .iter()
            .any(|b| name.starts_with(b))
        {
            out.push('\n');
        } else if name.starts_with("td") || name.starts_with("th") {
            // table cells: `<td>Recipient</td><td>bob@x</td>`
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn header_text(msg: &Message, name: &str) -> Option<String> {
    msg.header_values(name)
        .filter_map(|v| v.as_text())
        .next()
        .map(str::to_ascii_lowercase)
}

fn is_feedback_report(msg: &Message) -> bool {
    let root = msg.content_type().is_some_and(|c| {
        c.subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && c.attribute("report-type")
                .is_some_and(|t| t.eq_ignore_ascii_case("feedback-report"))
    });
    root || msg
        .parts
        .iter()
        .any(|p| p.is_content_type("message", "feedback-report"))
}

/// Subjects and headers that only auto-replies carry.
const VACATION_SUBJECTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "auto response",
    "autoresponse",
    "vacation",
    "réponse automatique",
    "respuesta automática",
    "risposta automatica",
    "automatische antwort",
    "automatisch antwoord",
    "resposta automática",
    "odpowiedź automatyczna",
    "automatyczna odpowiedź",
    "automatická odpověď",
    "automatická odpoveď",
    "automatische beantwortung",
    "respuesta automatica",
    "resposta automatica",
    "absence du bureau",
    "fuera de la oficina",
    "fora do escritório",
    "fuori sede",
    "niet aanwezig",
    "自動応答",
    "自動返信",
    "不在通知",
    "不在のお知らせ",
    "【不在】",
    "自动回复",
    "自动答复",
    "自動回覆",
    "автоответ",
    "автоматический ответ",
    "автовідповідь",
    "automatisk svar",
    "automatikus válasz",
    "otomatik yanıt",
    "răspuns automat",
    "αυτόματη απάντηση",
    "abwesenheit",
    "자동 응답",
    "자동응답",
    "automaattinen vastaus",
    "autosvar",
    "i am away",
    "i'm away",
    "on leave",
];

fn is_vacation(msg: &Message, ctx: &Context) -> bool {
    let subject = ctx.subject.to_lowercase();
    let subj =
        vacation_subject(&subject) || subject.starts_with("auto:") || subject.starts_with("away:");
    let hdr = [
        "x-autoreply",
        "x-autorespond",
        "x-auto-response-suppress-never",
    ]
    .iter()
    .any(|h| msg.header_values(*h).next().is_some())
        || header_text(msg, "precedence").is_some_and(|p| p.contains("auto_reply"));
    subj || hdr
}

/// A vacation phrase in the (lower-cased) subject that no failure phrase
/// comes before: `Undeliverable: Automatic reply: …` is the bounce of an
/// auto-reply, not an auto-reply.
fn vacation_subject(subject: &str) -> bool {
    let first = |table: &[&str]| table.iter().filter_map(|p| subject.find(p)).min();
    match (first(VACATION_SUBJECTS), first(BOUNCE_SUBJECTS)) {
        (Some(v), Some(b)) => v < b,
        (v, _) => v.is_some(),
    }
}

/// An automatic response that no format parser took for a bounce (so
/// these header rules cannot swallow one: bounces carry `Auto-Submitted`
/// and `Precedence: bulk` too):
/// - `Auto-Submitted: auto-replied` (RFC 3834);
/// - any other `Auto-Submitted` value on a reply (`In-Reply-To`) that is no
///   report: ticket systems' acknowledgements;
/// - `Precedence: bulk|junk` (vacation(1) and other old responders) on mail
///   that is neither list traffic nor from a mail system;
/// - a challenge-response request ("verify that you are a real human").
///
/// Only the first applies to mail that looks like it comes from a mail
/// system ([`looks_like_bounce`]): the rest would turn an unparsed bounce
/// into an auto-reply.
fn is_automatic_response(msg: &Message, ctx: &Context) -> bool {
    let submitted = header_text(msg, "auto-submitted");
    let is_report = msg.content_type().is_some_and(|c| {
        c.subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let replied = submitted
        .as_deref()
        .is_some_and(|v| v.contains("auto-replied"));
    if replied {
        return true;
    }
    if looks_like_bounce(ctx) {
        return false;
    }
    let generated_reply = submitted.as_deref().is_some_and(|v| v.trim() != "no")
        && msg.header_values("in-reply-to").next().is_some()
        && !is_report;
    let bulk = header_text(msg, "precedence").is_some_and(|p| matches!(p.trim(), "bulk" | "junk"))
        && !is_list_traffic(msg, ctx);
    generated_reply || bulk || is_challenge(ctx)
}

/// Headers and sender local parts of mailing-list mail and list-server
/// notices (Mailman's `team-owner@`, Sympa's `sympa-request@`, majordomo's
/// `owner-team@`).
fn is_list_traffic(msg: &Message, ctx: &Context) -> bool {
    const HEADERS: &[&str] = &[
        "list-id",
        "list-unsubscribe",
        "list-post",
        "x-beenthere",
        "x-mailman-version",
        "mailing-list",
        "x-mailing-list",
    ];
    let from = ctx.from.to_ascii_lowercase();
    let local = from.rsplit_once('@').map_or(from.as_str(), |(l, _)| l);
    HEADERS
        .iter()
        .any(|h| msg.header_values(*h).next().is_some())
        || ["-owner", "-request", "-bounces", "-admin"]
            .iter()
            .any(|s| local.ends_with(s))
        || local.starts_with("owner-")
}

/// Wordings of challenge-response ("prove you are human") requests.
const CHALLENGE_PHRASES: &[&str] = &[
    "requires verification",
    "verify that you are a real",
    "verify that you are human",
    "verify you are human",
    "confirm that you are a person",
    "confirm you are a person",
    "confirm that you are human",
    "confirm you are human",
    "prove that you are human",
    "prove you are human",
];

fn is_challenge(ctx: &Context) -> bool {
    let text = format!("{}\n{}", ctx.subject, ctx.body).to_lowercase();
    CHALLENGE_PHRASES.iter().any(|p| text.contains(p))
}

/// Sender or subject of a bounce: tells `Unrecognized` from `NotABounce`,
/// and gates the plain-text parser's loosest fallbacks.
pub(crate) fn looks_like_bounce(ctx: &Context) -> bool {
    let from = ctx.from.to_ascii_lowercase();
    let local = from.rsplit_once('@').map_or(from.as_str(), |(l, _)| l);
    let subject = ctx.subject.to_ascii_lowercase();
    [
        "mailer-daemon",
        "postmaster",
        "mail delivery",
        "mailerdaemon",
    ]
    .iter()
    .any(|m| from.contains(m))
        || BOUNCE_LOCALS.contains(&local)
        || local.starts_with("bounce")
        || BOUNCE_SUBJECTS.iter().any(|m| subject.contains(m))
        || !ctx.failed_recipients.is_empty()
}

/// Local parts (besides `mailer-daemon` and `postmaster`) that mail
/// systems send bounces from.
const BOUNCE_LOCALS: &[&str] = &["mailer", "mail-daemon", "maildaemon", "mdaemon", "mailerd"];

/// Subject phrases of failure and delay notices, in the wordings MTAs
/// use (`NOTICE: mail delivery status.`, `There was an error sending your
/// mail`, `Non-delivery report`, …) and a few languages.
const BOUNCE_SUBJECTS: &[&str] = &[
    "undeliver",
    "delivery status",
    "delivery notification",
    "returned mail",
    "delivery failure",
    "failure notice",
    "delivery failed",
    "delivery has failed",
    "failed delivery",
    "delivery problem",
    "delivery error",
    "could not be delivered",
    "couldn't be delivered",
    "not be delivered",
    "not delivered",
    "error sending",
    "returned to sender",
    "non-delivery",
    "nondelivery",
    "mail system error",
    "non remis",
    "unzustellbar",
    "nicht zugestellt",
    "no entregado",
    "non recapitato",
    "niet bezorgd",
];

/// Collapse folding whitespace into single spaces and trim.
pub fn unfold(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `rfc822; <a@b>` / `<a@b>` / `'a@b'` / `mailto:a@b` -> `a@b` (trimmed).
pub fn clean_address(s: &str) -> &str {
    let s = s.trim();
    let s = match s.split_once(';') {
        Some((kind, rest)) if !kind.contains('@') => rest.trim(),
        _ => s,
    };
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    s.trim_matches(|c| {
        matches!(
            c,
            '<' | '>' | '"' | '\'' | ' ' | '\t' | ',' | '.' | ':' | ';'
        )
    })
}

/// A plausible `local@domain.tld` address.
pub fn is_address(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 128
        && domain.len() <= 255
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-=/!#$&*?^`{|}~'".contains(&b))
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
}

/// The remote server named in a failure text: Postfix `host mx[ip] said:`,
/// Exim `host mx [ip]`, Exchange `Remote Server at mx (ip) returned`,
/// Gmail `by mx. [ip]`. `(host, ip)`, either may be unknown.
pub fn remote_from_text(text: &str) -> (Option<String>, Option<String>) {
    const BEFORE: &[&str] = &["remote server at ", "host ", " by ", "server "];
    let lower = text.to_ascii_lowercase();
    for key in BEFORE {
        let mut from = 0;
        while let Some(i) = lower[from..].find(key) {
            let at = from + i + key.len();
            from = at;
            if let Some(found) = host_ip_at(&text[at..]) {
                return found;
            }
        }
    }
    (None, None)
}

/// `mx.example.com[192.0.2.1]`, `mx.example.com [192.0.2.1]`,
/// `mx.example.com (192.0.2.1)`, `mx.example.com. [192.0.2.1]` at the start
/// of `s`. The host must have a dot; the IP must parse.
fn host_ip_at(s: &str) -> Option<(Option<String>, Option<String>)> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'))
        .unwrap_or(s.len());
    let host = s[..end].trim_end_matches('.');
    if !host.contains('.') || !host.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let rest = s[end..].trim_start_matches(['.', ' ']);
    let ip = rest
        .strip_prefix(['[', '('])
        .and_then(|r| r.split([']', ')']).next())
        .map(|ip| ip.trim_start_matches("IPv6:"))
        .filter(|ip| crate::parse::is_ip(ip));
    Some((Some(host.to_owned()), ip.map(str::to_owned)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_cleaned_and_checked() {
        assert_eq!(
            clean_address("rfc822; <Bob@Example.com>"),
            "Bob@Example.com"
        );
        assert_eq!(clean_address("RFC822;bob@example.com"), "bob@example.com");
        assert_eq!(clean_address("'bob@example.com'"), "bob@example.com");
        assert!(is_address("bob.smith+tag@mail.example.co.uk"));
        assert!(!is_address("bob@localhost"));
        assert!(!is_address("no address"));
        assert!(!is_address("a b@example.com"));
    }

    #[test]
    fn remote_server_from_text() {
        let t = "host mx.example.com[192.0.2.1] said: 550 5.1.1 unknown";
        assert_eq!(
            remote_from_text(t),
            (Some("mx.example.com".into()), Some("192.0.2.1".into()))
        );
        let t = "Remote Server at mx.contoso.com (198.51.100.4) returned '550 5.7.1'";
        assert_eq!(
            remote_from_text(t),
            (Some("mx.contoso.com".into()), Some("198.51.100.4".into()))
        );
        assert_eq!(remote_from_text("550 user unknown"), (None, None));
    }

    #[test]
    fn empty_and_headerless_are_empty() {
        assert_eq!(parse_message(b""), MessageKind::Empty);
        assert_eq!(parse_message(b"\n\n \n"), MessageKind::Empty);
        assert_eq!(parse_message(b"hello world\n"), MessageKind::Empty);
    }

    #[test]
    fn vacation_subject_loses_to_an_earlier_failure_phrase() {
        assert!(vacation_subject("automatic reply: quarterly numbers"));
        assert!(vacation_subject("автоответ: счёт"));
        assert!(vacation_subject("automatic reply: undeliverable invoice"));
        assert!(!vacation_subject(
            "undeliverable: automatic reply: quarterly numbers"
        ));
        assert!(!vacation_subject("delivery status notification (failure)"));
    }

    #[test]
    fn html_is_stripped() {
        assert_eq!(
            strip_html("<p>Hi&nbsp;<b>there</b></p>x &lt;a@b.c&gt;"),
            "\nHi there\nx <a@b.c>"
        );
    }
}
