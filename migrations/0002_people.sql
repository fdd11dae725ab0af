-- People: users who sign in, their role in each organisation, sessions, personal API tokens, calendar
-- feeds and the record of failed sign-ins that throttles password guessing.
--
-- Users are global (one person, one password, several organisations); everything that grants access
-- inside an organisation leads with org_id like the core tables, so a membership, token or feed can
-- never point at another organisation's worker or location. Every secret (session, API token, feed) is
-- kept only as its SHA-256: a copy of this database opens no doors.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL CONSTRAINT users_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    name          text NOT NULL CONSTRAINT users_name_present CHECK (length(btrim(name)) > 0),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

CREATE TABLE memberships (
    org_id           uuid NOT NULL REFERENCES organisations (id),
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role             text NOT NULL CONSTRAINT memberships_known_role CHECK (role IN ('admin', 'manager', 'scheduler', 'worker')),
    -- The worker entity this person is; a worker membership without one could see nothing.
    worker_id        uuid,
    -- When the person last opened their timeline: later changes to their shifts are marked.
    timeline_seen_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id),
    CONSTRAINT memberships_worker_fk FOREIGN KEY (org_id, worker_id) REFERENCES entities (org_id, id),
    CONSTRAINT memberships_worker_needs_entity CHECK (role <> 'worker' OR worker_id IS NOT NULL),
    CONSTRAINT memberships_one_user_per_worker UNIQUE (org_id, worker_id)
);

-- The locations a scheduler may edit drafts for.
CREATE TABLE membership_locations (
    org_id      uuid NOT NULL,
    user_id     uuid NOT NULL,
    location_id uuid NOT NULL,
    PRIMARY KEY (org_id, user_id, location_id),
    CONSTRAINT membership_locations_membership_fk FOREIGN KEY (org_id, user_id)
        REFERENCES memberships (org_id, user_id) ON DELETE CASCADE,
    CONSTRAINT membership_locations_location_fk FOREIGN KEY (org_id, location_id) REFERENCES entities (org_id, id)
);

-- A signed-in browser. Ending a membership ends its sessions.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    org_id       uuid NOT NULL,
    user_id      uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    CONSTRAINT sessions_membership_fk FOREIGN KEY (org_id, user_id) REFERENCES memberships (org_id, user_id) ON DELETE CASCADE
);

CREATE INDEX sessions_by_user ON sessions (user_id);

-- Personal API tokens: a bearer token acts as its owner in one organisation, with the owner's current role.
CREATE TABLE api_tokens (
    org_id       uuid NOT NULL,
    id           uuid NOT NULL,
    user_id      uuid NOT NULL,
    name         text NOT NULL CONSTRAINT api_tokens_name_present CHECK (length(btrim(name)) > 0),
    token_hash   bytea NOT NULL CONSTRAINT api_tokens_hash_unique UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (org_id, id),
    CONSTRAINT api_tokens_membership_fk FOREIGN KEY (org_id, user_id) REFERENCES memberships (org_id, user_id) ON DELETE CASCADE
);

CREATE INDEX api_tokens_by_owner ON api_tokens (org_id, user_id);

-- A worker's private calendar feed; the secret sits in the URL because calendar apps cannot send headers.
CREATE TABLE calendar_feeds (
    org_id     uuid NOT NULL,
    id         uuid NOT NULL,
    worker_id  uuid NOT NULL,
    token_hash bytea NOT NULL CONSTRAINT calendar_feeds_hash_unique UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (org_id, id),
    CONSTRAINT calendar_feeds_worker_fk FOREIGN KEY (org_id, worker_id) REFERENCES entities (org_id, id)
);

CREATE UNIQUE INDEX calendar_feeds_one_live_per_worker ON calendar_feeds (org_id, worker_id) WHERE revoked_at IS NULL;

-- Failed sign-ins, counted per email and per client address over a sliding window. Kept in PostgreSQL
-- rather than in one server's memory so that every server instance throttles the same guesser.
CREATE TABLE sign_in_failures (
    email     text NOT NULL,
    client    text,
    failed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sign_in_failures_by_email ON sign_in_failures (lower(email), failed_at);
CREATE INDEX sign_in_failures_by_client ON sign_in_failures (client, failed_at) WHERE client IS NOT NULL;

-- A membership's or feed's worker must be a worker, and a scheduler's location a location: the foreign
-- keys only say "an entity of this organisation".
CREATE FUNCTION refers_to_entity_of_type() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- TG_ARGV: the column, the entity type it must name, and the constraint name to report.
    referenced uuid := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
BEGIN
    IF referenced IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM entities WHERE org_id = NEW.org_id AND id = referenced AND entity_type = TG_ARGV[1]
    ) THEN
        RAISE EXCEPTION '% must be a %', TG_ARGV[0], TG_ARGV[1]
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_ARGV[2];
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER memberships_worker_is_a_worker BEFORE INSERT OR UPDATE OF worker_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION refers_to_entity_of_type('worker_id', 'worker', 'memberships_worker_is_a_worker');
CREATE TRIGGER membership_locations_are_locations BEFORE INSERT OR UPDATE ON membership_locations
    FOR EACH ROW EXECUTE FUNCTION refers_to_entity_of_type('location_id', 'location', 'membership_locations_are_locations');
CREATE TRIGGER calendar_feeds_worker_is_a_worker BEFORE INSERT OR UPDATE ON calendar_feeds
    FOR EACH ROW EXECUTE FUNCTION refers_to_entity_of_type('worker_id', 'worker', 'calendar_feeds_worker_is_a_worker');
