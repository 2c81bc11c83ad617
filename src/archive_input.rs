//! Bounce archives as pipeline input: the messages of an mbox or `.eml`
//! (plain or gzip) -> bounce records -> the same chunks as log
//! lines, with `message_index` in place of `line_no`.

use crate::batch::Chunk;
use crate::dsn::{self, Archive, ArchiveKind, MessageKind};
use crate::record::Delivery;
use rayon::prelude::*;

/// Messages parsed in parallel per group.
const GROUP: usize = 512;

/// Count one message and push its failed recipients.
fn push_message(b: &mut Chunk, index: u64, kind: &MessageKind) {
    b.counts.lines += 1;
    match kind {
        MessageKind::Bounce(records) => {
            for r in records {
                // the remote's own words about our IP beat the Received headers
                let header_ip = crate::classify::sending_ip(&r.diagnostic)
                    .is_none()
                    .then_some(r.sending_ip.as_deref())
                    .flatten();
                let d = Delivery {
                    ts: r.ts_ms.unwrap_or(0),
                    host: r.reporting_mta.as_deref().unwrap_or(""),
                    queue_id: None,
                    recipient: &r.recipient,
                    outcome: Some(r.outcome),
                    remote_host: r.remote_mta.as_deref(),
                    remote_ip: r.remote_ip.as_deref(),
                    dsn: r.status.as_deref(),
                    diagnostic: &r.diagnostic,
                    sending_ip: header_ip,
                    client_ip: None,
                    sender: r.original_sender.as_deref(),
                    sasl_user: None,
                };
                b.record(&crate::record::Record::Delivery(d), index);
            }
        }
        MessageKind::AutoReply => b.counts.auto_replies += 1,
        MessageKind::FeedbackReport => b.counts.feedback_reports += 1,
        MessageKind::NotABounce => b.counts.not_bounces += 1,
        MessageKind::Unrecognized | MessageKind::Empty => b.counts.unparsed += 1,
    }
}

/// Feed the messages of an archive to `f` in batches; returns the decoded
/// length and why reading stopped early (a damaged gzip), if it did.
pub fn for_each_batch<E>(
    content: &[u8],
    kind: ArchiveKind,
    mut f: impl FnMut(Chunk) -> Result<(), E>,
) -> Result<(u64, Option<String>), E> {
    let archive = Archive::open(content, Some(kind));
    let mut messages = archive.messages().peekable();
    while messages.peek().is_some() {
        let group: Vec<_> = messages.by_ref().take(GROUP).collect();
        let parsed: Vec<(u64, MessageKind)> = group
            .par_iter()
            .map(|(i, m)| (*i, dsn::parse_message(m)))
            .collect();
        // about one failed recipient and a few hundred bytes of text each
        let mut b = Chunk::new(parsed.len() * 600);
        for (i, kind) in &parsed {
            push_message(&mut b, *i, kind);
        }
        f(b)?;
    }
    Ok((archive.content().len() as u64, archive.error.clone()))
}
