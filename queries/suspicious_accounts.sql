-- Sending accounts per period, most suspicious first: the account_alerts
-- score and its reasons (a takeover: far more recipients than the account's
-- own history and its peers, many bad_address failures, new client IPs),
-- next to the raw evidence from by_sender. Unflagged rows have score 0.
-- Tables: by_sender, account_alerts (rebuilt by every `bouncelens run`).
-- Percentages round half up as FLOOR(x + 0.5): polars SQL's ROUND rounds ties
-- to even, DuckDB's and Spark's away from zero; this agrees in all three.
SET TimeZone = 'UTC';
WITH per AS (
    SELECT account, account_kind, period_start,
           SUM(attempts) AS attempts,
           SUM(CASE WHEN outcome <> 'sent' THEN attempts ELSE 0 END) AS failures,
           SUM(recipients) AS recipients,
           SUM(CASE WHEN cause = 'bad_address' THEN attempts ELSE 0 END) AS bad_address,
           MAX(client_ips) AS client_ips
    FROM by_sender
    WHERE account IS NOT NULL
    GROUP BY account, account_kind, period_start
)
SELECT p.period_start, p.account, p.account_kind,
       COALESCE(a.score, 0) AS score, a.reasons,
       p.attempts, p.failures, p.recipients, p.bad_address,
       ROUND(FLOOR(1000.0 * p.bad_address / p.attempts + 0.5) / 10, 1) AS bad_address_pct,
       p.client_ips, a.new_client_ip_list,
       a.own_median_recipients, a.peer_median_recipients
FROM per p
LEFT JOIN account_alerts a
  ON a.account = p.account AND a.period_start = p.period_start
ORDER BY score DESC, p.bad_address DESC, p.recipients DESC, p.account, p.period_start
LIMIT 50;
