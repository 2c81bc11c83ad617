//! Aggregates: per period × key × outcome × cause counts, with `sent`
//! included so rates can be computed.
//!
//! Counting happens in plain hash maps as blocks stream by: attempts are
//! summed, and distinct recipients / senders / client IPs are kept as sets
//! of 64-bit hashes per aggregate row. Memory grows with the distinct
//! (row, recipient) pairs of one input, not with its lines, and the
//! distinct counts are exact for that input.

use polars::prelude::*;
use std::collections::{HashMap as StdMap, HashSet as StdSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Multiply-rotate hasher (FxHash's scheme): the keys here are small
/// integers and already-hashed u64s, for which SipHash is wasted work.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type HashMap<K, V> = StdMap<K, V, BuildHasherDefault<Fx>>;
type HashSet<K> = StdSet<K, BuildHasherDefault<Fx>>;
use xxhash_rust::xxh3::xxh3_64;

/// Aggregation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Period {
    Hour,
    Day,
}

impl Period {
    pub const fn millis(self) -> i64 {
        match self {
            Period::Hour => 3_600_000,
            Period::Day => 86_400_000,
        }
    }
    pub const fn as_str(self) -> &'static str {
        match self {
            Period::Hour => "hour",
            Period::Day => "day",
        }
    }
}

/// Interned strings: an id per distinct value.
#[derive(Default)]
struct Interner {
    ids: StdMap<String, u32, BuildHasherDefault<Fx>>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return u32::MAX };
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.to_owned());
        self.ids.insert(s.to_owned(), id);
        id
    }
    fn name(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(String::as_str)
    }
}

/// (period start, key ids…, outcome id, cause id); u32::MAX is null.
type Key = (i64, [u32; 2], u32, u32);

#[derive(Default)]
struct Counts {
    attempts: u64,
    recipients: HashSet<u64>,
    senders: HashSet<u64>,
    client_ips: HashSet<u64>,
}

impl Counts {
    fn add(&mut self, rcpt: Option<u64>, sender: Option<u64>, client: Option<u64>, clients: bool) {
        self.attempts += 1;
        if let Some(h) = rcpt {
            self.recipients.insert(h);
        }
        if let Some(h) = sender {
            self.senders.insert(h);
        }
        if let (true, Some(h)) = (clients, client) {
            self.client_ips.insert(h);
        }
    }
}

/// Accumulates the aggregate tables of one input.
pub struct Aggregator {
    period: Period,
    strings: Interner,
    by_domain: HashMap<Key, Counts>,
    by_sending_ip: HashMap<Key, Counts>,
    by_sender: HashMap<Key, Counts>,
}

/// A string column as a vector (random access into a many-chunked array
/// is slow; one pass over it is not).
fn strs<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(df.column(name)?.str()?.iter().collect())
}

impl Aggregator {
    pub fn new(period: Period) -> Self {
        Aggregator {
            period,
            strings: Interner::default(),
            by_domain: HashMap::default(),
            by_sending_ip: HashMap::default(),
            by_sender: HashMap::default(),
        }
    }

    /// Count the correlated deliveries of one block (sent ones included).
    pub fn add(&mut self, d: &DataFrame) -> PolarsResult<()> {
        let p = self.period.millis();
        let ts: Vec<Option<i64>> = d.column("ts")?.i64()?.iter().collect();
        let (domain, rcpt, sender) = (
            strs(d, "recipient_domain")?,
            strs(d, "recipient")?,
            strs(d, "sender")?,
        );
        let (sasl, client) = (strs(d, "sasl_user")?, strs(d, "client_ip")?);
        let (sip, provider) = (strs(d, "sending_ip")?, strs(d, "provider")?);
        let (outcome, cause) = (strs(d, "outcome")?, strs(d, "cause")?);
        for i in 0..d.height() {
            let period = ts[i].unwrap_or(0).div_euclid(p) * p;
            let s = &mut self.strings;
            let o = s.id(outcome[i]);
            let c = s.id(cause[i]);
            let (r, snd, cl) = (rcpt[i], sender[i], client[i]);
            let rh = r.map(|x| xxh3_64(x.as_bytes()));
            let sh = snd.map(|x| xxh3_64(x.as_bytes()));
            let ch = cl.map(|x| xxh3_64(x.as_bytes()));
            let dom = s.id(domain[i]);
            self.by_domain
                .entry((period, [dom, u32::MAX], o, c))
                .or_default()
                .add(rh, sh, ch, false);
            let ip = s.id(sip[i]);
            let prov = s.id(provider[i]);
            self.by_sending_ip
                .entry((period, [ip, prov], o, c))
                .or_default()
                .add(rh, sh, ch, false);
            let (account, kind) = match (sasl[i], snd) {
                (Some(u), _) => (Some(u), Some("sasl")),
                (None, Some(e)) => (Some(e), Some("envelope")),
                (None, None) => (None, None),
            };
            let acc = s.id(account);
            let kind = s.id(kind);
            self.by_sender
                .entry((period, [acc, kind], o, c))
                .or_default()
                .add(rh, sh, ch, true);
        }
        Ok(())
    }

    fn frame(
        &self,
        map: &HashMap<Key, Counts>,
        keys: [&str; 2],
        clients: bool,
    ) -> PolarsResult<DataFrame> {
        let mut rows: Vec<(&Key, &Counts)> = map.iter().collect();
        let name = |id: u32| self.strings.name(id);
        rows.sort_by(|a, b| {
            let ka = (
                a.0 .0,
                name(a.0 .1[0]),
                name(a.0 .1[1]),
                name(a.0 .2),
                name(a.0 .3),
            );
            let kb = (
                b.0 .0,
                name(b.0 .1[0]),
                name(b.0 .1[1]),
                name(b.0 .2),
                name(b.0 .3),
            );
            ka.cmp(&kb)
        });
        let col_of = |f: &dyn Fn(&Key) -> u32, n: &str| {
            Column::new(
                n.into(),
                rows.iter().map(|(k, _)| name(f(k))).collect::<Vec<_>>(),
            )
        };
        let count = |f: &dyn Fn(&Counts) -> u64, n: &str| {
            Column::new(
                n.into(),
                rows.iter().map(|(_, c)| f(c)).collect::<Vec<u64>>(),
            )
        };
        let mut cols = vec![
            Column::new(
                "period_start".into(),
                rows.iter().map(|(k, _)| k.0).collect::<Vec<i64>>(),
            ),
            col_of(&|k| k.1[0], keys[0]),
        ];
        if !keys[1].is_empty() {
            cols.push(col_of(&|k| k.1[1], keys[1]));
        }
        cols.extend([
            col_of(&|k| k.2, "outcome"),
            col_of(&|k| k.3, "cause"),
            count(&|c| c.attempts, "attempts"),
            count(&|c| c.recipients.len() as u64, "recipients"),
            count(&|c| c.senders.len() as u64, "senders"),
        ]);
        if clients {
            cols.push(count(&|c| c.client_ips.len() as u64, "client_ips"));
        }
        let df = DataFrame::new(rows.len(), cols)?;
        let utc = DataType::Datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC));
        let mut front = vec![
            col("period_start")
                .cast(utc.clone())
                .dt()
                .date()
                .alias("date"),
            col("period_start").cast(utc),
            lit(self.period.as_str()).alias("period"),
        ];
        front.push(all().exclude_cols(["period_start"]).as_expr());
        df.lazy().select(front).collect()
    }

    /// The aggregate tables: (name, frame) with `date` and `period_start`.
    pub fn finish(self) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        if self.by_domain.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![
            (
                "by_domain",
                self.frame(&self.by_domain, ["recipient_domain", ""], false)?,
            ),
            (
                "by_sending_ip",
                self.frame(&self.by_sending_ip, ["sending_ip", "provider"], false)?,
            ),
            (
                "by_sender",
                self.frame(&self.by_sender, ["account", "account_kind"], true)?,
            ),
        ])
    }
}
