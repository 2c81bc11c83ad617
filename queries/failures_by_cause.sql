-- Failures per day and cause, with the share of all attempts that day.
-- Tables: by_domain (sent rows included, so rates can be computed).
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
       ROUND(100.0 * SUM(d.attempts) / MAX(t.all_attempts), 2) AS pct_of_attempts
FROM daily d JOIN totals t ON d.date = t.date
WHERE d.outcome <> 'sent'
GROUP BY d.date, d.cause
ORDER BY d.date, failures DESC, d.cause;
