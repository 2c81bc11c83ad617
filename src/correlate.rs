//! Correlation: each delivery gets the sender, SASL user and client IP of
//! its queue id, from the nearest earlier metadata line of the same host
//! (a polars as-of join on a 64-bit key of `mta_host` and `queue_id`;
//! queue ids repeat over time, so "nearest earlier" matters).
//!
//! Blocks of one input arrive in order; metadata is carried from block to
//! block, pruned to the latest row per queue id, dropped once the queue id
//! is removed from the queue, and in any case after a week. What is carried
//! is thus about the size of the active queue, not of the log.

use polars::prelude::*;

/// Metadata older than this (relative to the newest seen) is dropped.
const CARRY_MS: i64 = 7 * 86_400_000;

/// Joins blocks of deliveries with the metadata seen so far.
#[derive(Default)]
pub struct Correlator {
    senders: Option<DataFrame>,
    clients: Option<DataFrame>,
}

fn stack(carry: Option<DataFrame>, new: DataFrame) -> PolarsResult<DataFrame> {
    match carry {
        Some(mut c) => {
            c.vstack_mut(&new)?;
            Ok(c)
        }
        None => Ok(new),
    }
}

fn asof(left: LazyFrame, right: DataFrame) -> LazyFrame {
    let by: Vec<PlSmallStr> = vec!["qkey".into()];
    let sorted = SortMultipleOptions::default().with_maintain_order(true);
    left.join(
        right.lazy().sort(["ts"], sorted),
        [col("ts")],
        [col("ts")],
        JoinArgs::new(JoinType::AsOf(Box::new(AsOfOptions {
            strategy: AsofStrategy::Backward,
            left_by: Some(by.clone()),
            right_by: Some(by),
            allow_eq: true,
            ..Default::default()
        }))),
    )
}

/// Latest row per (host, queue id), no older than `CARRY_MS` before
/// `newest`, and not removed from the queue since.
fn prune(df: DataFrame, newest: i64, removed: &DataFrame) -> PolarsResult<DataFrame> {
    let keys = [col("qkey")];
    let last_removal = removed
        .clone()
        .lazy()
        .group_by(keys.clone())
        .agg([col("removed_ts").max()]);
    df.lazy()
        .join(
            last_removal,
            keys.clone(),
            keys,
            JoinArgs::new(JoinType::Left),
        )
        .filter(
            col("ts").gt_eq(lit(newest - CARRY_MS)).and(
                col("removed_ts")
                    .is_null()
                    .or(col("removed_ts").lt(col("ts"))),
            ),
        )
        .drop(cols(["removed_ts"]))
        .sort(
            ["ts"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .unique_stable(Some(cols(["qkey"])), UniqueKeepStrategy::Last)
        .collect()
}

impl Correlator {
    /// Join one block's deliveries with all metadata up to this block.
    /// The result has `sender`, `sasl_user`, `client_ip` (a value on the
    /// delivery line itself wins) and keeps line order.
    /// `removed` lists queue ids that left the queue in this block.
    pub fn join(
        &mut self,
        deliveries: DataFrame,
        meta: DataFrame,
        removed: &DataFrame,
    ) -> PolarsResult<DataFrame> {
        let new_senders = meta
            .clone()
            .lazy()
            .filter(col("sender").is_not_null())
            .select([col("ts"), col("qkey"), col("sender").alias("meta_sender")])
            .collect()?;
        let new_clients = meta
            .lazy()
            .filter(
                col("client_ip")
                    .is_not_null()
                    .or(col("sasl_user").is_not_null()),
            )
            .select([
                col("ts"),
                col("qkey"),
                col("client_ip").alias("meta_client_ip"),
                col("sasl_user").alias("meta_sasl_user"),
            ])
            .collect()?;
        let senders = stack(self.senders.take(), new_senders)?;
        let clients = stack(self.clients.take(), new_clients)?;
        let sorted = SortMultipleOptions::default().with_maintain_order(true);
        // Join a narrow (row, ts, key) frame, then put the found values back
        // in row order: the wide string columns are never sorted or moved.
        let found = asof(
            asof(
                deliveries
                    .select(["ts", "qkey"])?
                    .with_row_index("row".into(), None)?
                    .lazy()
                    .sort(["ts"], sorted.clone()),
                senders.clone(),
            ),
            clients.clone(),
        )
        .sort(["row"], sorted)
        .select([
            col("meta_sender"),
            col("meta_client_ip"),
            col("meta_sasl_user"),
        ])
        .collect()?;
        let mut wide = deliveries;
        wide.hstack_mut(found.columns())?;
        let joined = wide
            .lazy()
            .with_columns([
                coalesce(&[col("line_sender"), col("meta_sender")]).alias("sender"),
                coalesce(&[col("line_client_ip"), col("meta_client_ip")]).alias("client_ip"),
                coalesce(&[col("line_sasl_user"), col("meta_sasl_user")]).alias("sasl_user"),
            ])
            .drop(cols([
                "line_sender",
                "meta_sender",
                "line_client_ip",
                "meta_client_ip",
                "line_sasl_user",
                "meta_sasl_user",
            ]))
            .collect()?;
        let newest = [&senders, &clients]
            .iter()
            .filter_map(|d| d.column("ts").ok()?.i64().ok()?.max())
            .max()
            .unwrap_or(i64::MIN / 2);
        self.senders = Some(prune(senders, newest, removed)?);
        self.clients = Some(prune(clients, newest, removed)?);
        Ok(joined)
    }
}
