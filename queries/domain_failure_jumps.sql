-- Recipient domains whose failure rate jumped since the previous period
-- they had traffic, biggest jump first (at least 5 attempts in both).
-- Outbound delivery attempts only: our own server's refusals of inbound SMTP
-- (outcome 'rejected') are no delivery failures of the recipient domain.
-- Table: by_domain (sent rows included, so rates can be computed).
-- Percentages round half up as FLOOR(x + 0.5): polars SQL's ROUND rounds ties
-- to even, DuckDB's and Spark's away from zero; this agrees in all three.
SET TimeZone = 'UTC';
WITH per AS (
    SELECT recipient_domain, period_start,
           SUM(attempts) AS attempts,
           SUM(CASE WHEN outcome <> 'sent' THEN attempts ELSE 0 END) AS failures
    FROM by_domain
    WHERE recipient_domain IS NOT NULL AND outcome <> 'rejected'
    GROUP BY recipient_domain, period_start
),
numbered AS (
    SELECT recipient_domain, period_start, attempts, failures,
           ROW_NUMBER() OVER (PARTITION BY recipient_domain ORDER BY period_start) AS rn
    FROM per
)
SELECT cur.recipient_domain, cur.period_start, prev.period_start AS previous_period,
       cur.failures, cur.attempts,
       ROUND(FLOOR(10000.0 * cur.failures / cur.attempts + 0.5) / 100, 2) AS failure_pct,
       ROUND(FLOOR(10000.0 * prev.failures / prev.attempts + 0.5) / 100, 2) AS previous_failure_pct,
       ROUND((FLOOR(10000.0 * cur.failures / cur.attempts + 0.5)
              - FLOOR(10000.0 * prev.failures / prev.attempts + 0.5)) / 100, 2) AS jump_points
FROM numbered cur
JOIN numbered prev
  ON prev.recipient_domain = cur.recipient_domain AND prev.rn = cur.rn - 1
WHERE cur.attempts >= 5 AND prev.attempts >= 5
ORDER BY jump_points DESC, cur.recipient_domain, cur.period_start
LIMIT 50;
