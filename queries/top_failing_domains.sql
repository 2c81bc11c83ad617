-- Recipient domains with the most failed delivery attempts (outbound), with
-- their failure rate and the dominant cause. Our own server's refusals of
-- inbound SMTP (outcome 'rejected': NOQUEUE/milter/postscreen rejects) are
-- left out: on a host that is also the MX they would put our own domains
-- on top. failures_by_cause.sql counts them apart.
-- Percentages round half up as FLOOR(x + 0.5): polars SQL's ROUND rounds ties
-- to even, DuckDB's and Spark's away from zero; this agrees in all three.
SET TimeZone = 'UTC';
WITH dom AS (
    SELECT recipient_domain,
           SUM(attempts) AS attempts,
           SUM(CASE WHEN outcome <> 'sent' THEN attempts ELSE 0 END) AS failures
    FROM by_domain
    WHERE outcome <> 'rejected'
    GROUP BY recipient_domain
),
causes AS (
    SELECT recipient_domain, cause, SUM(attempts) AS n
    FROM by_domain
    WHERE outcome <> 'sent' AND outcome <> 'rejected'
    GROUP BY recipient_domain, cause
),
ranked AS (
    SELECT recipient_domain, cause,
           ROW_NUMBER() OVER (PARTITION BY recipient_domain ORDER BY n DESC, cause DESC) AS rk
    FROM causes
),
top_cause AS (
    SELECT recipient_domain, cause FROM ranked WHERE rk = 1
)
SELECT d.recipient_domain, d.attempts, d.failures,
       ROUND(FLOOR(10000.0 * d.failures / d.attempts + 0.5) / 100, 2) AS failure_pct,
       c.cause AS top_cause
FROM dom d LEFT JOIN top_cause c ON c.recipient_domain = d.recipient_domain
WHERE d.failures > 0
ORDER BY d.failures DESC, d.recipient_domain
LIMIT 25;
