-- Failures per day and cause, with the share of all attempts that day.
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
    SELECT date, SUM(attempts) AS all_attempts FROM daily GROUP BY date
)
SELECT d.date, d.cause, SUM(d.attempts) AS failures,
       ROUND(FLOOR(10000.0 * SUM(d.attempts) / MAX(t.all_attempts) + 0.5) / 100, 2) AS pct_of_attempts
FROM daily d JOIN totals t ON d.date = t.date
WHERE d.outcome <> 'sent'
GROUP BY d.date, d.cause
ORDER BY d.date, failures DESC, d.cause;
