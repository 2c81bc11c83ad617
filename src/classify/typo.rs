//! Suggested domain for a misspelt recipient domain (`gmial.com` ->
//! `gmail.com`), the `suggested_domain` column.
//!
//! In: a recipient domain. Out: the common domain within a small
//! Damerau-Levenshtein (optimal string alignment) distance, if any. Only
//! called for `bad_domain` / `bad_address` failures, so it can afford a scan
//! of a short list.

/// Common recipient domains, most used first (ties go to the first).
pub const COMMON_DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "aol.com",
    "icloud.com",
    "live.com",
    "msn.com",
    "comcast.net",
    "att.net",
    "verizon.net",
    "sbcglobal.net",
    "bellsouth.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "me.com",
    "mac.com",
    "googlemail.com",
    "ymail.com",
    "rocketmail.com",
    "protonmail.com",
    "proton.me",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "zoho.com",
    "fastmail.com",
    "yahoo.co.uk",
    "hotmail.co.uk",
    "btinternet.com",
    "yahoo.fr",
    "hotmail.fr",
    "orange.fr",
    "free.fr",
    "wanadoo.fr",
    "laposte.net",
    "t-online.de",
    "libero.it",
    "qq.com",
    "163.com",
    "naver.com",
];

/// Domains longer than this may be up to 2 edits away; shorter ones 1.
const SHORT: usize = 8;

/// Character-set signatures of [`COMMON_DOMAINS`], for a cheap lower bound.
static SIGNATURES: [u64; COMMON_DOMAINS.len()] = signatures();

/// The common domain `domain` is probably a typo of.
pub fn suggest(domain: &str) -> Option<&'static str> {
    let d = domain.trim().trim_end_matches('.').as_bytes();
    if d.is_empty()
        || d.len() > 64
        || COMMON_DOMAINS
            .iter()
            .any(|c| c.as_bytes().eq_ignore_ascii_case(d))
    {
        return None;
    }
    let sig = signature(d);
    let mut best: Option<(usize, &'static str)> = None;
    for (c, &csig) in COMMON_DOMAINS.iter().zip(&SIGNATURES) {
        let max = if c.len() <= SHORT { 1 } else { 2 };
        // Every character of one missing from the other costs an edit.
        let missing = (sig & !csig).count_ones().max((csig & !sig).count_ones()) as usize;
        if c.len().abs_diff(d.len()) > max || missing > max {
            continue;
        }
        let dist = osa_distance(d, c.as_bytes(), max);
        if dist <= max && best.is_none_or(|(b, _)| dist < b) {
            best = Some((dist, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The candidate `domain` is probably a typo of, with the same distance
/// limits as [`suggest`]: the nearest within them, the first of equals
/// (so order candidates by preference). Used with the domains we deliver
/// to (`shcool.org` -> `school.org`), which no fixed list knows.
pub fn nearest<'a>(domain: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let d = domain.trim().trim_end_matches('.').as_bytes();
    if d.is_empty() || d.len() > 64 {
        return None;
    }
    let sig = signature(d);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let max = if c.len() <= SHORT { 1 } else { 2 };
        let csig = signature(c.as_bytes());
        let missing = (sig & !csig).count_ones().max((csig & !sig).count_ones()) as usize;
        if c.len().abs_diff(d.len()) > max || missing > max {
            continue;
        }
        let dist = osa_distance(d, c.as_bytes(), max);
        if dist == 0 {
            return None;
        }
        if dist <= max && best.is_none_or(|(b, _)| dist < b) {
            best = Some((dist, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Set of (case-folded) bytes, folded into 64 bits. Collisions only weaken
/// the bound, never break it.
const fn signature(s: &[u8]) -> u64 {
    let mut sig = 0u64;
    let mut i = 0;
    while i < s.len() {
        sig |= 1 << (s[i].to_ascii_lowercase() % 64);
        i += 1;
    }
    sig
}

const fn signatures() -> [u64; COMMON_DOMAINS.len()] {
    let mut out = [0u64; COMMON_DOMAINS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = signature(COMMON_DOMAINS[i].as_bytes());
        i += 1;
    }
    out
}

/// Optimal string alignment distance (Damerau-Levenshtein where a
/// transposition counts as one edit), ASCII case-insensitive. Stops early
/// once every cell of a row exceeds `max` (then returns `max + 1`). Inputs
/// are at most 64 bytes, so three rows on the stack do.
fn osa_distance(a: &[u8], b: &[u8], max: usize) -> usize {
    const N: usize = 66;
    if a.len() >= N || b.len() >= N {
        return usize::MAX;
    }
    // Distances stay below N, so bytes do; rows are swapped, not copied.
    let (mut r0, mut r1, mut r2) = ([0u8; N], [0u8; N], [0u8; N]);
    for (j, p) in r1.iter_mut().enumerate().take(b.len() + 1) {
        *p = j as u8;
    }
    for i in 1..=a.len() {
        // r0: row i-2, r1: row i-1, r2: row i.
        r2[0] = i as u8;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = u8::from(!a[i - 1].eq_ignore_ascii_case(&b[j - 1]));
            let mut v = (r1[j] + 1).min(r2[j - 1] + 1).min(r1[j - 1] + cost);
            let swapped = i > 1
                && j > 1
                && a[i - 1].eq_ignore_ascii_case(&b[j - 2])
                && a[i - 2].eq_ignore_ascii_case(&b[j - 1]);
            if swapped {
                v = v.min(r0[j - 2] + 1);
            }
            r2[j] = v;
            row_min = row_min.min(usize::from(v));
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut r0, &mut r1);
        std::mem::swap(&mut r1, &mut r2);
    }
    usize::from(r1[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_typos() {
        let cases = [
            ("gmial.com", "gmail.com"),
            ("gamil.com", "gmail.com"),
            ("gmal.com", "gmail.com"),
            ("gmail.co", "gmail.com"),
            ("gmail.con", "gmail.com"),
            ("hotmial.com", "hotmail.com"),
            ("hotmal.com", "hotmail.com"),
            ("yaho.com", "yahoo.com"),
            ("yahooo.com", "yahoo.com"),
            ("outlok.com", "outlook.com"),
            ("aol.con", "aol.com"),
            ("iclod.com", "icloud.com"),
            ("comcast.ent", "comcast.net"),
            ("GMIAL.COM", "gmail.com"),
        ];
        for (typo, want) in cases {
            assert_eq!(suggest(typo), Some(want), "{typo}");
        }
    }

    #[test]
    fn no_suggestion_for_real_or_distant_domains() {
        for d in [
            "gmail.com",
            "me.com",
            "mail.com",
            "example.org",
            "",
            "g.com",
            "ao.co",
            "company.net",
        ] {
            assert_eq!(suggest(d), None, "{d}");
        }
    }

    #[test]
    fn nearest_of_our_own_domains() {
        let ours = ["example.org", "school.org", "city.gov"];
        assert_eq!(nearest("shcool.org", ours), Some("school.org"));
        assert_eq!(nearest("exmaple.org", ours), Some("example.org"));
        assert_eq!(nearest("school.org", ours), None);
        assert_eq!(nearest("acme.com", ours), None);
        // not a common provider: only found among the domains we deliver to
        assert_eq!(suggest("shcool.org"), None);
    }

    #[test]
    fn distance() {
        assert_eq!(osa_distance(b"gmial", b"gmail", 9), 1);
        assert_eq!(osa_distance(b"abc", b"abc", 9), 0);
        assert_eq!(osa_distance(b"", b"abc", 9), 3);
        assert_eq!(osa_distance(b"kitten", b"sitting", 9), 3);
        assert_eq!(osa_distance(b"ca", b"abc", 9), 3);
        assert_eq!(osa_distance(b"example", b"gmail", 2), 3);
    }

    #[test]
    fn odd_input() {
        assert_eq!(suggest(&"a".repeat(1000)), None);
        assert_eq!(suggest("日本.jp"), None);
        let _ = (suggest("ümail.com"), suggest("gmäil.com"));
    }
}
