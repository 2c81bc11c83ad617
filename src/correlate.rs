//! Correlation: each delivery gets the sender, SASL user and client IP of
//! its queue id, from the nearest earlier metadata line of the same host
//! (by timestamp, an equal one included; queue ids repeat over time, so
//! "nearest earlier" matters). A value on the delivery line itself wins.
//!
//! This is the one sequential stage of a run. The chunks of a block come
//! in input order; the block's metadata is added first, so a delivery
//! logged a line before its metadata (same second) still finds it. A hash
//! map keyed by [`queue_key`](crate::batch::queue_key) holds the metadata
//! carried from block to block, pruned after each block to the latest
//! entry per queue id, dropped once the queue id is removed from the queue,
//! and in any case after a week. What is carried is thus about the size of
//! the active queue, not of the log.
//!
//! Strings that the sequential stage keeps (senders, client IPs, SASL
//! users, domains, sending IPs) are interned once in [`Names`] by their
//! 64-bit hash and referred to by a `u32` id from then on.

use crate::batch::{Chunk, Dlv, Str};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Metadata older than this (relative to the newest seen) is dropped.
const CARRY_MS: i64 = 7 * 86_400_000;

/// A hasher for keys that are already uniform 64-bit hashes.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // not used by u64 keys; a plain fold keeps it correct for others
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by a hash.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// Strings interned by hash: an id per distinct value.
#[derive(Default)]
pub struct Names {
    ids: HashKeyed<u32>,
    names: Vec<Box<str>>,
}

impl Names {
    /// The id of a (hashed) string of `chunk`.
    pub fn intern(&mut self, chunk: &Chunk, s: Str) -> u32 {
        let names = &mut self.names;
        *self.ids.entry(s.hash).or_insert_with(|| {
            names.push(chunk.str(s).into());
            names.len() as u32 - 1
        })
    }

    pub fn get(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// One metadata line: its time and up to two interned values
/// ([`NONE`] for none; 16 bytes, so a queue id's slot stays small).
#[derive(Debug, Clone, Copy)]
struct Entry {
    ts: i64,
    a: u32,
    b: u32,
}

/// No value in an [`Entry`] field.
const NONE: u32 = u32::MAX;

fn opt(id: u32) -> Option<u32> {
    (id != NONE).then_some(id)
}

/// The entries of one kind of one queue id (almost always one).
type Entries = SmallVec<[Entry; 1]>;

/// What is known of one queue id: its sender lines (`a` = sender) and its
/// client lines (`a` = client IP, `b` = SASL user). One map lookup per
/// delivery finds both.
#[derive(Debug, Default)]
struct Slot {
    senders: Entries,
    clients: Entries,
}

/// The latest entry with `ts <= at` (the later line on a tie).
fn as_of(entries: &[Entry], at: i64) -> Option<Entry> {
    let mut best: Option<Entry> = None;
    for e in entries {
        if e.ts <= at && best.is_none_or(|b| e.ts >= b.ts) {
            best = Some(*e);
        }
    }
    best
}

/// What correlation found for a delivery: ids in [`Names`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resolved {
    pub sender: Option<u32>,
    pub client_ip: Option<u32>,
    pub sasl_user: Option<u32>,
}

/// Joins blocks of deliveries with the metadata seen so far.
#[derive(Default)]
pub struct Correlator {
    pub names: Names,
    slots: FxHashMap<u64, Slot>,
    newest: Option<i64>,
}

impl Correlator {
    /// Correlate the deliveries of one block (its chunks in input order),
    /// calling `each` for every delivery in input order; then prune what
    /// is carried to the next block.
    pub fn block(
        &mut self,
        chunks: &[Chunk],
        mut each: impl FnMut(&Chunk, &Dlv, Resolved, &mut Names),
    ) {
        // a queue id has about two metadata lines (sender, client)
        let metas: usize = chunks.iter().map(|c| c.metas.len()).sum();
        self.slots.reserve(metas / 2);
        for c in chunks {
            for m in &c.metas {
                self.newest = Some(self.newest.map_or(m.ts, |n| n.max(m.ts)));
                let has_client = m.client_ip.is_some() || m.sasl_user.is_some();
                if m.sender.is_none() && !has_client {
                    continue;
                }
                let mut intern = |s: Option<Str>| s.map_or(NONE, |s| self.names.intern(c, s));
                let (sender, client_ip, sasl_user) =
                    (intern(m.sender), intern(m.client_ip), intern(m.sasl_user));
                let slot = self.slots.entry(m.qkey).or_default();
                if sender != NONE {
                    slot.senders.push(Entry {
                        ts: m.ts,
                        a: sender,
                        b: NONE,
                    });
                }
                if has_client {
                    slot.clients.push(Entry {
                        ts: m.ts,
                        a: client_ip,
                        b: sasl_user,
                    });
                }
            }
        }
        for c in chunks {
            for d in &c.deliveries {
                let (mut meta_sender, mut meta_client) = (None, None);
                if let Some(slot) = d.qkey.and_then(|k| self.slots.get(&k)) {
                    meta_sender = as_of(&slot.senders, d.ts);
                    meta_client = as_of(&slot.clients, d.ts);
                }
                let names = &mut self.names;
                let mut own = |s: Option<Str>| s.map(|s| names.intern(c, s));
                let r = Resolved {
                    sender: own(d.sender).or(meta_sender.and_then(|e| opt(e.a))),
                    client_ip: own(d.client_ip).or(meta_client.and_then(|e| opt(e.a))),
                    sasl_user: own(d.sasl_user).or(meta_client.and_then(|e| opt(e.b))),
                };
                each(c, d, r, &mut self.names);
            }
        }
        self.prune(chunks);
    }

    /// Keep the latest entry per queue id, unless it is older than a week
    /// before the newest or its queue id was removed at or after it.
    fn prune(&mut self, chunks: &[Chunk]) {
        let mut removed: FxHashMap<u64, i64> = FxHashMap::default();
        for c in chunks {
            for &(ts, k) in &c.removed {
                let r = removed.entry(k).or_insert(ts);
                *r = (*r).max(ts);
            }
        }
        let oldest = self.newest.unwrap_or(i64::MIN / 2) - CARRY_MS;
        self.slots.retain(|k, slot| {
            let gone = removed.get(k).copied();
            for v in [&mut slot.senders, &mut slot.clients] {
                let Some(mut best) = v.first().copied() else {
                    continue;
                };
                for e in &v[1..] {
                    if e.ts >= best.ts {
                        best = *e;
                    }
                }
                v.clear();
                if best.ts >= oldest && gone.is_none_or(|r| r < best.ts) {
                    v.push(best);
                }
            }
            !(slot.senders.is_empty() && slot.clients.is_empty())
        });
    }

    /// Queue ids carried to the next block (with senders, with clients).
    #[cfg(test)]
    fn carried(&self) -> (usize, usize) {
        let n = |f: fn(&Slot) -> bool| self.slots.values().filter(|s| f(s)).count();
        (n(|s| !s.senders.is_empty()), n(|s| !s.clients.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::parse_chunk;
    use crate::parse::{Format, LineCtx};

    /// (recipient domain, sender, client IP) per delivery.
    type Found = Vec<(String, Option<String>, Option<String>)>;

    fn run(blocks: &[&str]) -> (Found, (usize, usize)) {
        let ctx = LineCtx::default();
        let mut corr = Correlator::default();
        let mut out = Vec::new();
        for b in blocks {
            let chunk = parse_chunk(b.as_bytes(), Format::Postfix, &ctx);
            corr.block(std::slice::from_ref(&chunk), |c, d, r, n| {
                out.push((
                    c.str(d.domain).to_owned(),
                    r.sender.map(|i| n.get(i).to_owned()),
                    r.client_ip.map(|i| n.get(i).to_owned()),
                ));
            });
        }
        (out, corr.carried())
    }

    const FROM: &str = "Mar  3 10:00:00 mx1 postfix/qmgr[2]: ABCDE12345: from=<a@ours.example>, size=1, nrcpt=1 (queue active)\n";
    const CLIENT: &str = "Mar  3 10:00:00 mx1 postfix/smtpd[3]: ABCDE12345: client=c[198.51.100.7], sasl_method=PLAIN, sasl_username=a\n";
    const TO: &str = "Mar  3 10:00:01 mx1 postfix/smtp[4]: ABCDE12345: to=<b@x.example>, relay=mx[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n";
    const GONE: &str = "Mar  3 10:00:02 mx1 postfix/qmgr[2]: ABCDE12345: removed\n";

    #[test]
    fn metadata_is_found_within_and_across_blocks_until_removed() {
        let (out, carried) = run(&[&format!("{FROM}{CLIENT}"), TO, GONE, TO]);
        assert_eq!(out.len(), 2);
        let want = (
            "x.example".to_owned(),
            Some("a@ours.example".to_owned()),
            Some("198.51.100.7".to_owned()),
        );
        assert_eq!(out[0], want);
        assert_eq!(out[1], ("x.example".to_owned(), None, None));
        assert_eq!(carried, (0, 0));
    }

    #[test]
    fn a_delivery_logged_before_its_metadata_in_the_same_second_finds_it() {
        let late = TO.replace("10:00:01", "10:00:00");
        let (out, _) = run(&[&format!("{late}{FROM}")]);
        assert_eq!(out[0].1.as_deref(), Some("a@ours.example"));
        // but metadata from after the delivery is not used
        let (out, _) = run(&[&format!("{TO}{}", FROM.replace("10:00:00", "10:00:05"))]);
        assert_eq!(out[0].1, None);
    }

    #[test]
    fn a_reused_queue_id_takes_the_nearest_earlier_sender() {
        let later = FROM
            .replace("10:00:00", "11:00:00")
            .replace("a@ours", "z@ours");
        let to_later = TO.replace("10:00:01", "11:00:01");
        let (out, carried) = run(&[&format!("{FROM}{later}{TO}{to_later}")]);
        assert_eq!(out[0].1.as_deref(), Some("a@ours.example"));
        assert_eq!(out[1].1.as_deref(), Some("z@ours.example"));
        assert_eq!(carried, (1, 0));
    }

    #[test]
    fn metadata_older_than_a_week_is_dropped() {
        let week_later = "Mar 11 10:00:00 mx1 postfix/qmgr[2]: FFFFF12345: from=<q@ours.example>, size=1, nrcpt=1 (queue active)\n";
        let (out, carried) = run(&[FROM, week_later, &TO.replace("Mar  3", "Mar 11")]);
        assert_eq!(out[0].1, None);
        assert_eq!(carried, (1, 0));
    }
}
