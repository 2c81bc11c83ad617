//! Aggregates: per period × key × outcome × cause counts, with `sent`
//! included so rates can be computed.
//!
//! Counting happens in hash maps as the sequential stage hands over each
//! correlated delivery: keys are interned ids ([`Names`]), attempts are
//! summed, and distinct recipients / senders / client IPs are kept as one
//! set of 64-bit (row, value) keys per table and period. A period's sets
//! are dropped once the input has moved [`RETIRE_AFTER_MS`] past the
//! period's end, so memory holds the distinct (row, recipient) pairs of the
//! last periods, not of the whole input. The distinct counts are exact for
//! records at most that far out of time order (a later straggler can count
//! a recipient of its row a second time; attempts are always exact).

use crate::batch::{Chunk, Dlv};
use crate::classify::Cause;
use crate::correlate::{Names, Resolved};
use crate::record::Outcome;
use crate::redact::Redactor;
use polars::prelude::*;
use rustc_hash::FxHashMap;

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

/// (period start, key ids…, outcome, cause); ids are table-specific.
type Key = (i64, [Option<u32>; 2], Outcome, Option<Cause>);

#[derive(Default)]
struct Row {
    attempts: u64,
    recipients: u64,
    senders: u64,
    client_ips: u64,
}

/// A key in 128 bits without loss (one cheap hash instead of one per
/// field): ids + 1 in 33 bits each (0 is none), outcome and cause in 8 bits
/// each, and the period number (start / period) in the top 46 bits.
fn pack(k: &Key, period_ms: i64) -> u128 {
    let id = |i: Option<u32>| u128::from(i.map_or(0, |i| u64::from(i) + 1));
    let cause = k.3.map_or(0, |c| c as u128 + 1);
    let n = (k.0.div_euclid(period_ms) as u128) & ((1 << 46) - 1);
    id(k.1[0]) | id(k.1[1]) << 33 | (k.2 as u128) << 66 | cause << 74 | n << 82
}

/// The splitmix64 finaliser: a bijection that spreads bits evenly.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A set of uniformly distributed 64-bit keys: open addressing, linear
/// probing, at most half full. Keys are inserted in batches with the slots
/// prefetched a few keys ahead, so the cache misses of a set larger than
/// the cache overlap instead of queueing one after another.
struct KeySet {
    slots: Vec<u64>,
    shift: u32,
    len: usize,
    /// 0 marks an empty slot; the key 0 itself is kept here.
    has_zero: bool,
}

impl Default for KeySet {
    fn default() -> Self {
        KeySet::with_slots(1 << 10)
    }
}

impl KeySet {
    /// An empty set of `slots` (a power of two) slots.
    fn with_slots(slots: usize) -> Self {
        KeySet {
            slots: vec![0; slots],
            shift: 64 - slots.trailing_zeros(),
            len: 0,
            has_zero: false,
        }
    }

    /// A set that holds no memory (a retired period's; it grows again if a
    /// straggler comes).
    fn empty() -> Self {
        KeySet::with_slots(2)
    }

    fn slot(&self, key: u64) -> usize {
        (key >> self.shift) as usize
    }

    fn prefetch(&self, _key: u64) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the slot index is below the length; a prefetch never faults
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let p = self.slots.as_ptr().add(self.slot(_key));
            _mm_prefetch::<_MM_HINT_T0>(p.cast());
        }
    }

    /// True when `key` was not in the set.
    fn insert(&mut self, key: u64) -> bool {
        if key == 0 {
            return !std::mem::replace(&mut self.has_zero, true);
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = key;
                    self.len += 1;
                    return true;
                }
                k if k == key => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let bigger = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        self.shift -= 1;
        self.len = 0;
        for k in old.into_iter().filter(|&k| k != 0) {
            self.insert(k);
        }
    }
}

/// What a pending distinct key counts towards.
#[derive(Clone, Copy)]
enum Distinct {
    Recipient,
    Sender,
    ClientIp,
}

/// A period's distinct sets are dropped once the newest record of the
/// input is this far past the period's end.
pub const RETIRE_AFTER_MS: i64 = 86_400_000;

/// Pending distinct keys are inserted this many at a time.
const PENDING: usize = 4096;

/// One aggregate table being counted.
#[derive(Default)]
struct Table {
    /// Row of each key, keyed by the key packed into 128 bits.
    index: FxHashMap<u128, u32>,
    keys: Vec<Key>,
    rows: Vec<Row>,
    /// (row, what, value) keys already counted as distinct, one set per
    /// period (smaller sets: less slack and a smaller peak when one grows).
    seen: Vec<KeySet>,
    seen_of_period: FxHashMap<i64, u32>,
    /// The set of each row.
    row_seen: Vec<u32>,
    pending: Vec<(u64, u32, Distinct)>,
}

impl Table {
    fn add(
        &mut self,
        key: Key,
        period_ms: i64,
        rcpt: u64,
        sender: Option<u32>,
        client: Option<u32>,
    ) {
        let next = self.rows.len() as u32;
        let row = *self.index.entry(pack(&key, period_ms)).or_insert(next);
        if row == next {
            let sets = self.seen.len() as u32;
            let set = *self.seen_of_period.entry(key.0).or_insert(sets);
            if set == sets {
                // a new period is about as busy as the one before: start
                // its set at that size rather than growing into it (each
                // doubling rehashes and takes fresh, zeroed pages)
                let live = self.seen_of_period.values();
                let slots = live
                    .filter_map(|&i| self.seen.get(i as usize))
                    .map(|k| k.slots.len())
                    .max();
                self.seen
                    .push(KeySet::with_slots(slots.unwrap_or(0).max(1 << 10)));
            }
            self.keys.push(key);
            self.rows.push(Row::default());
            self.row_seen.push(set);
        }
        self.rows[row as usize].attempts += 1;
        let base = u64::from(row) << 34;
        // an id and a row pack into 64 bits without loss; mix is a bijection
        let id_key = |what: u64, id: u32| mix(base | what << 32 | u64::from(id));
        self.pending
            .push((rcpt ^ mix(base | 3 << 32), row, Distinct::Recipient));
        if let Some(s) = sender {
            self.pending.push((id_key(1, s), row, Distinct::Sender));
        }
        if let Some(c) = client {
            self.pending.push((id_key(2, c), row, Distinct::ClientIp));
        }
        if self.pending.len() >= PENDING {
            self.flush();
        }
    }

    /// Drop the distinct sets of periods that started before `before`.
    fn retire(&mut self, before: i64) {
        if !self.seen_of_period.keys().any(|&p| p < before) {
            return;
        }
        self.flush();
        let seen = &mut self.seen;
        // a straggler's new row for a retired period starts a new set
        self.seen_of_period.retain(|&p, &mut set| {
            if p >= before {
                return true;
            }
            seen[set as usize] = KeySet::empty();
            false
        });
    }

    /// Count the pending distinct keys.
    fn flush(&mut self) {
        const AHEAD: usize = 8;
        let pending = std::mem::take(&mut self.pending);
        for (i, &(key, row, what)) in pending.iter().enumerate() {
            if let Some(&(next, next_row, _)) = pending.get(i + AHEAD) {
                self.seen[self.row_seen[next_row as usize] as usize].prefetch(next);
            }
            if self.seen[self.row_seen[row as usize] as usize].insert(key) {
                let r = &mut self.rows[row as usize];
                match what {
                    Distinct::Recipient => r.recipients += 1,
                    Distinct::Sender => r.senders += 1,
                    Distinct::ClientIp => r.client_ips += 1,
                }
            }
        }
        self.pending = pending;
        self.pending.clear();
    }
}

/// Accumulates the aggregate tables of one input.
pub struct Aggregator {
    period: Period,
    /// Providers (static names) get their own small ids.
    providers: Vec<&'static str>,
    by_domain: Table,
    by_sending_ip: Table,
    by_sender: Table,
    newest: i64,
}

const SASL: u32 = 0;
const ENVELOPE: u32 = 1;

impl Aggregator {
    pub fn new(period: Period) -> Self {
        Aggregator {
            period,
            providers: Vec::new(),
            by_domain: Table::default(),
            by_sending_ip: Table::default(),
            by_sender: Table::default(),
            newest: i64::MIN,
        }
    }

    fn provider_id(&mut self, p: &'static str) -> u32 {
        // the same static name is almost always the same pointer
        let same = |q: &&str| std::ptr::eq(q.as_ptr(), p.as_ptr()) && q.len() == p.len();
        if let Some(i) = self.providers.iter().position(same) {
            return i as u32;
        }
        match self.providers.iter().position(|&q| q == p) {
            Some(i) => i as u32,
            None => {
                self.providers.push(p);
                self.providers.len() as u32 - 1
            }
        }
    }

    /// Count one correlated delivery (sent ones included).
    pub fn add(&mut self, c: &Chunk, d: &Dlv, r: Resolved, names: &mut Names) {
        let p = self.period.millis();
        let period = d.ts.div_euclid(p) * p;
        self.newest = self.newest.max(d.ts);
        let (o, cause) = (d.outcome, d.cause);
        let dom = names.intern(c, d.domain);
        self.by_domain.add(
            (period, [Some(dom), None], o, cause),
            p,
            d.rcpt,
            r.sender,
            None,
        );
        let ip = d.sending_ip.map(|s| names.intern(c, s));
        let prov = d.provider.map(|p| self.provider_id(p));
        self.by_sending_ip
            .add((period, [ip, prov], o, cause), p, d.rcpt, r.sender, None);
        let account = match (r.sasl_user, r.sender) {
            (Some(u), _) => [Some(u), Some(SASL)],
            (None, Some(e)) => [Some(e), Some(ENVELOPE)],
            (None, None) => [None, None],
        };
        self.by_sender.add(
            (period, account, o, cause),
            p,
            d.rcpt,
            r.sender,
            r.client_ip,
        );
    }

    /// Drop the distinct sets of periods that ended more than
    /// [`RETIRE_AFTER_MS`] before the newest record (call between blocks).
    pub fn retire(&mut self) {
        let p = self.period.millis();
        let before = self.newest.saturating_sub(RETIRE_AFTER_MS + p);
        for t in [
            &mut self.by_domain,
            &mut self.by_sending_ip,
            &mut self.by_sender,
        ] {
            t.retire(before);
        }
    }

    /// One table as a frame, rows sorted by period and key names.
    fn frame(
        &self,
        t: &Table,
        keys: [&str; 2],
        name: &dyn Fn(usize, u32) -> String,
        clients: bool,
    ) -> PolarsResult<DataFrame> {
        let named: Vec<[Option<String>; 2]> = t
            .keys
            .iter()
            .map(|k| [k.1[0].map(|i| name(0, i)), k.1[1].map(|i| name(1, i))])
            .collect();
        let mut order: Vec<usize> = (0..t.keys.len()).collect();
        let sort_key = |i: usize| {
            let k = &t.keys[i];
            (
                k.0,
                named[i][0].as_deref(),
                named[i][1].as_deref(),
                k.2.as_str(),
                k.3.map(Cause::as_str),
            )
        };
        order.sort_by(|&a, &b| sort_key(a).cmp(&sort_key(b)));
        // aggregate rows are few: owned strings per cell are cheap here
        let strs = |f: &dyn Fn(usize) -> Option<String>, n: &str| {
            let v: Vec<Option<String>> = order.iter().map(|&i| f(i)).collect();
            Column::new(n.into(), v)
        };
        let count = |f: &dyn Fn(&Row) -> u64, n: &str| {
            Column::new(
                n.into(),
                order.iter().map(|&i| f(&t.rows[i])).collect::<Vec<u64>>(),
            )
        };
        let mut cols = vec![
            Column::new(
                "period_start".into(),
                order.iter().map(|&i| t.keys[i].0).collect::<Vec<i64>>(),
            ),
            strs(&|i| named[i][0].clone(), keys[0]),
        ];
        if !keys[1].is_empty() {
            cols.push(strs(&|i| named[i][1].clone(), keys[1]));
        }
        cols.extend([
            strs(&|i| Some(t.keys[i].2.as_str().to_owned()), "outcome"),
            strs(&|i| t.keys[i].3.map(|c| c.as_str().to_owned()), "cause"),
            count(&|r| r.attempts, "attempts"),
            count(&|r| r.recipients, "recipients"),
            count(&|r| r.senders, "senders"),
        ]);
        if clients {
            cols.push(count(&|r| r.client_ips, "client_ips"));
        }
        let df = DataFrame::new(order.len(), cols)?;
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
    /// With a redactor, account names (addresses) are hashed.
    pub fn finish(
        mut self,
        names: &Names,
        redact: Option<&Redactor>,
    ) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        for t in [
            &mut self.by_domain,
            &mut self.by_sending_ip,
            &mut self.by_sender,
        ] {
            t.flush();
        }
        if self.by_domain.rows.is_empty() {
            return Ok(Vec::new());
        }
        let plain = |_: usize, id: u32| names.get(id).to_owned();
        let provider = |slot: usize, id: u32| match slot {
            0 => names.get(id).to_owned(),
            _ => self.providers[id as usize].to_owned(),
        };
        let account = |slot: usize, id: u32| match slot {
            0 => {
                let a = names.get(id);
                match redact {
                    // the empty sender (<>, bounces) stays empty
                    Some(r) if !a.is_empty() => r.address(a),
                    _ => a.to_owned(),
                }
            }
            _ => if id == SASL { "sasl" } else { "envelope" }.to_owned(),
        };
        Ok(vec![
            (
                "by_domain",
                self.frame(&self.by_domain, ["recipient_domain", ""], &plain, false)?,
            ),
            (
                "by_sending_ip",
                self.frame(
                    &self.by_sending_ip,
                    ["sending_ip", "provider"],
                    &provider,
                    false,
                )?,
            ),
            (
                "by_sender",
                self.frame(&self.by_sender, ["account", "account_kind"], &account, true)?,
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::parse_chunk;
    use crate::parse::{Format, LineCtx, YearRule};
    use crate::pipeline::Stage;

    /// A sent delivery on March `day` to `rcpt`.
    fn sent(day: u32, n: u32, rcpt: &str) -> String {
        format!("Mar {day:2} 10:00:00 mx1 postfix/smtp[1]: ABCDE{n:05}: to=<{rcpt}>, relay=mx[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n")
    }

    /// (date, attempts, recipients) of `example.org` in `by_domain`, after
    /// handing each string to the stage as one block.
    fn by_day(blocks: &[String]) -> Vec<(i64, u64, u64)> {
        let ctx = LineCtx {
            year: YearRule::StartsIn {
                year: 2026,
                first_month: 3,
            },
            ..LineCtx::default()
        };
        let mut stage = Stage::new(Some(Period::Day));
        for b in blocks {
            let chunk = parse_chunk(b.as_bytes(), Format::Postfix, &ctx);
            stage.block(std::slice::from_ref(&chunk)).unwrap();
        }
        let tables = stage.finish(None).unwrap();
        let df = &tables.iter().find(|(n, _)| *n == "by_domain").unwrap().1;
        let starts = df
            .column("period_start")
            .unwrap()
            .cast(&DataType::Int64)
            .unwrap();
        let starts = starts.i64().unwrap();
        let attempts = df.column("attempts").unwrap().u64().unwrap();
        let recipients = df.column("recipients").unwrap().u64().unwrap();
        (0..df.height())
            .map(|i| {
                let day = starts.get(i).unwrap() / 86_400_000;
                (day, attempts.get(i).unwrap(), recipients.get(i).unwrap())
            })
            .collect()
    }

    #[test]
    fn distinct_recipients_are_exact_within_the_retirement_window() {
        let day1 = format!(
            "{}{}",
            sent(1, 1, "a@example.org"),
            sent(1, 2, "b@example.org")
        );
        // day 2, then a late day-1 line for a known recipient: still exact
        let late = format!(
            "{}{}",
            sent(2, 3, "a@example.org"),
            sent(1, 4, "a@example.org")
        );
        let got = by_day(&[day1.clone(), late]);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].1, got[0].2), (3, 2), "{got:?}");
        assert_eq!((got[1].1, got[1].2), (1, 1), "{got:?}");
        // day 3 ends day 1's window (its end + one day): a day-1 straggler
        // after that is counted as an attempt, and its recipient again
        let straggler = sent(1, 6, "a@example.org");
        let got = by_day(&[day1, sent(3, 5, "c@example.org"), straggler]);
        assert_eq!((got[0].1, got[0].2), (3, 3), "{got:?}");
        // retiring frees a period's set
        let mut agg = Aggregator::new(Period::Day);
        agg.newest = 3 * 86_400_000;
        agg.by_domain.seen_of_period.insert(0, 0);
        agg.by_domain.seen.push(KeySet::default());
        agg.retire();
        assert!(agg.by_domain.seen_of_period.is_empty());
        assert_eq!(agg.by_domain.seen[0].slots.len(), 2);
    }

    #[test]
    fn a_new_period_starts_at_the_size_of_the_live_ones() {
        let mut t = Table::default();
        let day = 86_400_000;
        let key = |p: i64, d: u32| (p * day, [Some(d), None], Outcome::Sent, None);
        for r in 0..5_000u64 {
            t.add(key(0, 1), day, mix(r + 1), None, None);
        }
        t.flush();
        let first = t.seen[0].slots.len();
        assert!(first >= 8 * 1024, "{first}");
        t.add(key(1, 1), day, 7, None, None);
        assert_eq!(t.seen.len(), 2);
        assert_eq!(t.seen[1].slots.len(), first);
        // and counts as before
        t.add(key(1, 1), day, 7, None, None);
        t.add(key(1, 1), day, 8, None, None);
        t.flush();
        let row = t.index[&pack(&key(1, 1), day)] as usize;
        assert_eq!((t.rows[row].attempts, t.rows[row].recipients), (3, 2));
    }

    #[test]
    fn keyset_counts_each_key_once_through_growth() {
        let mut set = KeySet::default();
        // mix(0) is 0: the key kept apart from the slots
        let keys: Vec<u64> = (1..=10_000u64).map(mix).chain([0, 0]).collect();
        let new = keys.iter().filter(|&&k| set.insert(k)).count();
        assert_eq!(new, 10_001);
        assert_eq!(keys.iter().filter(|&&k| set.insert(k)).count(), 0);
        assert!(set.slots.len() >= 2 * set.len);
    }
}
