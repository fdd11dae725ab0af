-- The change feed waits only for transactions that can still append to the log.
--
-- Readers follow `changes` by (txid, position) and must never move past a transaction that may still
-- commit a change with a lower txid. Gating on `pg_snapshot_xmin` did that by waiting for the oldest
-- transaction of the whole PostgreSQL server: a report in another database, a benchmark load, a backup
-- writing a table — anything with a transaction id — held every browser's feed back.
--
-- Now readers leave out transactions running in other databases, which can never write this log
-- (`changes_readable_below()`). A transaction that appends to the log also declares it first
-- (`changes_begin_writing()`, the first statement after BEGIN of every Mosaic command): a shared advisory
-- lock, visible to every session in `pg_locks`, taken while it has no transaction id yet; the trigger
-- refuses an append from an undeclared transaction. That is the groundwork for leaving out this
-- database's non-writers too (see below why readers do not do so yet).
--
-- The feed still waits for this database's transactions; while committed changes wait behind one for
-- more than a second, the page says "Delayed".

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
-- still appear: the oldest transaction in the statement's snapshot that is not known to run in another
-- database (a transaction there can never write this database's log), else the snapshot's xmax. STABLE,
-- so it sees the caller's snapshot; call it once per statement, as `(SELECT changes_readable_below())`.
--
-- Leaving out this database's own transactions that never declared themselves writers would go
-- further, and is what the writers' lock above is for; but the fault test (a database restarted under
-- four writers) lost a change with that rule in one run of three, so until that is understood only
-- other databases' transactions are left out — a rule that needs no argument about timing.
CREATE FUNCTION changes_readable_below() RETURNS xid8 LANGUAGE sql STABLE AS $$
    WITH elsewhere AS (
        SELECT backend_xid::text::bigint AS xid
          FROM pg_stat_activity
         WHERE backend_xid IS NOT NULL
           AND datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database())
    )
    SELECT coalesce(
        (SELECT min(running)
           FROM pg_snapshot_xip(pg_current_snapshot()) AS running
          WHERE (running::text::bigint % 4294967296) NOT IN (SELECT xid FROM elsewhere WHERE xid IS NOT NULL)),
        pg_snapshot_xmax(pg_current_snapshot()))
$$;

-- Whether committed changes wait behind a transaction still running: the feed is delayed, not live.
CREATE FUNCTION changes_held_back() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM changes WHERE txid >= (SELECT changes_readable_below()))
$$;
