-- Failures per day and cause: outbound delivery failures (bounced, deferred,
-- expired) with their share of that day's delivery attempts, and, in their
-- own column, the inbound SMTP our own server refused for that cause
-- (outcome 'rejected': NOQUEUE/milter/postscreen rejects), which are not
-- delivery attempts and count in neither `failures` nor the share.
-- Tables: by_domain (sent rows included, so rates can be computed).
-- Percentages round half up as FLOOR(x + 0.5): polars SQL's ROUND rounds ties
-- to even, DuckDB's and Spark's away from zero; this agrees in all three.
SET TimeZone = 'UTC';
WITH daily AS (
    SELECT date, outcome, cause, SUM(attempts) AS attempts
    FROM by_domain
    GROUP BY date, outcome, cause
),
totals AS (
    SELECT date, SUM(attempts) AS all_attempts
    FROM daily
    WHERE outcome <> 'rejected'
    GROUP BY date
)
SELECT d.date, d.cause,
       SUM(CASE WHEN d.outcome <> 'rejected' THEN d.attempts ELSE 0 END) AS failures,
       ROUND(FLOOR(10000.0 * SUM(CASE WHEN d.outcome <> 'rejected' THEN d.attempts ELSE 0 END)
                   / MAX(t.all_attempts) + 0.5) / 100, 2) AS pct_of_attempts,
       SUM(CASE WHEN d.outcome = 'rejected' THEN d.attempts ELSE 0 END) AS rejected_inbound
FROM daily d LEFT JOIN totals t ON d.date = t.date
WHERE d.outcome <> 'sent'
GROUP BY d.date, d.cause
ORDER BY d.date, failures DESC, rejected_inbound DESC, d.cause;
