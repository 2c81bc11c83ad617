//! The receiving mailbox provider (the `provider` column): from the remote
//! MX/relay host name first, else from a well-known consumer recipient
//! domain.
//!
//! In: `remote_host` (may carry `[ip]:port` or a trailing dot) and the
//! recipient domain. Out: a short `&'static str` name. Two const tables, no
//! allocation.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// Host-name suffix (matched on a label boundary) -> provider.
pub static HOST_SUFFIXES: &[(&str, &str)] = &[
    ("google.com", "google"),
    ("googlemail.com", "google"),
    ("outlook.com", "microsoft"),
    ("hotmail.com", "microsoft"),
    ("office365.com", "microsoft"),
    ("msn.com", "microsoft"),
    ("live.com", "microsoft"),
    ("yahoodns.net", "yahoo"),
    ("yahoo.com", "yahoo"),
    ("yahoo.net", "yahoo"),
    ("aol.com", "yahoo"),
    ("icloud.com", "apple"),
    ("me.com", "apple"),
    ("apple.com", "apple"),
    ("comcast.net", "comcast"),
    ("prodigy.net", "att"),
    ("att.net", "att"),
    ("cox.net", "cox"),
    ("charter.net", "charter"),
    ("gmx.net", "gmx"),
    ("gmx.de", "gmx"),
    ("gmx.com", "gmx"),
    ("web.de", "web.de"),
    ("mail.ru", "mail.ru"),
    ("yandex.ru", "yandex"),
    ("yandex.net", "yandex"),
    ("zoho.com", "zoho"),
    ("zoho.eu", "zoho"),
    ("zohomail.com", "zoho"),
    ("pphosted.com", "proofpoint"),
    ("ppe-hosted.com", "proofpoint"),
    ("mimecast.com", "mimecast"),
    ("mimecast.co.za", "mimecast"),
    ("barracudanetworks.com", "barracuda"),
    ("iphmx.com", "cisco"),
    ("messagelabs.com", "broadcom"),
    ("sophos.com", "sophos"),
    ("trendmicro.com", "trendmicro"),
    ("trendmicro.eu", "trendmicro"),
    ("protonmail.ch", "proton"),
    ("messagingengine.com", "fastmail"),
    ("secureserver.net", "godaddy"),
    ("emailsrvr.com", "rackspace"),
    ("t-online.de", "t-online"),
    ("orange.fr", "orange"),
    ("free.fr", "free"),
    ("qq.com", "tencent"),
    ("163.com", "netease"),
    ("naver.com", "naver"),
];

/// Recipient domain (exact) -> provider, for when the host is unknown.
pub static RECIPIENT_DOMAINS: &[(&str, &str)] = &[
    ("gmail.com", "google"),
    ("googlemail.com", "google"),
    ("hotmail.com", "microsoft"),
    ("hotmail.co.uk", "microsoft"),
    ("hotmail.fr", "microsoft"),
    ("outlook.com", "microsoft"),
    ("live.com", "microsoft"),
    ("msn.com", "microsoft"),
    ("yahoo.com", "yahoo"),
    ("yahoo.co.uk", "yahoo"),
    ("yahoo.fr", "yahoo"),
    ("ymail.com", "yahoo"),
    ("rocketmail.com", "yahoo"),
    ("aol.com", "yahoo"),
    ("icloud.com", "apple"),
    ("me.com", "apple"),
    ("mac.com", "apple"),
    ("comcast.net", "comcast"),
    ("att.net", "att"),
    ("sbcglobal.net", "att"),
    ("bellsouth.net", "att"),
    ("cox.net", "cox"),
    ("charter.net", "charter"),
    ("gmx.de", "gmx"),
    ("gmx.net", "gmx"),
    ("gmx.com", "gmx"),
    ("web.de", "web.de"),
    ("mail.ru", "mail.ru"),
    ("yandex.ru", "yandex"),
    ("yandex.com", "yandex"),
    ("zoho.com", "zoho"),
    ("protonmail.com", "proton"),
    ("proton.me", "proton"),
    ("fastmail.com", "fastmail"),
    ("t-online.de", "t-online"),
    ("orange.fr", "orange"),
    ("free.fr", "free"),
    ("qq.com", "tencent"),
    ("163.com", "netease"),
    ("naver.com", "naver"),
];

/// The receiving provider for a failure.
pub fn provider(remote_host: Option<&str>, recipient_domain: &str) -> Option<&'static str> {
    remote_host
        .and_then(by_host)
        .or_else(|| by_domain(recipient_domain))
}

/// Provider from an MX/relay host name (`gmail-smtp-in.l.google.com`).
///
/// Looks up the host's last two and three labels (every suffix in the table
/// has two or three), so the cost does not grow with the table: this also
/// runs for every successful delivery.
pub fn by_host(host: &str) -> Option<&'static str> {
    let host = clean_host(host).as_bytes();
    if host.is_empty() || host.len() > 253 {
        return None;
    }
    // only the last three labels can match: lower-case just those (every
    // suffix in the table is far shorter than the buffer)
    let tail = last_labels(host, 3).or_else(|| last_labels(host, 2))?;
    let tail = if tail.len() > TAIL_MAX {
        last_labels(tail, 2)?
    } else {
        tail
    };
    let mut buf = [0u8; TAIL_MAX];
    let lower = buf.get_mut(..tail.len())?;
    lower.copy_from_slice(tail);
    lower.make_ascii_lowercase();
    let index = host_index();
    [3, 2].into_iter().find_map(|labels| {
        let tail = last_labels(lower, labels)?;
        index.get(tail).copied()
    })
}

/// Longest host tail looked up (longer than any suffix in the table).
const TAIL_MAX: usize = 64;

/// `HOST_SUFFIXES` as a map, built once.
fn host_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| index_of(HOST_SUFFIXES))
}

/// `RECIPIENT_DOMAINS` as a map, built once.
fn domain_index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| index_of(RECIPIENT_DOMAINS))
}

fn index_of(table: &'static [(&'static str, &'static str)]) -> Index {
    table.iter().map(|&(k, v)| (k.as_bytes(), v)).collect()
}

/// Keys are a few short host names (lower case): FNV-1a hashes them faster
/// than the default SipHash, and nothing here needs DoS resistance.
type Index = HashMap<&'static [u8], &'static str, BuildHasherDefault<Fnv>>;

#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The last `n` dot-separated labels of `host`, if it has that many.
fn last_labels(host: &[u8], n: usize) -> Option<&[u8]> {
    let mut dots = 0;
    for (i, &c) in host.iter().enumerate().rev() {
        if c == b'.' {
            dots += 1;
            if dots == n {
                return Some(&host[i + 1..]);
            }
        }
    }
    (dots == n - 1).then_some(host)
}

/// Provider from a recipient domain (`hotmail.com`).
/// This runs for every delivery to a host that names no provider.
pub fn by_domain(domain: &str) -> Option<&'static str> {
    let d = domain.trim().trim_end_matches('.').as_bytes();
    let index = domain_index();
    if !d.iter().any(u8::is_ascii_uppercase) {
        return index.get(d).copied();
    }
    let mut buf = [0u8; 253];
    let lower = buf.get_mut(..d.len())?;
    lower.copy_from_slice(d);
    lower.make_ascii_lowercase();
    index.get(&*lower).copied()
}

/// `mx.example.com[192.0.2.1]:25.` -> `mx.example.com`.
fn clean_host(host: &str) -> &str {
    let h = host.trim();
    let h = memchr::memchr(b'[', h.as_bytes()).map_or(h, |i| &h[..i]);
    h.trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_mx_hosts() {
        let cases = [
            ("gmail-smtp-in.l.google.com", "google"),
            ("ASPMX.L.GOOGLE.COM.", "google"),
            ("alt1.aspmx.l.google.com[142.250.1.27]:25", "google"),
            ("example-com.mail.protection.outlook.com", "microsoft"),
            ("hotmail-com.olc.protection.outlook.com", "microsoft"),
            ("mta7.am0.yahoodns.net", "yahoo"),
            ("mx-aol.mail.gm0.yahoodns.net", "yahoo"),
            ("mx01.mail.icloud.com", "apple"),
            ("mx1.comcast.net", "comcast"),
            ("ff-ip4-mx-vip1.prodigy.net", "att"),
            ("mx00.gmx.net", "gmx"),
            ("mx-ha03.web.de", "web.de"),
            ("mxs.mail.ru", "mail.ru"),
            ("mx.yandex.ru", "yandex"),
            ("mx.zoho.com", "zoho"),
            ("mx0a-00123456.pphosted.com", "proofpoint"),
            ("eu-smtp-inbound-1.mimecast.com", "mimecast"),
            ("d123456a.ess.barracudanetworks.com", "barracuda"),
        ];
        for (host, want) in cases {
            assert_eq!(by_host(host), Some(want), "{host}");
        }
    }

    #[test]
    fn long_hosts_still_match_on_their_last_labels() {
        let long = "a".repeat(100);
        assert_eq!(by_host(&format!("{long}.google.com")), Some("google"));
        assert_eq!(by_host(&format!("mx.{long}.google.com")), Some("google"));
        assert_eq!(by_host(&format!("mx.{long}.com")), None);
        assert_eq!(
            by_host(&format!("{long}.MAIL.Protection.Outlook.COM")),
            Some("microsoft")
        );
        assert_eq!(by_host(&format!("{}.com", "b".repeat(70))), None);
        assert_eq!(by_host("google"), None);
        assert_eq!(by_host("Google.Com"), Some("google"));
    }

    #[test]
    fn suffix_needs_a_label_boundary() {
        assert_eq!(by_host("notgoogle.com"), None);
        assert_eq!(by_host("mx.fakeoutlook.com"), None);
        assert_eq!(by_host("mx.example.org"), None);
        assert_eq!(by_host(""), None);
        assert_eq!(by_host("[192.0.2.1]"), None);
    }

    #[test]
    fn falls_back_to_recipient_domain() {
        assert_eq!(provider(None, "gmail.com"), Some("google"));
        assert_eq!(provider(None, "Hotmail.com"), Some("microsoft"));
        assert_eq!(provider(Some("mx.example.org"), "yahoo.com"), Some("yahoo"));
        assert_eq!(provider(None, "example.org"), None);
        // The host wins: a custom domain hosted by Google is google.
        assert_eq!(
            provider(Some("aspmx.l.google.com"), "example.org"),
            Some("google")
        );
    }

    #[test]
    fn every_recipient_domain_is_lower_case_and_finds_itself() {
        for (domain, want) in RECIPIENT_DOMAINS {
            assert_eq!(*domain, domain.to_ascii_lowercase());
            assert_eq!(by_domain(domain), Some(*want), "{domain}");
            assert_eq!(by_domain(&domain.to_ascii_uppercase()), Some(*want));
            assert_eq!(by_domain(&format!("{domain}.")), Some(*want));
        }
        assert_eq!(by_domain(&"x".repeat(300)), None);
    }

    #[test]
    fn every_suffix_has_two_or_three_labels_and_finds_itself() {
        for (suffix, want) in HOST_SUFFIXES {
            assert!(suffix.len() < TAIL_MAX, "{suffix}");
            let labels = suffix.split('.').count();
            assert!((2..=3).contains(&labels), "{suffix}");
            assert_eq!(by_host(&format!("mx1.{suffix}")), Some(*want), "{suffix}");
            assert_eq!(by_host(suffix), Some(*want), "{suffix}");
        }
    }

    #[test]
    fn odd_input() {
        assert_eq!(by_host("ü.google.com"), Some("google"));
        assert_eq!(by_host("."), None);
        assert_eq!(by_domain("ü"), None);
    }
}
