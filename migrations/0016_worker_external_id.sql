-- A worker's number in another system (payroll, HR), by which an imported roster finds them again:
-- kept in properties beside the email, and like the email unique in the organisation.

CREATE UNIQUE INDEX entities_worker_external_id_unique ON entities (org_id, (properties ->> 'external_id'))
    WHERE entity_type = 'worker' AND properties ? 'external_id';
