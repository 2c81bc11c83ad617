//! Typed records that flow from the parsers to the classifier and the sinks.
//!
//! Parsers produce [`Record`]s that borrow from the input line (no allocation
//! on the hot path); `batch` keeps what the tables need in compact chunks.

use serde::Serialize;

/// Which parser produced a record (the `source_kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Postfix,
    Exim,
    Sendmail,
    Dsn,
}

impl SourceKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            SourceKind::Postfix => "postfix",
            SourceKind::Exim => "exim",
            SourceKind::Sendmail => "sendmail",
            SourceKind::Dsn => "dsn",
        }
    }
}

/// What happened to one recipient on one attempt (the `outcome` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Sent,
    Deferred,
    Bounced,
    Expired,
    Rejected,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Deferred => "deferred",
            Outcome::Bounced => "bounced",
            Outcome::Expired => "expired",
            Outcome::Rejected => "rejected",
        }
    }

    pub const fn is_failure(self) -> bool {
        !matches!(self, Outcome::Sent)
    }
}

/// One delivery attempt or rejection, borrowed from its source line.
///
/// `ts` is milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery<'a> {
    pub ts: i64,
    pub host: &'a str,
    pub queue_id: Option<&'a str>,
    pub recipient: &'a str,
    pub outcome: Option<Outcome>,
    /// Remote host name from `relay=` / `H=` (not `none`).
    pub remote_host: Option<&'a str>,
    pub remote_ip: Option<&'a str>,
    /// Enhanced status code as logged by the MTA (`dsn=5.1.1`).
    pub dsn: Option<&'a str>,
    /// The remote server's text, or the MTA's own reason.
    pub diagnostic: &'a str,
    /// Our sending IP when the log says it (`postfix-10.0.0.1/smtp`, Exim `I=`).
    pub sending_ip: Option<&'a str>,
    /// Rejections carry the client and envelope sender on the same line.
    pub client_ip: Option<&'a str>,
    pub sender: Option<&'a str>,
    pub sasl_user: Option<&'a str>,
}

/// Facts about a queued message learned before its delivery lines
/// (Postfix qmgr `from=`, smtpd `client=`, Exim `<=`), joined by queue id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueMeta<'a> {
    pub ts: i64,
    pub host: &'a str,
    pub queue_id: &'a str,
    pub sender: Option<&'a str>,
    pub client_ip: Option<&'a str>,
    pub sasl_user: Option<&'a str>,
}

/// What one log line turned into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record<'a> {
    /// A delivery attempt (sent or failed) or a rejection.
    Delivery(Delivery<'a>),
    /// Sender/client facts about a queue id.
    Meta(QueueMeta<'a>),
    /// The message left the queue (Postfix `removed`, Exim `Completed`):
    /// its metadata is no longer needed for correlation. Only `ts`, `host`
    /// and `queue_id` are set.
    Removed(QueueMeta<'a>),
    /// A line of the right program that carries nothing we use.
    Ignored,
    /// A line we could not read (counted as unparsed).
    Unparsed,
}

/// Lower-cased domain part of an address (`""` when there is none).
pub fn domain_of(addr: &str) -> &str {
    match crate::parse::rfind_b(addr, b'@') {
        Some(i) => &addr[i + 1..],
        None => "",
    }
}
