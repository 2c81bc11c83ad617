//! Blocklist (RBL) and provider reputation signals named in a failure text,
//! normalised to one short name (the `blocklist` column).
//!
//! In: which table rows' phrases the shared scan found, the enhanced status
//! and whether the text came from Google. Out: a `&'static str` name, only
//! when the text names a list or a provider's own block signal; never guessed
//! from the cause alone.

use super::codes::status_matches;

/// One list or provider signal and the phrases that name it.
#[derive(Debug, Clone, Copy)]
pub struct Blocklist {
    /// Normalised name (the `blocklist` column).
    pub name: &'static str,
    /// Case-insensitive phrases; any one names the list.
    pub any: &'static [&'static str],
    /// Only counts when the text or the receiving host is Google's: "low
    /// reputation" elsewhere is not Gmail's signal.
    pub needs_google: bool,
    /// Enhanced statuses that name the signal on their own.
    pub status: &'static [&'static str],
    /// A receiving provider's own signal about our traffic (throttling or
    /// reputation at Gmail, Yahoo, Microsoft, …), not a public list that
    /// every receiver using it consults.
    pub provider: bool,
}

const fn list(name: &'static str, any: &'static [&'static str]) -> Blocklist {
    Blocklist {
        name,
        any,
        needs_google: false,
        status: &[],
        provider: false,
    }
}

const fn provider(name: &'static str, any: &'static [&'static str]) -> Blocklist {
    Blocklist {
        provider: true,
        ..list(name, any)
    }
}

/// Whether `name` (a `blocklist` value) is a provider's own signal rather
/// than a public list; `false` for names not in [`BLOCKLISTS`].
pub fn is_provider_signal(name: &str) -> bool {
    BLOCKLISTS.iter().any(|b| b.provider && b.name == name)
}

/// Priority order: public lists before provider signals, so "blocked using
/// Spamhaus" from Outlook is `spamhaus`, not `microsoft`.
pub static BLOCKLISTS: &[Blocklist] = &[
    list("spamhaus", &["spamhaus"]),
    list(
        "barracuda",
        &["barracudacentral", "barracuda reputation", "b.barracuda"],
    ),
    list("spamcop", &["spamcop"]),
    list("sorbs", &["sorbs"]),
    list("uceprotect", &["uceprotect"]),
    list("spamrats", &["spamrats"]),
    list("psbl", &["psbl"]),
    list("mailspike", &["mailspike"]),
    list("invaluement", &["invaluement"]),
    list("abusix", &["abusix"]),
    list("cbl", &["abuseat"]),
    list("backscatterer", &["backscatterer"]),
    list("senderscore", &["senderscore"]),
    list("hostkarma", &["hostkarma", "junkemailfilter"]),
    list("gbudb", &["gbudb"]),
    list("spameatingmonkey", &["spameatingmonkey"]),
    list("0spam", &["0spam"]),
    list("cloudmark", &["cloudmark"]),
    list("proofpoint", &["ipcheck.proofpoint", "dnsbl-lookup"]),
    list(
        "trendmicro",
        &["mail-abuse.com", "trend micro email reputation"],
    ),
    Blocklist {
        status: &["5.7.708", "5.7.705"],
        ..provider(
            "microsoft",
            &[
                "banned sending ip",
                "on our block list",
                "(s3140)",
                "(s3150)",
                "traffic not accepted from this ip",
                "access denied, banned sender",
                "rate limited due to ip reputation",
            ],
        )
    },
    provider("yahoo", &["[tss0", "[ts0"]),
    Blocklist {
        needs_google: true,
        ..provider(
            "gmail",
            &[
                "low reputation",
                "unusual rate of unsolicited",
                "likely unsolicited mail",
                "bulk email senders guidelines",
            ],
        )
    },
    provider(
        "apple",
        &[
            "[cs01]",
            "[cs02]",
            "[hm07]",
            "[hm08]",
            "[hm09]",
            "[hm10]",
            "support.apple.com/en-us/ht204137",
        ],
    ),
    provider(
        "comcast",
        &["comcast block for spam", "smtp-error-codes.php#bl"],
    ),
    // Cox: "The sending IP address has been (temporarily) blocked by Cox".
    provider("cox", &["aup#cxbl", "aup#cdrbl"]),
    provider("att", &["abuse-att.net", "attrbl"]),
    provider("t-online", &["tosa@rx.t-online.de"]),
    // Orange/Wanadoo put an `OFRnnn_ccc` code in every reply; only the
    // IP-block codes (102, 103 for spam, 999 for the IP) name a block, not
    // `OFR_416` (no such user) and the like.
    provider(
        "orange",
        &[
            "ofr_102",
            "ofr004_102",
            "ofr005_102",
            "ofr006_102",
            "ofr_103",
            "ofr004_103",
            "ofr005_103",
            "ofr006_103",
            "ofr_999",
            "ofr004_999",
            "ofr005_999",
            "ofr006_999",
        ],
    ),
];

/// Phrases whose presence says the text came from Google.
pub const GOOGLE_MARKERS: &[&str] = &["gsmtp", "google.com"];

/// The name of the first list (in table order) the text names.
///
/// `found` has bit `i` set when a phrase of `BLOCKLISTS[i]` was found.
pub fn pick(found: u64, statuses: &[&str], from_google: bool) -> Option<&'static str> {
    if found == 0 && !statuses.iter().any(|s| s.starts_with("5.7.")) {
        return None;
    }
    BLOCKLISTS.iter().enumerate().find_map(|(i, b)| {
        let named = found & (1 << i) != 0 || by_status(b, statuses);
        (named && (from_google || !b.needs_google)).then_some(b.name)
    })
}

fn by_status(b: &Blocklist, statuses: &[&str]) -> bool {
    if b.name == "microsoft" && statuses.iter().any(|s| is_microsoft_banned_ip(s)) {
        return true;
    }
    statuses
        .iter()
        .any(|s| b.status.iter().any(|p| status_matches(p, s)))
}

/// Exchange Online `5.7.606`–`5.7.649`: "Access denied, banned sending IP".
fn is_microsoft_banned_ip(status: &str) -> bool {
    status
        .strip_prefix("5.7.")
        .and_then(|d| d.parse::<u16>().ok())
        .is_some_and(|n| (606..=649).contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn bit(name: &str) -> u64 {
        let i = BLOCKLISTS.iter().position(|b| b.name == name).unwrap();
        1 << i
    }

    #[test]
    fn table_fits_the_bitset_and_names_are_unique() {
        assert!(BLOCKLISTS.len() <= 64);
        let names: HashSet<_> = BLOCKLISTS.iter().map(|b| b.name).collect();
        assert_eq!(names.len(), BLOCKLISTS.len());
        for b in BLOCKLISTS {
            assert!(!b.any.is_empty(), "{} has no phrase", b.name);
            for p in b.any {
                assert_eq!(*p, p.to_ascii_lowercase());
            }
        }
    }

    #[test]
    fn public_lists_beat_provider_signals() {
        let found = bit("spamhaus") | bit("microsoft");
        assert_eq!(pick(found, &[], false), Some("spamhaus"));
    }

    #[test]
    fn gmail_needs_google_evidence() {
        assert_eq!(pick(bit("gmail"), &[], false), None);
        assert_eq!(pick(bit("gmail"), &[], true), Some("gmail"));
    }

    #[test]
    fn an_orange_code_names_a_block_only_when_it_is_one() {
        let list = |text: &str| {
            crate::classify::classify(&crate::classify::Input {
                text,
                ..Default::default()
            })
            .blocklist
        };
        assert_eq!(
            list("550 5.7.1 Client host blocked for spamming issues. OFR006_102 Ref http://csi.example.com"),
            Some("orange")
        );
        assert_eq!(
            list("550 5.1.1 Adresse d au moins un destinataire invalide. OFR_416"),
            None
        );
    }

    #[test]
    fn microsoft_status_range() {
        assert_eq!(pick(0, &["5.7.606"], false), Some("microsoft"));
        assert_eq!(pick(0, &["5.7.649"], false), Some("microsoft"));
        assert_eq!(pick(0, &["5.7.650"], false), None);
        assert_eq!(pick(0, &["5.7.708"], false), Some("microsoft"));
        assert_eq!(pick(0, &["5.7.1"], false), None);
    }
}
