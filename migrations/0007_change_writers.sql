-- The change feed waits only for transactions that can still append to the log.
--
-- Readers follow `changes` by (txid, position) and must never move past a transaction that may still
-- commit a change with a lower txid. Gating on `pg_snapshot_xmin` did that by waiting for the oldest
-- transaction of the whole PostgreSQL server: a report in another database, a benchmark load, a backup
-- writing a table — anything with a transaction id — held every browser's feed back.
--
-- Instead, a transaction that appends to the log declares it first (`changes_begin_writing()`, the first
-- statement after BEGIN of every Mosaic command): it takes a shared advisory lock — visible to every
-- session in `pg_locks` — while it has no transaction id yet. A transaction that already has an id
-- when the log is read, and does not hold that lock, therefore can never append to it; readers leave it
-- out (`changes_readable_below()`). A declared writer without an id yet will get one above the reader's
-- snapshot, which the gate never passes. The trigger refuses an append from an undeclared transaction,
-- so the reasoning holds for every writer, scripts included.
--
-- The feed still waits for Mosaic's own writers, which are one command each and short; a long batch that
-- appends to the log holds the feed back for its duration, and the page says "Delayed" meanwhile.

CREATE FUNCTION changes_begin_writing() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'changes_begin_writing() must run before the transaction writes anything'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'changes_writer_declared_first';
    END IF;
    -- 5066579 is 'MOS'; key 1 is the log's writers. Shared: writers never wait for one another.
    PERFORM pg_advisory_xact_lock_shared(5066579, 1);
    PERFORM set_config('mosaic.writing_changes', 'on', true);
END $$;

CREATE FUNCTION changes_writer_declared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('mosaic.writing_changes', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'a transaction appending to the change log must call changes_begin_writing() first'
            USING ERRCODE = 'object_not_in_prerequisite_state', CONSTRAINT = 'changes_writer_declared';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER changes_writer_declared BEFORE INSERT ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION changes_writer_declared();

-- The txid below which every change is committed and visible to the calling statement, and none can
-- still appear: the oldest transaction in the statement's snapshot that may append to the log (holds the
-- writers' lock, or has ended since the snapshot was taken), else the snapshot's xmax. STABLE, so it
-- sees the caller's snapshot; call it once per statement, as `(SELECT changes_readable_below())`.
CREATE FUNCTION changes_readable_below() RETURNS xid8 LANGUAGE sql STABLE AS $$
    WITH bystanders AS (
        SELECT own.transactionid::text::bigint AS xid
          FROM pg_locks own
         WHERE own.locktype = 'transactionid' AND own.mode = 'ExclusiveLock' AND own.granted
           AND NOT EXISTS (
               SELECT 1 FROM pg_locks writer
                WHERE writer.virtualtransaction = own.virtualtransaction
                  AND writer.locktype = 'advisory' AND writer.classid = 5066579 AND writer.objid = 1
                  AND writer.objsubid = 2
                  AND writer.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
    )
    SELECT coalesce(
        (SELECT min(running)
           FROM pg_snapshot_xip(pg_current_snapshot()) AS running
          WHERE (running::text::bigint % 4294967296) NOT IN (SELECT xid FROM bystanders)),
        pg_snapshot_xmax(pg_current_snapshot()))
$$;

-- Whether committed changes wait behind a writer still running: the feed is delayed, not live.
CREATE FUNCTION changes_held_back() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM changes WHERE txid >= (SELECT changes_readable_below()))
$$;
