//! Redaction of mail addresses for `--redact`: the local part of an address
//! becomes a keyed hash, the domain stays, so analysts can still count
//! distinct mailboxes per domain without seeing who they are.
//!
//! In: a key spec (`env:NAME` or `file:PATH`; the key itself is never on the
//! command line, where `ps` and shell history would show it) and addresses.
//! Out: `hex(HMAC-SHA-256(key, lowercase(local)))[..16] + "@domain"`.
//! A keyed hash, not a plain one: without the key, nobody can hash a list of
//! likely addresses and match them against the tables.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::path::PathBuf;

/// Shortest key accepted, in bytes.
pub const MIN_KEY_LEN: usize = 16;
/// Hex digits of the hash kept (64 bits: collisions are negligible at the
/// scale of one mail system's recipients).
const HASH_HEX_LEN: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum RedactError {
    // the spec is not echoed: it may be a key pasted by mistake
    #[error(
        "redaction key must be named as env:NAME or file:PATH, never given on the command line"
    )]
    BadSpec,
    #[error("redaction key: environment variable {0} is not set")]
    MissingEnv(String),
    #[error("redaction key: cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("redaction key from {from} is {len} bytes; at least {MIN_KEY_LEN} are required")]
    TooShort { from: String, len: usize },
}

/// Turns addresses into their redacted form with one secret key.
#[derive(Clone)]
pub struct Redactor {
    key: Vec<u8>,
}

impl std::fmt::Debug for Redactor {
    // never print the key
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor").finish_non_exhaustive()
    }
}

impl Redactor {
    /// A redactor with this key (at least [`MIN_KEY_LEN`] bytes).
    pub fn new(key: Vec<u8>) -> Result<Redactor, RedactError> {
        Redactor::checked(key, "the given key".to_string())
    }

    /// Load the key from `env:NAME` (the variable's bytes, as they are) or
    /// `file:PATH` (the file's bytes, trailing newline and spaces removed so
    /// `echo secret > key` works).
    pub fn from_env_or_file(spec: &str) -> Result<Redactor, RedactError> {
        if let Some(name) = spec.strip_prefix("env:").filter(|n| !n.is_empty()) {
            let value =
                std::env::var_os(name).ok_or_else(|| RedactError::MissingEnv(name.to_string()))?;
            let key = value.into_encoded_bytes();
            return Redactor::checked(key, format!("environment variable {name}"));
        }
        if let Some(path) = spec.strip_prefix("file:").filter(|p| !p.is_empty()) {
            let mut key = std::fs::read(path).map_err(|source| RedactError::Read {
                path: PathBuf::from(path),
                source,
            })?;
            let kept = key.trim_ascii_end().len();
            key.truncate(kept);
            return Redactor::checked(key, format!("file {path}"));
        }
        Err(RedactError::BadSpec)
    }

    fn checked(key: Vec<u8>, from: String) -> Result<Redactor, RedactError> {
        if key.len() < MIN_KEY_LEN {
            return Err(RedactError::TooShort {
                from,
                len: key.len(),
            });
        }
        Ok(Redactor { key })
    }

    /// `local@domain` -> `hash(local)@domain`; without an `@`, the hash of the
    /// whole string. The local part is lowercased first (mailboxes that
    /// differ only in case are counted as one); the domain is kept as is.
    pub fn address(&self, addr: &str) -> String {
        match addr.rsplit_once('@') {
            Some((local, domain)) => {
                let mut out = self.hash(local);
                out.push('@');
                out.push_str(domain);
                out
            }
            None => self.hash(addr),
        }
    }

    /// The first [`HASH_HEX_LEN`] hex digits of HMAC-SHA-256 of `lowercase(s)`.
    fn hash(&self, s: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(s.to_lowercase().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut hex = String::with_capacity(HASH_HEX_LEN + 32);
        for b in &digest[..HASH_HEX_LEN / 2] {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }

    /// `text` with every mail address in it (`local@domain.tld`, bracketed
    /// or not) redacted as by [`Redactor::address`]: remote servers quote
    /// the recipient in their reply ("<alice@example.com>: User unknown").
    pub fn text(&self, text: &str) -> String {
        address_pattern()
            .replace_all(text, |c: &regex::Captures<'_>| self.address(&c[0]))
            .into_owned()
    }
}

/// An address inside free text: a dot-atom local part, `@`, a dotted
/// domain. Deliberately wide (it is better to hash a little too much).
fn address_pattern() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
            .expect("valid pattern")
    })
}

/// The columns that name mailboxes, redacted in a correlated frame before
/// it reaches any table: addresses in `sender`, `recipient` and `sasl_user`
/// (a bare user name is hashed whole), and any address quoted in
/// `diagnostic`. Each distinct value is hashed once per frame.
#[cfg(feature = "engine")]
pub fn redact_frame(
    df: &polars::prelude::DataFrame,
    r: &Redactor,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    use std::collections::HashMap;
    let mut out = df.clone();
    for (name, whole) in [
        ("sender", true),
        ("recipient", true),
        ("sasl_user", true),
        ("diagnostic", false),
    ] {
        let Ok(column) = df.column(name) else {
            continue;
        };
        let mut seen: HashMap<&str, String> = HashMap::new();
        let ca: StringChunked = column
            .str()?
            .iter()
            .map(|v| {
                v.map(|v| {
                    seen.entry(v)
                        .or_insert_with(|| {
                            // the empty sender (<>, bounces) stays empty
                            if v.is_empty() {
                                String::new()
                            } else if whole {
                                r.address(v)
                            } else {
                                r.text(v)
                            }
                        })
                        .clone()
                })
            })
            .collect();
        out.with_column(ca.with_name(name.into()).into_column())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn redactor(key: &str) -> Redactor {
        Redactor::new(key.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn matches_the_rfc_4231_hmac_sha256_definition() {
        // RFC 4231 test case 2 ("Jefe" is too short for us, so build the
        // redactor directly): HMAC-SHA-256("Jefe", "what do ya want for nothing?")
        let r = Redactor {
            key: b"Jefe".to_vec(),
        };
        assert_eq!(r.hash("what do ya want for nothing?"), "5bdcc146bf60754e");
    }

    #[test]
    fn is_deterministic_and_keeps_the_domain() {
        let r = redactor("0123456789abcdef-secret");
        let a = r.address("alice@example.com");
        assert_eq!(a, r.address("alice@example.com"));
        assert_eq!(
            a,
            redactor("0123456789abcdef-secret").address("alice@example.com")
        );
        let (hash, domain) = a.split_once('@').unwrap();
        assert_eq!(domain, "example.com");
        assert_eq!(hash.len(), 16);
        assert!(hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert!(!a.contains("alice"));
    }

    #[test]
    fn depends_on_the_key() {
        let a = redactor("0123456789abcdef-one").address("alice@example.com");
        let b = redactor("0123456789abcdef-two").address("alice@example.com");
        assert_ne!(a, b);
    }

    #[test]
    fn lowercases_the_local_part_only() {
        let r = redactor("0123456789abcdef");
        assert_eq!(
            r.address("Alice@Example.COM"),
            format!("{}@Example.COM", r.hash("alice"))
        );
        assert_eq!(r.address("ALICE@x.org"), r.address("alice@x.org"));
    }

    #[test]
    fn distinct_local_parts_stay_distinct() {
        let r = redactor("0123456789abcdef");
        let locals: Vec<String> = (0..5000).map(|i| format!("user{i}")).collect();
        let hashed: HashSet<String> = locals
            .iter()
            .map(|l| r.address(&format!("{l}@d.com")))
            .collect();
        assert_eq!(hashed.len(), locals.len());
    }

    #[test]
    fn without_at_the_whole_string_is_hashed() {
        let r = redactor("0123456789abcdef");
        let h = r.address("MAILER-DAEMON");
        assert_eq!(h, r.hash("mailer-daemon"));
        assert!(!h.contains('@'));
        // the last '@' splits: a quoted local part may hold one
        assert!(r.address("\"a@b\"@c.org").ends_with("@c.org"));
    }

    #[test]
    fn key_from_env_and_file() {
        let name = "BOUNCELENS_REDACT_TEST_KEY_9f3a";
        std::env::set_var(name, "0123456789abcdef");
        let from_env = Redactor::from_env_or_file(&format!("env:{name}")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "0123456789abcdef\n").unwrap();
        let from_file = Redactor::from_env_or_file(&format!("file:{}", path.display())).unwrap();
        assert_eq!(
            from_env.address("bob@x.org"),
            from_file.address("bob@x.org")
        );
        std::env::remove_var(name);
    }

    #[test]
    fn missing_or_short_keys_and_bad_specs_are_errors() {
        let e = Redactor::from_env_or_file("env:BOUNCELENS_REDACT_TEST_UNSET_71c2").unwrap_err();
        assert!(matches!(e, RedactError::MissingEnv(_)), "{e}");
        let e = Redactor::from_env_or_file("file:/nonexistent/bouncelens/key").unwrap_err();
        assert!(matches!(e, RedactError::Read { .. }), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("short");
        std::fs::write(&path, "fifteen-bytes!!\n").unwrap();
        let e = Redactor::from_env_or_file(&format!("file:{}", path.display())).unwrap_err();
        assert!(matches!(e, RedactError::TooShort { len: 15, .. }), "{e}");
        for spec in ["0123456789abcdef0123", "env:", "file:", "key:abc"] {
            let e = Redactor::from_env_or_file(spec).unwrap_err();
            assert!(matches!(e, RedactError::BadSpec), "{spec}: {e}");
            assert!(!e.to_string().contains("0123"));
        }
    }

    #[test]
    fn addresses_inside_text_are_redacted_and_the_rest_kept() {
        let r = redactor("0123456789abcdef");
        let t = "host mx.example.com[192.0.2.1] said: 550 5.1.1 <Alice.B+tag@Example.com>: \
                 Recipient address rejected; also bob@x.org and no@domain";
        let got = r.text(t);
        assert!(got.contains(&format!("<{}>", r.address("Alice.B+tag@Example.com"))));
        assert!(got.contains(&r.address("bob@x.org")));
        assert!(!got.contains("Alice") && !got.contains("bob@"));
        // no dot in the domain: not an address, left alone; hosts and IPs stay
        assert!(got.contains("no@domain"));
        assert!(got.starts_with("host mx.example.com[192.0.2.1] said: 550 5.1.1 <"));
    }

    #[cfg(feature = "engine")]
    #[test]
    fn redact_frame_covers_the_address_columns_only() {
        use polars::prelude::*;
        let r = redactor("0123456789abcdef");
        let df = df!(
            "recipient" => [Some("carol@gmail.com"), None],
            "sender" => [Some(""), Some("bob@example.org")],
            "sasl_user" => [Some("alice"), None],
            "diagnostic" => [Some("550 <carol@gmail.com> unknown"), None],
            "recipient_domain" => ["gmail.com", "x.org"],
        )
        .unwrap();
        let got = redact_frame(&df, &r).unwrap();
        let s = |c: &str, i: usize| {
            got.column(c)
                .unwrap()
                .str()
                .unwrap()
                .get(i)
                .map(str::to_owned)
        };
        assert_eq!(s("recipient", 0), Some(r.address("carol@gmail.com")));
        assert_eq!(s("recipient", 1), None);
        assert_eq!(s("sender", 0), Some(String::new()));
        assert_eq!(s("sender", 1), Some(r.address("bob@example.org")));
        assert_eq!(s("sasl_user", 0), Some(r.address("alice")));
        assert_eq!(
            s("diagnostic", 0),
            Some(format!("550 <{}> unknown", r.address("carol@gmail.com")))
        );
        assert_eq!(s("recipient_domain", 0).as_deref(), Some("gmail.com"));
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let r = redactor("0123456789abcdef-very-secret");
        assert!(!format!("{r:?}").contains("secret"));
    }
}
