-- Per receiving provider and day: attempts, failures, failure rate, and the
-- failures that point at our reputation (ip_blocked, rate_limited) or at
-- the recipients (bad_address). Outbound delivery attempts only: inbound SMTP
-- our own server refused (outcome 'rejected') reached no provider.
-- Table: by_sending_ip (sent rows included).
-- Percentages round half up as FLOOR(x + 0.5): polars SQL's ROUND rounds ties
-- to even, DuckDB's and Spark's away from zero; this agrees in all three.
SET TimeZone = 'UTC';
SELECT date, COALESCE(provider, '(none)') AS provider,
       SUM(attempts) AS attempts,
       SUM(CASE WHEN outcome <> 'sent' THEN attempts ELSE 0 END) AS failures,
       ROUND(FLOOR(10000.0 * SUM(CASE WHEN outcome <> 'sent' THEN attempts ELSE 0 END) / SUM(attempts) + 0.5) / 100, 2) AS failure_pct,
       SUM(CASE WHEN cause = 'ip_blocked' THEN attempts ELSE 0 END) AS ip_blocked,
       SUM(CASE WHEN cause = 'rate_limited' THEN attempts ELSE 0 END) AS rate_limited,
       SUM(CASE WHEN cause = 'bad_address' THEN attempts ELSE 0 END) AS bad_address
FROM by_sending_ip
WHERE outcome <> 'rejected'
GROUP BY date, COALESCE(provider, '(none)')
ORDER BY date, attempts DESC, provider;
