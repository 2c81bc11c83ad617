-- Blocklist timeline: per day, sending IP and list, the listing signals seen
-- in failures, and the episode (from blocklist_events) they belong to, with
-- its span, status and how much still got through meanwhile. Days with
-- signals but no episode are stray refusals below the episode threshold.
-- Tables: events, blocklist_events (rebuilt by every `bouncelens run`).
SET TimeZone = 'UTC';
WITH daily AS (
    SELECT sending_ip, blocklist, date,
           MIN(ts) AS first_ts, MAX(ts) AS last_ts,
           COUNT(*) AS failures,
           COUNT(DISTINCT recipient_domain) AS domains
    FROM events
    WHERE blocklist IS NOT NULL AND sending_ip IS NOT NULL AND outcome <> 'rejected'
    GROUP BY sending_ip, blocklist, date
),
matched AS (
    SELECT d.sending_ip, d.blocklist, d.date,
           e.first_seen, e.last_seen, e.status, e.failures AS episode_failures,
           e.succeeded_meanwhile, e.failure_share, e.example_diagnostic
    FROM daily d
    JOIN blocklist_events e
      ON e.sending_ip = d.sending_ip AND e.blocklist = d.blocklist
    WHERE d.last_ts >= e.first_seen AND d.first_ts <= e.last_seen
)
SELECT d.date, d.sending_ip, d.blocklist, d.failures, d.domains,
       d.first_ts, d.last_ts,
       m.first_seen AS episode_first_seen, m.last_seen AS episode_last_seen,
       m.status AS episode_status, m.episode_failures,
       m.succeeded_meanwhile, m.failure_share, m.example_diagnostic
FROM daily d
LEFT JOIN matched m
  ON m.sending_ip = d.sending_ip AND m.blocklist = d.blocklist AND m.date = d.date
ORDER BY d.date, d.sending_ip, d.blocklist;
