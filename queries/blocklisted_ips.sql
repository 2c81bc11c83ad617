-- Our sending IPs refused because of a blocklist or reputation signal:
-- first and last time seen per IP and list, with an example diagnostic.
-- Our own server's RBL rejects of inbound clients (outcome 'rejected') are
-- left out: they name the client's listing, not ours (a multi-instance
-- Postfix logs them under postfix-<our IP>/smtpd, which fills sending_ip).
SET TimeZone = 'UTC';
SELECT sending_ip, blocklist, provider,
       MIN(ts) AS first_seen, MAX(ts) AS last_seen,
       COUNT(*) AS failures,
       COUNT(DISTINCT recipient_domain) AS domains,
       MIN(diagnostic) AS example
FROM events
WHERE cause = 'ip_blocked' AND sending_ip IS NOT NULL AND outcome <> 'rejected'
GROUP BY sending_ip, blocklist, provider
ORDER BY first_seen, sending_ip;
