-- The feed no longer falls back when an unrelated transaction ends at the moment it looks.
--
-- 0010 waited for every transaction of the statement's snapshot that it did not see still running
-- without the writers' lock. One that ended between the snapshot and the look at the locks was waited
-- for, whatever it was: a test in another database, a sweep, someone's psql session. So the gate could
-- drop below changes a reader had already read a moment before, and `head()` could answer an earlier
-- cursor than the one before it (CI saw `head` answer the empty cursor while four changes were readable).
--
-- A transaction that has ended is judged by what it left behind, in a fresh snapshot of its own:
-- - aborted: it appends nothing, ever;
-- - committed, visible to a snapshot taken now, and no change carries its txid: it was not a writer;
-- - anything else (still in progress, or committed but not yet visible, as in a REPEATABLE READ caller
--   whose snapshot is the transaction's) is waited for, as before.
-- The fresh snapshot is why the judge is a VOLATILE function: in READ COMMITTED each of its statements
-- sees what committed before it, while the caller's snapshot (passed in) decides what the caller sees.
CREATE FUNCTION changes_readable_below_snapshot(seen pg_snapshot) RETURNS xid8 LANGUAGE plpgsql VOLATILE
    SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    candidate xid8;
    status text;
BEGIN
    FOR candidate IN
        WITH here AS (
            SELECT oid FROM pg_database WHERE datname = current_database()
        ), locks AS MATERIALIZED (
            SELECT locktype, database, classid, objid, objsubid, transactionid, pid, mode, granted FROM pg_locks
        ), never_writing AS (
            SELECT backend_xid::text::bigint AS xid
              FROM pg_stat_activity
             WHERE backend_xid IS NOT NULL AND datid IS DISTINCT FROM (SELECT oid FROM here)
            UNION ALL
            SELECT running.transactionid::text::bigint
              FROM locks running
             WHERE running.locktype = 'transactionid' AND running.mode = 'ExclusiveLock' AND running.granted
               AND running.pid IS NOT NULL
               AND NOT EXISTS (
                   SELECT 1 FROM locks writer
                    WHERE writer.pid = running.pid AND writer.locktype = 'advisory' AND writer.granted
                      AND writer.database = (SELECT oid FROM here)
                      AND writer.classid = 5066579 AND writer.objid = 1 AND writer.objsubid = 2)
        )
        SELECT running
          FROM pg_snapshot_xip(seen) AS running
         WHERE (running::text::bigint % 4294967296) NOT IN (SELECT xid FROM never_writing WHERE xid IS NOT NULL)
         ORDER BY running
    LOOP
        status := pg_xact_status(candidate);
        CONTINUE WHEN status = 'aborted';
        CONTINUE WHEN status = 'committed'
            AND pg_visible_in_snapshot(candidate, pg_current_snapshot())
            AND NOT EXISTS (SELECT 1 FROM changes WHERE txid = candidate);
        RETURN candidate;
    END LOOP;
    RETURN pg_snapshot_xmax(seen);
END $$;

-- Same name and use as before: `txid < (SELECT changes_readable_below())`, once per statement. STABLE,
-- so `pg_current_snapshot()` here is the calling statement's.
CREATE OR REPLACE FUNCTION changes_readable_below() RETURNS xid8 LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT changes_readable_below_snapshot(pg_current_snapshot())
$$;
