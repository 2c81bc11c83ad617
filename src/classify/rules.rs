//! The ordered rule table: the first rule whose conditions all hold decides
//! the cause, and its id lands in the `rule` column.
//!
//! Order is priority. What the MTA itself decided (`status=expired`) comes
//! first, then provider signatures, then specific text, then generic text,
//! then enhanced status codes, then bare reply codes, then fallbacks. So
//! specific text beats a generic code: a `550 5.1.1` whose text says "rate
//! limited" is `rate_limited`.
//!
//! Every rule carries real-looking remote texts in `examples`; a test walks
//! the table and checks each example is decided by its own rule.

use super::Cause::{self, *};
use crate::record::Outcome;

/// One row of the table. Conditions that are empty do not apply; the ones
/// given must all hold (each list matches when any of its entries does).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable snake_case id (the `rule` column).
    pub id: &'static str,
    pub cause: Cause,
    /// Case-insensitive phrases; any one found in the text matches.
    pub any: &'static [&'static str],
    /// Enhanced status patterns: `5.1.1` exact, `x.1.1` any class, `4.7.` prefix.
    pub status: &'static [&'static str],
    /// SMTP reply codes.
    pub codes: &'static [u16],
    /// The MTA's own outcome for the attempt.
    pub outcome: Option<Outcome>,
    /// Remote texts this rule exists for (tested one by one).
    pub examples: &'static [&'static str],
}

impl Rule {
    const fn new(id: &'static str, cause: Cause) -> Rule {
        Rule {
            id,
            cause,
            any: &[],
            status: &[],
            codes: &[],
            outcome: None,
            examples: &[],
        }
    }

    const fn text(id: &'static str, cause: Cause, any: &'static [&'static str]) -> Rule {
        Rule {
            any,
            ..Rule::new(id, cause)
        }
    }

    const fn status(id: &'static str, cause: Cause, status: &'static [&'static str]) -> Rule {
        Rule {
            status,
            ..Rule::new(id, cause)
        }
    }

    const fn code(id: &'static str, cause: Cause, codes: &'static [u16]) -> Rule {
        Rule {
            codes,
            ..Rule::new(id, cause)
        }
    }

    const fn outcome(id: &'static str, cause: Cause, outcome: Outcome) -> Rule {
        Rule {
            outcome: Some(outcome),
            ..Rule::new(id, cause)
        }
    }

    const fn and_status(self, status: &'static [&'static str]) -> Rule {
        Rule { status, ..self }
    }

    const fn eg(self, examples: &'static [&'static str]) -> Rule {
        Rule { examples, ..self }
    }
}

/// The whole table, in priority order.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The last rule matches everything.
pub const UNKNOWN: Rule = Rule::new("unknown", Unknown).eg(&["554 Go away"]);

pub static RULES: &[Rule] = &[
    // --- What the MTA itself decided ---------------------------------------
    Rule::outcome("outcome_expired", Expired, Outcome::Expired).eg(&[
        "delivery temporarily suspended: connect to mx.example.net[192.0.2.7]:25: Connection timed out",
    ]),
    Rule::text("text_expired", Expired, &[
        "retry timeout exceeded",
        "message expired",
        "delivery time expired",
        "too long in queue",
        "in the queue too long",
        "after a long failure period",
        "could not be delivered within",
        "maximal_queue_lifetime",
        "allowed queue period",
        "was not delivered within",
        // Exim: the hosts' retry data is past the cutoff, so no attempt.
        "failing for a long time",
        // Sendmail, after days of deferrals
        "will be deleted from queue",
        "cannot send message for",
    ])
    .eg(&[
        "Your message was not delivered because the destination computer was not reachable within the allowed queue period.",
        "retry timeout exceeded",
        "4.4.7 Message expired",
        "retry time not reached for any host after a long failure period",
        "all hosts for 'example.com' have been failing for a long time (and retry time not reached)",
        "Deferred: Connection refused by mx.example.net. Message will be deleted from queue",
    ]),
    // --- Provider signatures that carry generic words ------------------------
    Rule::text("text_yahoo_tss", IpBlocked, &[
        "[tss0",
        "[ts03]",
        "will be permanently deferred",
    ])
    .eg(&[
        "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        "553 5.7.2 [TSS09] All messages from 192.0.2.10 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes",
    ]),
    Rule::text("text_yahoo_ts", RateLimited, &["[ts01]", "[ts02]"]).eg(&[
        "421 4.7.0 [TS01] Messages from 192.0.2.10 temporarily deferred due to user complaints - 4.16.55.1; see https://help.yahoo.com/kb/postmaster/SLN3434.html",
    ]),
    // Receiving providers' own reply codes. The words around them are
    // generic ("rejected", "too many", "service refused, please try later",
    // "connection refused") or even misleading (NetEase links every code to
    // a page named help_spam), so the code decides, before any generic word.
    // Meanings: Cox email error codes page, GoDaddy bounce code list, Orange
    // / La Poste and Spectrum AUP codes (as tabled in sisimai's rhost
    // modules), Tencent QQ and NetEase help pages, Comcast postmaster codes.
    Rule::text("text_provider_code_ip_blocked", IpBlocked, &[
        // Cox: IP blocked for spam-like behaviour, IP on a DNSBL, no rDNS
        "aup#cxbl",
        "aup#cdrbl",
        "aup#ipbl",
        "aup#cxdns",
        "cox too many bad commands",
        "dns check failure - try again later",
        // GoDaddy (IB110-IB113), Cox: IP blocked for sending spam or
        // mailing invalid recipients
        "this ip has been temporarily blocked",
        "this ip has been blocked for the day",
        "too many invalid recipients",
        // Orange / La Poste: "Service refused, please try later" means the
        // source IP is blocked with 103, 510 and 999, a passing fault with
        // 505 or 107 (102, "Client host blocked", says so in words).
        "ofr_103",
        "ofr006_103",
        "lpn005_510",
        "ofr_999",
        // Spectrum: IP blocked (1000), no full-circle DNS (1100-1150),
        // listed by Cloudmark CSI (1200-1250); seen as AUP#In-1000 and AUP#I-1000.
        "aup#in-1000",
        "aup#in-110",
        "aup#in-111",
        "aup#in-112",
        "aup#in-113",
        "aup#in-114",
        "aup#in-115",
        "aup#in-120",
        "aup#in-121",
        "aup#in-122",
        "aup#in-123",
        "aup#in-124",
        "aup#in-125",
        "aup#i-1000",
        "aup#i-110",
        "aup#i-111",
        "aup#i-112",
        "aup#i-113",
        "aup#i-114",
        "aup#i-115",
        "aup#i-120",
        "aup#i-121",
        "aup#i-122",
        "aup#i-123",
        "aup#i-124",
        "aup#i-125",
        // Comcast: mail from dynamic/residential space
        "es000001",
        "es000010",
        // Tencent QQ, NetEase: IP suspected of spam, bounce attacks, forged
        // sender domains, or on an RBL
        "suspected spam ip",
        "suspected bounce attack",
        "hl:rep",
        "hl:mep",
        "hl:ihu",
        "hl:ipb",
        "dt:rbl",
    ])
    .eg(&[
        "554 cxr.mx.east.cox.net cox.net 192.0.2.10 blocked. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CXBL",
        "554 This IP has been temporarily blocked for attempting to send too many messages containing content judged to be spam by the Internet community. IB110",
        "550 mwinf5c10 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR006_103 192.0.2.10 [103]",
        "421 mwinf5c77 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [999]",
        "554 5.7.1 192.0.2.10 connection refused. Please see https://www.spectrum.net/support/internet/understanding-email-error-codes for more information. AUP#I-1210",
        "550 Suspected spam ip. https://service.mail.qq.com/detail/122/66",
        "421 HL:REP 163 mx9,DcCowAAnP0lBWz5j8kCrAA--.1234S2 1665000000 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.10&hostid=mx9&time=1665000000",
    ]),
    Rule::text("text_provider_code_rate_limited", RateLimited, &[
        // Cox: too many connections (CXCNCT), recipients or messages (CXMXRT)
        "aup#cxcnct",
        "aup#cxmxrt",
        "message threshold exceeded",
        // GoDaddy (IB510)
        "max number of messages per session",
        // Tencent QQ: IP / domain / sender / connection frequency limited
        "frequency limited",
        // NetEase: daily or 15-minute sender quota, daily recipients,
        // concurrent connections, IP frequency, per-connection limits
        "mi:stc",
        "mi:sfq",
        "rp:trc",
        "hl:icc",
        "hl:ifc",
        "mi:dmc",
        "rp:drc",
    ])
    .eg(&[
        "452 4.7.0 cox.net message refused. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CXMXRT",
        "550 This message has exceeded the max number of messages per session. Open a new session and try again. IB510",
        "550 Connection frequency limited. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000722",
        "550 MI:STC 163 smtp9,DcCowAAnP0lBWz5j8kCrAA--.1234S2 1665000000 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.10&hostid=mx9&time=1665000000",
        "451 RP:TRC 163 mx9,DcCowAAnP0lBWz5j8kCrAA--.1234S2 1665000000 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.10&hostid=mx9&time=1665000000",
    ]),
    Rule::text("text_provider_code_auth", AuthFailed, &[
        // Cox: the sending domain's SPF / DomainKeys / DKIM check failed
        "aup#cxsndr",
        // Mimecast: the envelope sender failed SPF
        "spf sender invalid",
        // La Poste: "SPF: <ip> is not allowed to send mail"
        "lpn004_401",
    ])
    .eg(&[
        "550 5.7.1 <alice@example.com> message rejected. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CXSNDR",
        "550 SPF Sender Invalid - envelope rejected - https://community.mimecast.com/docs/DOC-1369#550 [AbCdEf.uk12]",
        "550 5.5.0 SPF: 192.0.2.10 is not allowed to send mail. LPN004_401",
    ]),
    Rule::text("text_provider_code_sender", SenderRejected, &[
        // Cox: sending from the account limited / blocked for suspicious
        // activity (a compromised sender account)
        "aup#cxthrt",
        "aup#cxmj",
        // GoDaddy: blank, IP-literal or invalid From: address. By the words,
        // not the IB code: real replies reuse IB501 for a poor IP reputation.
        "provide a valid from",
    ])
    .eg(&[
        "550 5.7.1 <alice@cox.net> sending limited. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CXTHRT",
        "550 alice@example.com Blank From: addresses are not allowed. Provide a valid From. IB501",
        "550 example.com From: Domain is invalid. Provide a valid From: IB506",
    ]),
    Rule::text("text_provider_code_content", ContentRejected, &[
        // Cox: a URL in the body is on SURBL / Spamhaus DBL / ivmURI
        "aup#urlbl",
        // Orange: "Mail rejete. Mail rejected." (spam)
        "ofr_506",
        "ofr004_506",
        "ofr005_506",
        "ofr006_506",
    ])
    .eg(&[
        "554 5.7.1 cox.net message rejected. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#URLBL011",
        "550 5.7.1 Mail rejete. Mail rejected. OFR_506 [506]",
    ]),
    Rule::text("text_microsoft_blocklist", IpBlocked, &[
        "banned sending ip",
        "access denied, banned sender",
        "on our block list",
        "(s3140)",
        "(s3150)",
        "traffic not accepted from this ip",
    ])
    .eg(&[
        "550 5.7.606 Access denied, banned sending IP [192.0.2.25]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)",
        "550 SC-001 (BAY004-MC5F35) Unfortunately, messages from 192.0.2.25 weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.",
        "550 5.7.511 Access denied, banned sender[192.0.2.25]. To request removal from this list please forward this message to delist@microsoft.com. For more information please go to https://go.microsoft.com/fwlink/?LinkID=526653 AS(1410)",
        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(7171)",
    ]),
    // Exchange Online directory-based edge blocking: the recipient is not in
    // the tenant's directory. It reads like policy but means "no such user".
    // A plain Postfix "Recipient address rejected: Access denied" (5.7.1,
    // from an access map) is policy; only the AS code or 5.4.1 is Microsoft's.
    Rule::text("text_microsoft_recipient_denied", BadAddress, &["as(201806281)"]).eg(&[
        "550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors AS(201806281) [DB5PEPF00014B9C.eurprd02.prod.outlook.com]",
    ]),
    Rule::text("text_microsoft_recipient_denied_541", BadAddress, &["recipient address rejected: access denied"])
        .and_status(&["5.4.1"])
        .eg(&["550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [DB5PEPF00014B9C.eurprd02.prod.outlook.com]"]),
    // Outlook.com / Hotmail defers a sending IP with "Server busy" and may
    // name its "Protocol Filter Agent": a temporary refusal, not a content
    // filter, so before the content rules.
    Rule::text("text_microsoft_server_busy", TemporaryFailure, &["server busy. please try again later from"]).eg(&[
        "451 4.7.500 Server busy. Please try again later from [192.0.2.35]. (S77714) [Name=Protocol Filter Agent][AGT=PFA][MxId=11BA8F8D12345678] [BL02EPF00012345.namprd02.prod.outlook.com]",
    ]),
    Rule::text("text_gmail_unusual_rate", RateLimited, &["unusual rate of unsolicited mail"]).eg(&[
        "421-4.7.28 [192.0.2.30      15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError to review our Bulk Email Senders Guidelines. a1si123qkb.200 - gsmtp",
    ]),
    // Gmail's reputation block says "temporarily rate limited" too; the
    // reason it names is our IP's (or domain's) reputation.
    Rule::text("text_gmail_low_reputation", IpBlocked, &["low reputation of the sending"]).eg(&[
        "421-4.7.0 [192.0.2.30      15] Our system has detected that this message is suspicious due to the very low reputation of the sending domain. To best protect our users from spam, the message has been blocked. Please visit https://support.google.com/mail/answer/188131 for more information. - gsmtp",
        "421-4.7.0 [192.0.2.10      15] Our system has detected that this message is 421-4.7.0 suspicious due to the very low reputation of the sending IP address. 421-4.7.0 To protect our users from spam, mail sent from your IP address has 421-4.7.0 been temporarily rate limited. For more information, go to 421 4.7.0  https://support.google.com/mail/answer/188131 b3si556qkd.12 - gsmtp",
    ]),
    // Receivers that refuse end-user (dynamic) address ranges; their texts
    // also say "policy" or "unauthenticated", so before both.
    Rule::text("text_dynamic_ip", IpBlocked, &[
        "dynamic ip",
        "dynamically-assigned ip",
        "dynamically assigned ip",
    ])
    .eg(&[
        "550 OU-002 (BAY004-MC1F40) Unfortunately, messages from 192.0.2.36 weren't sent. Please contact your Internet service provider. You can tell them that Hotmail does not relay dynamically-assigned IP ranges.",
        "550 SC-002 (COL004-MC3F12) Mail rejected by Windows Live Hotmail for policy reasons. We generally do not accept email from dynamic IP's as they are not typically used to deliver unauthenticated SMTP e-mail to an Internet mail server.",
    ]),
    Rule::text("text_tonline_blocked", IpBlocked, &["tosa@rx.t-online.de"]).eg(&[
        "554 IP=192.0.2.50 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.)",
    ]),
    Rule::text("text_comcast_blocked", IpBlocked, &[
        "comcast block for spam",
        "smtp-error-codes.php#bl",
    ])
    .eg(&[
        "554 resimta-ch2-18v.sys.comcast.net resimta-ch2-18v.sys.comcast.net 192.0.2.40 Comcast block for spam.  Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000",
    ]),
    // Symantec (Broadcom) Messaging Gateway / Brightmail: its IP reputation
    // list is called "Global Bad Senders"; before `text_sender_rejected`,
    // which "bad sender" would match.
    Rule::text("text_symantec_bad_senders", IpBlocked, &[
        "global bad senders",
        "ipremoval.sms.symantec.com",
    ])
    .eg(&[
        "host mx.example.com[198.51.100.20] said: 550 5.7.1 Connection refused - 203.0.113.9 is on the Symantec Global Bad Senders list, see https://ipremoval.sms.symantec.com/lookup/ (in reply to MAIL FROM command)",
    ]),
    // Free.fr and others defer or refuse our IP for the spam it sent; says
    // "too many", but the reason is the IP's reputation, not a rate.
    Rule::text("text_spam_from_ip", IpBlocked, &[
        "spams from your ip",
        "spam from your ip",
        "too much spam from",
    ])
    .eg(&[
        "421 Too many spams from your IP (203.0.113.9), please visit http://postmaster.free.fr/",
    ]),
    // ESP suppression lists (Mailgun 605, SparkPost, Mandrill): the ESP did
    // not even try, because the address hard-bounced before.
    Rule::text("text_previously_bounced", BadAddress, &[
        "previously bounced",
        "on the bounce suppression list",
        "recipient is on the suppression list",
        "has suppressed sending to this address",
    ])
    .eg(&[
        "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.",
        "605 Not delivering to previously bounced address",
        "The address is on the bounce suppression list of mg.example.org",
    ]),
    // --- Greylisting ---------------------------------------------------------
    Rule::text("text_greylisted", Greylisted, &[
        "greylist",
        "graylist",
        "grey-list",
        "gray-list",
        "grey list",
        "gray list",
        "postgrey",
    ])
    .eg(&[
        "450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html",
        "451 4.7.1 Greylisting in action, please come back later",
        "host mx.example.org[192.0.2.60] said: 451 Temporary local problem - please try later (greylisted)",
    ]),
    Rule::text("text_try_again_in_seconds", Greylisted, &[
        "try again in",
        "retry in",
        "come back in",
        "try again after",
    ])
    .and_status(&["4.7.1", "4.2.0"])
    .eg(&["450 4.2.0 <bob@example.org>: Please try again in 300 seconds", "451 4.7.1 Please retry in 5 minutes"]),
    // --- Rate limits ---------------------------------------------------------
    Rule::text("text_rate_limited", RateLimited, &[
        "rate limit",
        "rate-limit",
        "ratelimit",
        "throttl",
        "rate of mail",
        "too fast",
        "mail flood",
        "smtp-error-codes.php#rl",
    ])
    .eg(&[
        "550 5.1.1 Rate limited: too much mail from your host, slow down",
        "451 4.7.650 The mail server [192.0.2.70] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) [BN8NAM12FT055.eop-nam12.prod.protection.outlook.com]",
        "421 4.7.0 Throttled: connection rate exceeded",
    ]),
    Rule::text("text_receiving_too_fast", RateLimited, &[
        "receiving mail too quickly",
        "receiving mail at a rate",
        "recipient thread limit",
    ])
    .eg(&[
        "450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. If the user is able to receive mail at that time, your message will be delivered. For more information, go to https://support.google.com/mail/?p=ReceivingRatePerm - gsmtp",
        "432 4.3.2 STOREDRV.Deliver; recipient thread limit exceeded",
    ]),
    Rule::text("text_sending_quota", RateLimited, &[
        "sending quota",
        "sending limit",
        "daily quota",
        "message limit exceeded",
        "message count quota",
        "emails per hour",
        "messages per hour",
        "failures per hour",
        "how many messages can be sent",
    ])
    .eg(&[
        "550 5.4.5 Daily user sending quota exceeded. https://support.google.com/mail/?p=ReachedUserLimit - gsmtp",
        "450 4.7.1 <from@example.com>: Sender address rejected: Policy rejection; Message count quota exceeded",
        "550 Domain example.com has exceeded the max emails per hour (250/200 (125%)) allowed.  Message discarded.",
        "550 Domain example.com has exceeded the max defers and failures per hour (5/5 (100%)) allowed.  Message discarded.",
        "421 RP-001 (BAY004-MC1F4) Unfortunately, some messages from 192.0.2.37 weren't sent. Please try again. We have limits for how many messages can be sent per hour and per day.",
    ]),
    Rule::text("text_mail_loop", BadDomain, &[
        "loops back to myself",
        "mail loop",
        "routing loop",
        "too many hops",
        "loop detected",
        "mail forwarding loop",
    ])
    .eg(&[
        "mail for example.org loops back to myself",
        "554 5.4.6 Too many hops",
        "mail forwarding loop for bob@example.org",
    ]),
    // Mailbox full said as a message count; before the generic "too many".
    Rule::text("text_too_many_stored", MailboxFull, &[
        "too many messages on the server",
        "too many messages in mailbox",
        "too many messages in the mailbox",
        "quota exceeded (too many messages",
    ])
    .eg(&[
        "550 Benutzer hat zuviele Mails auf dem Server. / User has too many messages on the server.",
        "552 5.2.2 Quota exceeded (too many messages)",
    ]),
    Rule::text("text_too_many", RateLimited, &[
        "too many",
        "maximum number of",
        "max message per connection",
        "connection limit",
        "exceeded the limit",
        "unexpected volume",
        "excessive volume",
    ])
    .eg(&[
        "452 4.5.3 Too many recipients",
        "421 4.7.0 resimta-po-11v.sys.comcast.net Too many sessions opened from 192.0.2.40",
        "421 Max message per connection reached, closing transmission channel",
        "421 4.7.1 Messages to bob@example.org deferred due to excessive volume. Try again later - https://support.apple.com/en-us/HT204137",
    ]),
    // --- Authentication ------------------------------------------------------
    Rule::text("text_dmarc", AuthFailed, &["dmarc"]).eg(&[
        "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. Please contact the administrator of example.com domain if this was a legitimate mail. - gsmtp",
        "550 5.7.509 Access denied, sending domain [example.com] does not pass DMARC verification and has a DMARC policy of reject.",
    ]),
    Rule::text("text_unauthenticated", AuthFailed, &[
        "unauthenticated",
        "authentication information",
        "authentication checks",
        "not aligned",
        "alignment",
        "required authentication level",
    ])
    .eg(&[
        "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. Authentication results: DKIM = did not pass SPF [example.com] with ip: [192.0.2.80] = did not pass - gsmtp",
        "421-4.7.0 This message does not have authentication information or fails to pass authentication checks. To best protect our users from spam, the message has been blocked. - gsmtp",
        "550 5.7.515 Access denied, sending domain [example.com] doesn't meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. To learn more see https://aka.ms/SenderRequirements",
    ]),
    Rule::text("text_spf", AuthFailed, &[
        "spf check",
        "spf fail",
        "spf=fail",
        "spf: fail",
        "spf softfail",
        "spf validation",
        "spf violation",
        "spf record",
        "failed spf",
        "fails spf",
        "pass spf",
        "rejected by spf",
        "sender policy framework",
        "openspf",
    ])
    .eg(&[
        "550 5.7.1 <bob@example.org>: Recipient address rejected: SPF check failed for 192.0.2.81",
        "550 5.7.23 The message was rejected because of Sender Policy Framework violation",
        "550 5.7.1 Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom",
    ]),
    Rule::text("text_dkim", AuthFailed, &["dkim"])
        .eg(&["550 5.7.20 Message rejected: No passing DKIM signature found"]),
    // --- Relaying ------------------------------------------------------------
    Rule::text("text_relay_denied", RelayDenied, &[
        "relay access denied",
        "relaying denied",
        "relay denied",
        "unable to relay",
        "cannot relay",
        "relay not permitted",
        "relaying not permitted",
        "relay not allowed",
        "relaying not allowed",
        "not permitted to relay",
        "we do not relay",
        "relaying prohibited",
        "allowed rcpthosts",
    ])
    .eg(&[
        "554 5.7.1 <bob@example.org>: Relay access denied",
        "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
        "550 5.7.64 TenantAttribution; Relay Access Denied",
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
    ]),
    // A relay host (smarthost) that wants SMTP AUTH from us before it takes
    // mail: we may not relay through it. Only with the generic x.1.0 / x.7.0
    // statuses, so Microsoft's 5.7.133 group restriction stays policy.
    Rule::text("text_relay_auth_required", RelayDenied, &["authentication required"])
        .and_status(&["x.1.0", "x.7.0"])
        .eg(&[
            "host smtp.example.net[203.0.113.8] said: 550 5.1.0 Authentication required (in reply to MAIL FROM command)",
            "530-5.7.0 Authentication Required. For more information, go to 530 5.7.0  https://support.google.com/mail/?p=WantAuthError - gsmtp",
        ]),
    // --- Our envelope sender -------------------------------------------------
    Rule::text("text_sender_rejected", SenderRejected, &[
        "sender address rejected",
        "sender rejected",
        "sender domain",
        "sender verify failed",
        "sender verification",
        "invalid sender",
        "sender unknown",
        "unknown sender",
        "sender address does not exist",
        "domain of sender address",
        "sender denied",
        "envelope sender",
        "bad sender",
    ])
    .eg(&[
        "553 5.1.8 <alice@nonexistent.example>: Sender address rejected: Domain not found",
        "550 Verification failed for <alice@example.com> Sender verify failed",
        "550 5.7.1 Sender domain must resolve",
        "553 5.1.8 <alice@example.org>... Domain of sender address alice@example.org does not exist",
    ]),
    // "not a valid ... address" with a sender status is about our sender.
    Rule::text("text_sender_invalid", SenderRejected, &["sender address", "not a valid"])
        .and_status(&["x.1.7", "x.1.8"])
        .eg(&["553 5.1.7 The sender address <alice@example.com> is not a valid RFC-5321 address. https://support.google.com/mail/?p=RfcMessageNonCompliant - gsmtp"]),
    // --- Absent users said in a way that names a list ------------------------
    Rule::text("text_user_not_listed", BadAddress, &[
        "not listed in",
        "not listed on",
        "user is not listed",
    ])
    .eg(&[
        "550 5.1.1 User not listed in public Name & Address Book",
        "Error transferring to NOTES01/Example; Router: User is not listed",
    ]),
    // --- Our IP or host is blocked -------------------------------------------
    Rule::text("text_low_reputation", IpBlocked, &[
        "low reputation",
        "poor reputation",
        "bad reputation",
        "reputation of the sending",
        "ip reputation",
        "sender reputation",
    ])
    .eg(&[
        "550 5.7.1 Message rejected due to poor reputation of sending IP 192.0.2.31",
        "554 5.7.1 Rejected due to bad reputation",
    ]),
    Rule::text("text_spamhaus", IpBlocked, &["spamhaus"]).eg(&[
        "554 5.7.1 Service unavailable; Client host [192.0.2.90] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.90",
        "550 5.7.1 Service unavailable, Helo domain is listed in Spamhaus. To request removal from this list see https://www.spamhaus.org/query/lookup/ (S8001)",
    ]),
    Rule::text("text_barracuda", IpBlocked, &[
        "barracudacentral",
        "barracuda reputation",
        "b.barracuda",
    ])
    .eg(&[
        "554 Service unavailable; Client host [192.0.2.91] blocked using b.barracudacentral.org; https://www.barracudacentral.org/rbl/removal-request",
    ]),
    Rule::text("text_spamcop", IpBlocked, &["spamcop"]).eg(&[
        "554 5.7.1 Service unavailable; Client host [192.0.2.92] blocked using bl.spamcop.net; Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.92",
    ]),
    Rule::text("text_named_blocklist", IpBlocked, &[
        "sorbs",
        "uceprotect",
        "spamrats",
        "psbl",
        "mailspike",
        "invaluement",
        "abusix",
        "abuseat",
        "backscatterer",
        "senderscore",
        "hostkarma",
        "gbudb",
        "spameatingmonkey",
        "0spam",
        "cloudmark",
        "ipcheck.proofpoint",
        "dnsbl-lookup",
        "mail-abuse.com",
        "abuse-att.net",
    ])
    .eg(&[
        "550 5.7.1 Service unavailable; Client host [192.0.2.93] blocked using dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?192.0.2.93",
        "550 5.7.1 Message rejected because your IP is listed by dnsbl-1.uceprotect.net",
        "553 5.3.0 flpd575 DNSBL:ATTRBL 521< 192.0.2.94 >_is_blocked.For assistance forward this error to abuse_rbl@abuse-att.net",
    ]),
    // URIs inside our message, not our IP: content.
    Rule::text("text_uri_blocklist", ContentRejected, &[
        "surbl",
        "uribl",
        "blacklisted url",
        "blocklisted url",
        "url blacklist",
        "url blocklist",
    ])
    .eg(&["554 5.7.1 Message rejected: body contains a URL listed in multi.surbl.org"]),
    Rule::text("text_blocklisted", IpBlocked, &[
        "dnsbl",
        "rbl",
        "blacklist",
        "blocklist",
        "block list",
        "black list",
        "denylist",
        "blocked using",
        "listed in",
        "listed on",
        "listed at",
        "listed by",
        "is listed",
        "are listed",
    ])
    .eg(&[
        "554 5.7.1 Service unavailable; Client host [192.0.2.95] blocked using dnsbl.example.net",
        "550 Your IP 192.0.2.95 is listed on a DNSBL",
        "550 5.7.1 Rejected: 192.0.2.95 is blacklisted",
    ]),
    Rule::text("text_reverse_dns", IpBlocked, &[
        "ptr record",
        "reverse dns",
        "reverse-dns",
        "rdns",
        "reverse hostname",
        "reverse lookup",
        "cannot find your hostname",
        "forward dns",
    ])
    .eg(&[
        "550-5.7.25 [192.0.2.96] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp",
        "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.96]",
        "554 5.7.1 Comcast requires that all mail servers must have a PTR record with a valid Reverse DNS entry.",
    ]),
    // The client broke the SMTP protocol (postscreen, smtpd pipelining check):
    // a policy refusal, even when worded "Client host rejected".
    Rule::text("text_protocol_violation", PolicyRejected, &[
        "improper use of smtp command pipelining",
        "protocol error",
        "non-smtp command",
    ])
    .eg(&[
        "503 5.5.0 <unknown[203.0.113.1]>: Client host rejected: Improper use of SMTP command pipelining",
        "550 5.5.1 Protocol error",
    ]),
    Rule::text("text_client_host_rejected", IpBlocked, &[
        "client host",
        "your ip",
        "sending ip",
        "ip address is",
        "ip address has been",
        "ip address was",
        "ip blocked",
        "ip is blocked",
        // Gmail to senders on dynamic / end-user ranges (PBL-like).
        "the ip you're using to send mail",
    ])
    .eg(&[
        "550-5.7.1 [192.0.2.98] The IP you're using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. - gsmtp",
        "554 5.7.1 <unknown[192.0.2.97]>: Client host rejected: Access denied",
        "550 5.7.1 Mail from your IP 192.0.2.97 is refused",
    ]),
    // --- The recipient mailbox -----------------------------------------------
    Rule::text("text_mailbox_disabled", MailboxDisabled, &[
        "is disabled",
        "has been disabled",
        "account disabled",
        "mailbox disabled",
        "user disabled",
        "account suspended",
        "account is suspended",
        "account has been suspended",
        "mailbox suspended",
        "is inactive",
        "mailbox inactive",
        "account inactive",
        "user inactive",
        "inactive account",
        "inactive mailbox",
        "inactive user",
        "deactivated",
        "no longer active",
        "not active",
        "account expired",
        "account closed",
        "account locked",
        "account is locked",
        "due to inactivity",
        // Orange / La Poste: archived or blocked recipient account
        "archived recipient",
        "recipient account is blocked",
        "recipient account isblocked",
    ])
    .eg(&[
        "550-5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser - gsmtp",
        "554 delivery error: dd Sorry your message to bob@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.gq1.yahoo.com",
        "550 5.2.1 Mailbox inactive",
        "550 5.2.1 <schlaf@gmx.de>... User is inactive",
        "550 5.2.1 <bob@example.org>: Recipient address rejected: this mailbox has been blocked due to inactivity",
        "550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420",
        "550 5.5.0 Le compte du destinataire est bloque. The recipient account isblocked. LPN007_426",
    ]),
    Rule::text("text_mailbox_full", MailboxFull, &[
        "quota",
        "mailbox full",
        "mailbox is full",
        "mailbox size limit",
        "mailbox has exceeded",
        "exceeded storage",
        "storage allocation",
        "out of storage",
        "storage full",
        "full mailbox",
        "inbox is full",
        "mailfolder is full",
        "account is full",
        "over the limit",
        "allowed storage space",
        "error writing message: file too large",
        "mailbox exceeded",
        // zh: "mailbox space is full", "space is insufficient", "mailbox is full"
        "空间已满",
        "空间不足",
        "邮箱已满",
        // ja: "over capacity", "exceeds the capacity", "mailbox is full"
        "容量オーバー",
        "容量を超え",
        "容量超過",
        "メールボックスがいっぱい",
        // it: "mailbox full", "space exhausted"; ko: "capacity exceeded",
        // "mailbox is full"; ru: "overflowing"; cs: "mailbox is full"
        "casella piena",
        "casella di posta piena",
        "spazio esaurito",
        "용량이 초과",
        "용량 초과",
        "메일함이 가득",
        "переполнен",
        "schránka je plná",
    ])
    .eg(&[
        "受信者のメールボックスが容量オーバーのため配信できませんでした。",
        "The number of messages in recipient's mailbox exceeded the local limit.",
        "收件人邮箱空间已满，无法接收新邮件。",
        "452 4.2.2 Mailbox full",
        "552-5.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp",
        "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded",
        "552 5.2.2 Requested mail action aborted: exceeded storage allocation",
        "552-5.2.2 The recipient's inbox is out of storage space and inactive. Please direct the recipient to 552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm - gsmtp",
        "550 Benutzer hat das Speichervolumen ueberschritten. / User has exhausted allowed storage space.",
        "cannot update mailbox /var/mail/bob for user bob. error writing message: File too large",
        "Casella piena: il destinatario ha esaurito lo spazio disponibile.",
        "받는 사람의 메일함 용량이 초과되어 메일을 받을 수 없습니다.",
        "Почтовый ящик получателя переполнен.",
    ]),
    Rule::text("text_message_too_large", MessageTooLarge, &[
        "message size exceeds",
        "size exceeds",
        "message too large",
        "message too big",
        "message is too large",
        "message is too big",
        "file too big",
        "too large",
        "exceeds size limit",
        "exceeds the maximum size",
        "message size limit",
        "maximum message size",
        "message length exceeds",
        "message is larger than",
        "exceeds the size limit",
        "size limit exceeded",
    ])
    .eg(&[
        "550 Your message exceeds the size limit of 10485760 bytes",
        "552 5.3.4 Message size exceeds fixed limit",
        "552-5.2.3 Your message exceeded Google's message size limits. Please visit https://support.google.com/mail/?p=MaxSizeError to view our size guidelines. - gsmtp",
        "552 Message too large",
        "Mail size limit exceeded. For explanation visit http://postmaster.1and1.com/en/error-messages?ip=%1s",
    ]),
    // --- The recipient domain ------------------------------------------------
    Rule::text("text_null_mx", BadDomain, &["nullmx", "null mx", "does not accept mail"])
        .eg(&["Domain example.com does not accept mail (nullMX)"]),
    Rule::text("text_helo_rejected", PolicyRejected, &["helo command rejected", "ehlo command rejected"])
        .eg(&["504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname"]),
    Rule::text("text_domain_not_found", BadDomain, &[
        "host or domain name not found",
        "name service error",
        "domain not found",
        "domain name not found",
        "host not found",
        "domain does not exist",
        "domain doesn't exist",
        "domain doesnt exist",
        "no such domain",
        "nxdomain",
        "no mx",
        "mx lookup",
        "dns error",
        "unknown domain",
        "invalid domain",
        "unrouteable mail domain",
        "unrouteable domain",
        "mx records point to non-existent hosts",
        "domain could not be resolved",
        "dns lookup failure",
        // Exim's router and Postfix's resolver when the lookup itself fails
        "host lookup did not complete",
        "name or service not known",
        "non-existent domain",
        "nonexistent domain",
        // zh: "domain does not exist"
        "域名不存在",
        // ja: "the domain does not exist"
        "ドメインが存在しません",
        "ドメインは存在しません",
        // cs, ru: "the domain does not exist"
        "doména neexistuje",
        "домен не существует",
    ])
    .eg(&[
        "收件人域名不存在",
        "宛先のドメインが存在しません。",
        "Host or domain name not found. Name service error for name=gmial.com type=MX: Host not found, try again",
        "550 5.1.2 <bob@nonexistent.example>: Recipient address rejected: Domain not found",
        "DNS Error: DNS type 'mx' lookup of gmial.con responded with code NXDOMAIN Domain name not found: gmial.con",
        "550 unrouteable mail domain example.com",
        "all relevant MX records point to non-existent hosts",
        "DNS lookup failure: host mx.nosuch.example not found",
        "R=dnslookup defer (-1): host lookup did not complete",
        "As the remote domain doesnt exist.",
        "451 4.4.0 DNS query failed. The error was: SMTPSEND.DNS.NonExistentDomain; nonexistent domain",
        "<bob@example-typo.test> (failed to lookup 'example-typo.test': DNS record not found: Non-Existent Domain)",
        "Cílová doména neexistuje.",
    ]),
    // --- Reaching and talking to the receiver --------------------------------
    Rule::text("text_connect_failed", NetworkError, &[
        "connection timed out",
        "connection refused",
        "no route to host",
        "network is unreachable",
        "host unreachable",
        "could not connect",
        "unable to connect",
        "connect to",
        "socket error",
        "socketerror",
        "requests to connect",
    ])
    .eg(&[
        "connect to mx.example.net[192.0.2.100]:25: Connection timed out",
        "delivery temporarily suspended: connect to mx.example.net[192.0.2.100]:25: Connection refused",
        "4.4.316 Connection refused [Message=Socket error code 10061]",
        "The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.com. 192.0.2.5: timed out]",
    ]),
    Rule::text("text_lost_connection", NetworkError, &[
        "lost connection",
        "timed out while",
        "connection reset",
        "connection closed",
        "connection dropped",
        "broken pipe",
        "server greeting",
        "read timeout",
        "closed connection",
        "write timeout",
    ])
    .eg(&[
        "lost connection with mx.example.net[192.0.2.100] while receiving the initial server greeting",
        "conversation with mx.example.net[192.0.2.100] timed out while sending end of data -- message may be sent more than once",
        "Remote host mx.example.net [192.0.2.100] closed connection in response to RCPT TO:<bob@example.net>",
    ]),
    Rule::text("text_tls_failed", NetworkError, &[
        "tls handshake",
        "handshake fail",
        "cannot start tls",
        "starttls",
        "tls is required",
        "tls required",
        "ssl routines",
        "certificate verify failed",
        "tls negotiation",
        "certificate not trusted",
        "certificate not verified",
        "certificate verification failed",
    ])
    .eg(&[
        "Cannot start TLS: handshake failure",
        "TLS is required, but was not offered by host mx.example.net[192.0.2.100]",
        "421-4.7.0 TLS required for RCPT domain, closing connection. - gsmtp",
        "Server certificate not trusted",
        "delivery temporarily suspended: Server certificate not verified",
    ]),
    // --- Our message content -------------------------------------------------
    Rule::text("text_virus", ContentRejected, &[
        "virus",
        "malware",
        "infected",
        "phishing",
        "security issue",
        "trojan",
        "threat detected",
        "threat was detected",
    ])
    .eg(&[
        "554 5.7.1 This message was blocked because its content presents a potential security issue. Please visit https://support.google.com/mail/?p=BlockedMessage to review our message content and attachment content guidelines. - gsmtp",
        "550 5.7.1 Virus found in message: Eicar-Signature",
        "did not deliver your message because a threat was detected in it. Threat: HEUR:Trojan-Downloader.Script.Generic",
    ]),
    Rule::text("text_spam", ContentRejected, &[
        "spam",
        "unsolicited",
        "junk",
        "bulk mail",
        "suspicious",
    ])
    .eg(&[
        "550 5.7.1 Message rejected as spam by Content Filtering.",
        "550-5.7.1 [192.0.2.110      12] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp",
        "550 5.7.350 Remote server returned message detected as spam",
    ]),
    Rule::text("text_content_filter", ContentRejected, &[
        "content",
        "attachment",
        "filter",
        "executable",
        "banned file",
        "header rejected",
        "body rejected",
        // the message breaks the Internet Message Format (Gmail, Microsoft)
        "rfc 5322",
    ])
    .eg(&[
        "554 5.6.0 Message content rejected",
        "552 5.7.0 This message was blocked because its attachment type is not allowed",
        "5.7.1 Header rejected: forged recipient",
        "550-5.7.1 Our system has detected that this message is not RFC 5322 compliant: Multiple 'From' headers found. - gsmtp",
    ]),
    // --- Policy (strong words) -----------------------------------------------
    Rule::text("text_policy", PolicyRejected, &[
        "access denied",
        "administrative prohibition",
        "local policy",
        "policy reasons",
        "security policy",
        "security policies",
        "policy restrictions",
        "not authorized",
        "not authorised",
        "not allowed",
        "not permitted",
        "not authenticated",
        "prohibited",
        "restricted",
        "whitelist",
        "allowlist",
        "permission to post",
        "not have permission",
        "not a member of this",
    ])
    .eg(&[
        "the group you tried to contact (sales) may not exist, or you may not have permission to post messages to the group.",
        "550 Administrative prohibition",
        "554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137",
        "554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes",
        "530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM",
        "550 5.7.1 Your message can't be delivered because delivery to this address is restricted",
        "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554 [AbCdEfGhIj.us456]",
        "554-Transaction failed 554-Reject due to policy restrictions. 554 For explanation visit https://web.de/email/senderguidelines?ip=192.0.2.10&c=hi",
        "You are not a member of this mailing list <team@lists.example.net>.",
    ]),
    // --- The recipient address -----------------------------------------------
    Rule::text("text_user_unknown", BadAddress, &[
        "user unknown",
        "unknown user",
        "no such user",
        "no such recipient",
        "no such mailbox",
        "no such address",
        "does not exist",
        "doesn't exist",
        "recipient unknown",
        "unknown recipient",
        "recipient not found",
        "recipientnotfound",
        "user not found",
        "mailbox not found",
        "mailbox unavailable",
        "mailbox not available",
        "invalid recipient",
        "invalid mailbox",
        "invalid address",
        "address unknown",
        "addressee unknown",
        "unknown address",
        "bad destination mailbox",
        "no mailbox",
        "doesn't have a",
        "not a valid",
        "unknown local part",
        "undeliverable address",
        "unverified address",
        "no longer accepts mail",
        "is no longer valid",
        "recipient cannot be verified",
        "recipient could not be verified",
        "unrouteable address",
        // zh: "user / mailbox / address does not exist"; ko: "does not exist"
        "用户不存在",
        "邮箱不存在",
        "地址不存在",
        "존재하지 않",
        // ja: "the address / user does not exist", "addressee unknown"
        "アドレスは存在しません",
        "アドレスが存在しません",
        "ユーザーは存在しません",
        "ユーザーが存在しません",
        "ユーザは存在しません",
        "ユーザが存在しません",
        "宛先不明",
        // cs: "does not exist"; ru: "does not exist", "no such user"
        "neexistuje",
        "не существует",
        "нет такого пользователя",
    ])
    .eg(&[
        "宛先のメールアドレスは存在しません。",
        "收件人邮箱地址不存在，请核实后再发送。",
        "받는 사람의 메일 주소가 존재하지 않습니다.",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser - gsmtp",
        "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
        "552 1 Requested mail action aborted, mailbox not found",
        "554 delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0] - mta1234.mail.bf1.yahoo.com",
        "Sorry, no mailbox here by that name. (#5.1.1)",
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "550-\"The recipient cannot be verified.  Please check all recipients of this 550 message to verify they are valid.\"",
        "550 unrouteable address",
        "554 delivery error: dd bob@example.org is no longer valid. [-5] - mta4471.mail.gq1.yahoo.com",
        "Adresa příjemce neexistuje.",
        "Такого почтового ящика не существует.",
    ]),
    // --- Temporary trouble at the receiver -----------------------------------
    Rule::text("text_try_again_later", TemporaryFailure, &[
        "try again later",
        "try later",
        "please try again",
        "temporary failure",
        "temporary error",
        "temporary problem",
        "temporary local problem",
        "temporarily",
        "local problem",
        "internal error",
        "server busy",
        "too busy",
        "system busy",
        "ports busy",
        "currently unavailable",
        "come back later",
        "service not available",
        "insufficient system",
        "resources",
        "deferred",
    ])
    .eg(&[
        "421 4.7.0 Try again later, closing connection. (EHLO) - gsmtp",
        "451 4.3.0 Temporary local problem - please try later",
        "452 4.3.1 Insufficient system storage",
        "421 4.3.2 Service not available, closing transmission channel",
        "all server ports busy",
        "451 4.7.1 Sorry, the service is currently unavailable. Please come back later.",
    ]),
    Rule::text("text_recipient_rejected", BadAddress, &[
        "recipient address rejected",
        "address rejected",
        "recipient rejected",
    ])
    .eg(&["550 5.7.1 <bob@example.org>: Recipient address rejected: Policy rejection on the target address"]),
    Rule::text("text_refused", PolicyRejected, &["policy", "blocked", "denied", "refused", "rejected by"])
        .eg(&["550 5.7.1 Message refused", "554 Blocked by recipient"]),
    // RFC 5321's generic 554 text: content evidence (DESIGN.md), but weaker
    // than any reason the server names alongside it.
    Rule::text("text_transaction_failed", ContentRejected, &["transaction failed"])
        .eg(&["554 Transaction failed", "smtp; 554 5.7.1 Transaction failed"]),
    // --- Enhanced status codes alone -----------------------------------------
    Rule::status("status_x_1_1", BadAddress, &["x.1.1"])
        .eg(&["550 5.1.1 <bob@example.org>... Requested action not taken"]),
    Rule::status("status_x_1_10", BadDomain, &["x.1.10"]).eg(&["556 5.1.10 <bob@example.com>"]),
    Rule::status("status_x_1_other", BadAddress, &["x.1.0", "x.1.3", "x.1.4", "x.1.6", "x.7.17"])
        .eg(&["550 5.1.6 <bob@example.org> moved", "553 5.1.3 <bob@@example.org>"]),
    Rule::status("status_x_1_2", BadDomain, &["x.1.2", "x.7.18"]).eg(&["550 5.1.2 <bob@example.invalid>"]),
    Rule::status("status_x_1_7", SenderRejected, &["x.1.7", "x.1.8", "x.7.27"])
        .eg(&["553 5.1.7 <alice@@example.com>", "450 4.1.8 <alice@example.com>"]),
    Rule::status("status_x_2_1", MailboxDisabled, &["x.2.1", "x.7.13"]).eg(&["550 5.2.1 <bob@example.org>"]),
    Rule::status("status_x_2_2", MailboxFull, &["x.2.2"]).eg(&["452 4.2.2 <bob@example.org>"]),
    Rule::status("status_x_3_4", MessageTooLarge, &["x.3.4", "x.2.3"]).eg(&["552 5.3.4 <bob@example.org>"]),
    Rule::status("status_x_4_7", Expired, &["x.4.7"]).eg(&["smtp; 5.4.7 - Delivery expired"]),
    Rule::status("status_5_4_1", BadAddress, &["5.4.1"]).eg(&["550 5.4.1 [bob@example.org]"]),
    Rule::status("status_x_4_4", BadDomain, &["x.4.4", "4.4.3", "x.4.6"])
        .eg(&["550 5.4.4 Unable to route", "4.4.3 Directory server failure", "554 5.4.6 <bob@example.org>"]),
    Rule::status("status_4_4_1", NetworkError, &["4.4.1", "4.4.2", "5.4.2"]).eg(&["4.4.1 No answer from host"]),
    Rule::status("status_x_5_3", RateLimited, &["x.5.3"]).eg(&["452 4.5.3 <bob@example.org>"]),
    Rule::status("status_x_7_28", RateLimited, &["x.7.28"]).eg(&["421 4.7.28 <bob@example.org>"]),
    Rule::status("status_x_7_25", IpBlocked, &["x.7.25"]).eg(&["550 5.7.25 <bob@example.org>"]),
    Rule::status("status_x_7_auth", AuthFailed, &[
        "x.7.20", "x.7.21", "x.7.22", "x.7.23", "x.7.24", "x.7.26", "x.7.29",
    ])
    .eg(&["550 5.7.26 Multiple checks failed", "550 5.7.23 <bob@example.org>"]),
    Rule::status("status_x_6", ContentRejected, &["x.6."]).eg(&["554 5.6.1 Media not supported"]),
    Rule::status("status_4_3", TemporaryFailure, &["4.3.", "4.4.5", "4.4.0"])
        .eg(&["451 4.3.5 Server configuration problem", "421 4.4.5 <bob@example.org>"]),
    Rule::status("status_x_7", PolicyRejected, &["x.7."]).eg(&["550 5.7.1 <bob@example.org>... Requested action not taken"]),
    // --- Bare SMTP reply codes -----------------------------------------------
    Rule::code("code_421", TemporaryFailure, &[421]).eg(&["421 mx.example.org closing transmission channel"]),
    Rule::code("code_4xx", TemporaryFailure, &[432, 441, 442, 447, 450, 451, 452, 454, 455, 471])
        .eg(&["451 Requested action aborted", "450 Requested mail action not taken"]),
    Rule::code("code_551", BadAddress, &[551, 553]).eg(&["551 User not local; please try <bob@example.net>"]),
    Rule::code("code_552", MailboxFull, &[552]).eg(&["552 Requested mail action aborted"]),
    // --- Fallbacks -----------------------------------------------------------
    Rule::status("fallback_status_4", TemporaryFailure, &["4."]).eg(&["4.0.0 Other undefined status"]),
    Rule::outcome("fallback_deferred", TemporaryFailure, Outcome::Deferred).eg(&["no answer"]),
    UNKNOWN,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_snake_case() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            let ok =
                r.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            assert!(ok, "rule id not snake_case: {}", r.id);
        }
    }

    #[test]
    fn every_rule_has_an_example_and_a_reason_to_exist() {
        for r in RULES {
            assert!(!r.examples.is_empty(), "rule {} has no example", r.id);
        }
        assert_eq!(RULES.last().map(|r| r.id), Some("unknown"));
    }

    #[test]
    fn phrases_are_lower_case_and_status_patterns_well_formed() {
        for r in RULES {
            for p in r.any {
                assert_eq!(*p, p.to_ascii_lowercase(), "rule {} phrase {p:?}", r.id);
                assert!(!p.is_empty());
            }
            for s in r.status {
                let ok = s
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'x');
                assert!(ok && s.contains('.'), "rule {} status {s:?}", r.id);
            }
        }
    }

    #[test]
    fn every_cause_has_a_rule() {
        for c in Cause::ALL {
            assert!(
                RULES.iter().any(|r| r.cause == c),
                "no rule for {}",
                c.as_str()
            );
        }
    }
}
