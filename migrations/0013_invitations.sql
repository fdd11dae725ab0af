-- Joining an organisation by a link: an administrator invites a person by email with a role, and the
-- person opens a one-time link to choose a password (or, with an account already, to prove it is
-- theirs). A password link works the same way for a member who cannot sign in. Each link is 256 random
-- bits of which only the SHA-256 is kept; it works once, for seven days.

CREATE TABLE invitations (
    org_id          uuid NOT NULL REFERENCES organisations (id),
    id              uuid NOT NULL,
    email           text NOT NULL CONSTRAINT invitations_email_format CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+$'),
    -- The name the organisation gives the person; they may choose their own when they accept.
    name            text NOT NULL CONSTRAINT invitations_name_present CHECK (length(btrim(name)) > 0),
    role            text NOT NULL CONSTRAINT invitations_known_role CHECK (role IN ('admin', 'manager', 'scheduler', 'worker')),
    worker_id       uuid,
    location_ids    uuid[] NOT NULL DEFAULT '{}',
    token_hash      bytea NOT NULL CONSTRAINT invitations_hash_unique UNIQUE,
    invited_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    invited_by_name text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    accepted_at     timestamptz,
    accepted_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at      timestamptz,
    PRIMARY KEY (org_id, id),
    CONSTRAINT invitations_worker_fk FOREIGN KEY (org_id, worker_id) REFERENCES entities (org_id, id),
    CONSTRAINT invitations_worker_needs_entity CHECK (role <> 'worker' OR worker_id IS NOT NULL),
    CONSTRAINT invitations_locations_for_schedulers CHECK (role = 'scheduler' OR cardinality(location_ids) = 0),
    CONSTRAINT invitations_accepted_in_time CHECK (accepted_at IS NULL OR accepted_at <= expires_at),
    CONSTRAINT invitations_settled_one_way CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);

-- One open invitation per person and organisation: a second is a resend of the first.
CREATE UNIQUE INDEX invitations_one_open_per_email ON invitations (org_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- An accepted or revoked invitation is settled: its link never opens anything again.
CREATE FUNCTION invitation_settled_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.accepted_at IS NOT NULL OR OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'invitation % is already %', OLD.id, CASE WHEN OLD.accepted_at IS NOT NULL THEN 'accepted' ELSE 'revoked' END
            USING ERRCODE = 'check_violation', CONSTRAINT = 'invitations_settled_once';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER invitations_settled_once BEFORE UPDATE ON invitations
    FOR EACH ROW EXECUTE FUNCTION invitation_settled_once();

CREATE TABLE password_links (
    token_hash     bytea PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The organisation the person lands in once the password is set.
    org_id         uuid NOT NULL REFERENCES organisations (id),
    issued_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    issued_by_name text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    CONSTRAINT password_links_used_in_time CHECK (used_at IS NULL OR used_at <= expires_at)
);

CREATE FUNCTION password_link_used_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.used_at IS NOT NULL THEN
        RAISE EXCEPTION 'this password link was already used'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'password_links_used_once';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER password_links_used_once BEFORE UPDATE ON password_links
    FOR EACH ROW EXECUTE FUNCTION password_link_used_once();
