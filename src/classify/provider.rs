//! The receiving mailbox provider (the `provider` column): from the remote
//! MX/relay host name first, else from a well-known consumer recipient
//! domain.
//!
//! In: `remote_host` (may carry `[ip]:port` or a trailing dot) and the
//! recipient domain. Out: a short `&'static str` name. Two const tables, no
//! allocation.

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
pub fn by_host(host: &str) -> Option<&'static str> {
    let host = clean_host(host);
    if host.is_empty() {
        return None;
    }
    HOST_SUFFIXES
        .iter()
        .find(|(s, _)| ends_with_label(host, s))
        .map(|(_, p)| *p)
}

/// Provider from a recipient domain (`hotmail.com`).
pub fn by_domain(domain: &str) -> Option<&'static str> {
    let d = domain.trim().trim_end_matches('.');
    RECIPIENT_DOMAINS
        .iter()
        .find(|(s, _)| d.eq_ignore_ascii_case(s))
        .map(|(_, p)| *p)
}

/// `mx.example.com[192.0.2.1]:25.` -> `mx.example.com`.
fn clean_host(host: &str) -> &str {
    let h = host.trim();
    let h = h.find('[').map_or(h, |i| &h[..i]);
    h.trim_end_matches('.')
}

/// `host` is `suffix` or ends with `.suffix` (ASCII case-insensitive).
fn ends_with_label(host: &str, suffix: &str) -> bool {
    let (h, s) = (host.as_bytes(), suffix.as_bytes());
    if h.len() < s.len() || !h[h.len() - s.len()..].eq_ignore_ascii_case(s) {
        return false;
    }
    h.len() == s.len() || h[h.len() - s.len() - 1] == b'.'
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
    fn odd_input() {
        assert_eq!(by_host("ü.google.com"), Some("google"));
        assert_eq!(by_host("."), None);
        assert_eq!(by_domain("ü"), None);
    }
}
