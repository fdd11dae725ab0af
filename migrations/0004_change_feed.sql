-- The change feed: each server instance follows the whole log (every organisation) in reading order,
-- below the oldest running transaction, and fans changes out to the browsers connected to it.
-- The per-organisation index leads with org_id, so the instance-wide reader needs its own.

CREATE INDEX changes_feed_order ON changes (txid, position);
