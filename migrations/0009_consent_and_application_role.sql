-- Two guards against the people who run Mosaic rather than the people who use it.
--
-- 1. A membership waits for its person. An administrator who adds someone by email creates a pending
--    membership: it grants nothing until the person accepts it at sign-in, and they may decline it.
--    Until then the organisation sees only the name it typed itself, never the account's. Whether the
--    email already had an account is not told: the answer is the same either way.
--
-- 2. The application runs as a role that owns nothing. The migrations run as the owner of the schema;
--    the server then grants its application role (MOSAIC_APP_DATABASE_URL's user) the rights below and
--    connects as it for everything else, so a bug or an injected statement cannot `ALTER TABLE changes
--    DISABLE TRIGGER`, truncate the log or rewrite it.

ALTER TABLE memberships ADD COLUMN accepted_at timestamptz;
-- The name the administrator gave, shown to the organisation while the membership is pending.
ALTER TABLE memberships ADD COLUMN added_as text
    CONSTRAINT memberships_added_as_present CHECK (added_as IS NULL OR length(btrim(added_as)) > 0);
UPDATE memberships SET accepted_at = created_at;

CREATE FUNCTION memberships_accepted_before_use() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM memberships
                    WHERE org_id = NEW.org_id AND user_id = NEW.user_id AND accepted_at IS NOT NULL) THEN
        RAISE EXCEPTION 'the membership of % in % has not been accepted', NEW.user_id, NEW.org_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_accepted_before_use';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER sessions_need_an_accepted_membership BEFORE INSERT OR UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION memberships_accepted_before_use();
CREATE TRIGGER api_tokens_need_an_accepted_membership BEFORE INSERT OR UPDATE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION memberships_accepted_before_use();

-- Consent is not taken back by the organisation: an accepted membership can end, not become pending.
CREATE FUNCTION memberships_stay_accepted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.accepted_at IS NOT NULL AND NEW.accepted_at IS DISTINCT FROM OLD.accepted_at THEN
        RAISE EXCEPTION 'an accepted membership stays accepted'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_stay_accepted';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER memberships_stay_accepted BEFORE UPDATE OF accepted_at ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_stay_accepted();

-- The feed's gate reads other sessions' transaction ids from pg_stat_activity, which a role that owns
-- nothing sees only for its own sessions; it runs with its owner's right to see them all. (Were the
-- owner unable to see them either, the gate only waits longer: an unknown transaction is waited for.)
ALTER FUNCTION changes_readable_below() SECURITY DEFINER SET search_path = pg_catalog, public;

-- What the application role may do, granted by the server after every migration run (so tables added
-- later are covered): read and write the tables, except that the change log is only read and appended
-- to, and the migrations' own bookkeeping is not touched.
CREATE FUNCTION mosaic_grant_application_role(application regrole) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %s', application);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s', application);
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON changes FROM %s', application);
    EXECUTE format('REVOKE ALL ON _sqlx_migrations FROM %s', application);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %s', application);
END $$;

REVOKE EXECUTE ON FUNCTION mosaic_grant_application_role(regrole) FROM PUBLIC;
