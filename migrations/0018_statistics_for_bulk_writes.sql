-- A bulk write (an import) into tables PostgreSQL holds no statistics for — a new install's first
-- roster, or any database whose autovacuum is off — is planned with default selectivities. Under them a
-- look-up by primary key ties with a scan of the organisation's rows of one kind
-- (`entities_by_type_and_name`, `events_by_type_and_start`), the tie went to the scan, and every row
-- of an import read every row before it. ANALYZE inside the writing transaction counts that
-- transaction's own rows, so once a first batch is written the rest is planned on what is there.
--
-- The application role owns no table and may not ANALYZE; this function runs as the schema's owner.
-- Only tables small enough to sample whole in milliseconds are analyzed (a large one already has
-- statistics that one import does not overturn), and SKIP_LOCKED passes over a table another
-- transaction is analyzing rather than queueing behind it until that one commits.
CREATE FUNCTION mosaic_analyze_for_bulk_write() RETURNS void LANGUAGE plpgsql VOLATILE
    SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    written text;
BEGIN
    FOREACH written IN ARRAY ARRAY['entities', 'events', 'participations', 'positions_held', 'invitations', 'changes']
    LOOP
        IF (SELECT reltuples < 200000 FROM pg_class WHERE oid = written::regclass) THEN
            EXECUTE format('ANALYZE (SKIP_LOCKED) %I', written);
        END IF;
    END LOOP;
END $$;
