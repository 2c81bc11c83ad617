-- Misspelt recipient domains and the domain probably meant, with counts:
-- near misses of a common provider (gmial.com -> gmail.com) and of domains
-- we deliver to (shcool.org -> school.org, basis 'delivered'), with how
-- much still reached the suggested domain meanwhile.
-- Table: typo_domains (rebuilt by every `bouncelens run`).
SET TimeZone = 'UTC';
SELECT recipient_domain, suggested_domain, basis, failures, recipients,
       first_seen, last_seen, delivered_to_suggested
FROM typo_domains
ORDER BY failures DESC, recipient_domain;
