-- Sending accounts (SASL user, else envelope sender) by failures, with the
-- share of bad_address failures (a takeover often sprays bad addresses).
SET TimeZone = 'UTC';
SELECT account, account_kind,
       SUM(attempts) AS attempts,
       SUM(CASE WHEN outcome <> 'sent' THEN attempts ELSE 0 END) AS failures,
       SUM(CASE WHEN cause = 'bad_address' THEN attempts ELSE 0 END) AS bad_address,
       ROUND(100.0 * SUM(CASE WHEN cause = 'bad_address' THEN attempts ELSE 0 END) / SUM(attempts), 2) AS bad_address_pct,
       MAX(client_ips) AS max_client_ips_per_period
FROM by_sender
WHERE account IS NOT NULL
GROUP BY account, account_kind
ORDER BY failures DESC, account
LIMIT 25;
