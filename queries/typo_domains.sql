-- Recipient domains that look like typos of a common domain.
SET TimeZone = 'UTC';
SELECT recipient_domain, suggested_domain, cause,
       COUNT(*) AS failures, COUNT(DISTINCT recipient) AS recipients
FROM events
WHERE suggested_domain IS NOT NULL
GROUP BY recipient_domain, suggested_domain, cause
ORDER BY failures DESC, recipient_domain;
