-- Sending accounts (SASL user, else envelope sender) by failures, with the
-- share of bad_address failures (a takeover often sprays bad addresses).
-- Percentages round half up as FLOOR(x + 0.5): polars SQL's ROUND rounds ties
-- to even, DuckDB's and Spark's away from zero; this agrees in all three.
SET TimeZone = 'UTC';
SELECT account, account_kind,
       SUM(attempts) AS attempts,
       SUM(CASE WHEN outcome <> 'sent' THEN attempts ELSE 0 END) AS failures,
       SUM(CASE WHEN cause = 'bad_address' THEN attempts ELSE 0 END) AS bad_address,
       ROUND(FLOOR(10000.0 * SUM(CASE WHEN cause = 'bad_address' THEN attempts ELSE 0 END) / SUM(attempts) + 0.5) / 100, 2) AS bad_address_pct,
       MAX(client_ips) AS max_client_ips_per_period
FROM by_sender
WHERE account IS NOT NULL
GROUP BY account, account_kind
ORDER BY failures DESC, account
LIMIT 25;
