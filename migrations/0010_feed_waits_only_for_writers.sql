-- The feed waits only for transactions that can still append to the log, in this database too.
--
-- 0007 left out only other databases' transactions. A transaction here that never declared itself a
-- writer (`changes_begin_writing()` before it had a transaction id) can never append either: the trigger
-- refuses it, and it cannot declare itself later. So a transaction in the statement's snapshot is left
-- out when it is seen, after the snapshot, still running without the writers' lock — a sweep, a
-- migration, someone's psql session, a long report that took an id.
--
-- Only what is positively seen is left out. A transaction that ended between the snapshot and the look
-- at the locks (a writer whose change the snapshot cannot see yet) is not found running, so it is
-- waited for, as is every transaction not found at all. The locks are read once (MATERIALIZED): the
-- transaction's id and its writer's lock must come from the same reading of the lock table, or a writer
-- ending between two readings would look like a non-writer. Prepared transactions (no backend) are
-- waited for.
CREATE OR REPLACE FUNCTION changes_readable_below() RETURNS xid8 LANGUAGE sql STABLE
    SECURITY DEFINER SET search_path = pg_catalog, public AS $$
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
    SELECT coalesce(
        (SELECT min(running)
           FROM pg_snapshot_xip(pg_current_snapshot()) AS running
          WHERE (running::text::bigint % 4294967296) NOT IN (SELECT xid FROM never_writing WHERE xid IS NOT NULL)),
        pg_snapshot_xmax(pg_current_snapshot()))
$$;
