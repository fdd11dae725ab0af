-- Mosaic's core: organisations, entities, typed events and who participates in them, the append-only
-- change log and the attention projection. Every row carries org_id and every key and foreign key leads
-- with it, so no row can reference another organisation's row.
--
-- What must never happen is refused here, whatever the application does; each constraint's name is
-- mapped to a clear message in src/store/error.rs.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE CONSTRAINT organisations_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    name        text NOT NULL CONSTRAINT organisations_name_present CHECK (length(btrim(name)) > 0),
    -- The zone weeks are counted in for weekly-hour rules.
    time_zone   text NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------------------
-- Event types: a template every new organisation copies, so thresholds can differ per organisation.

CREATE TABLE event_type_defaults (
    name                    text PRIMARY KEY,
    category                text NOT NULL,
    can_nest                boolean NOT NULL,
    can_have_children       boolean NOT NULL,
    requires_participation  boolean NOT NULL,
    allowed_parents         text[] NOT NULL DEFAULT '{}',
    properties_schema       jsonb NOT NULL,
    rules                   jsonb NOT NULL DEFAULT '{}'
);

INSERT INTO event_type_defaults VALUES
 ('employment', 'contract', false, true, true, '{}',
  '{"type":"object","properties":{"title":{"type":"string","maxLength":120},"contract_hours":{"type":"number","minimum":0,"maximum":80}},"additionalProperties":false}', '{}'),
 ('schedule', 'planning', false, false, true, '{}',
  '{"type":"object","properties":{"name":{"type":"string","maxLength":120}},"additionalProperties":false}', '{}'),
 ('shift', 'planning', true, true, true, '{employment}',
  '{"type":"object","properties":{"role":{"type":"string","maxLength":80},"notes":{"type":"string","maxLength":2000}},"additionalProperties":false}',
  '{"min_rest_hours":11,"max_weekly_hours":48,"overtime_weekly_hours":40,"break_required_after_hours":6}'),
 ('work_period', 'planning', true, false, false, '{shift}',
  '{"type":"object","properties":{"generated":{"type":"boolean"}},"additionalProperties":false}', '{}'),
 ('break', 'planning', true, false, false, '{shift}',
  '{"type":"object","properties":{"paid":{"type":"boolean"}},"required":["paid"],"additionalProperties":false}', '{}'),
 ('task', 'planning', true, false, false, '{shift}',
  '{"type":"object","properties":{"title":{"type":"string","maxLength":200}},"additionalProperties":true}', '{}'),
 ('clock_event', 'timekeeping', false, false, true, '{}',
  '{"type":"object","properties":{"direction":{"enum":["in","out"]},"note":{"type":"string","maxLength":500}},"additionalProperties":true}', '{}'),
 ('clock_period', 'timekeeping', false, true, true, '{}', '{"type":"object","additionalProperties":true}', '{}'),
 ('payroll_piece', 'payroll', true, false, false, '{clock_period}', '{"type":"object","additionalProperties":true}', '{}'),
 ('compensation', 'payroll', false, false, true, '{}',
  '{"type":"object","properties":{"hourly_rate":{"type":"number","minimum":0},"currency":{"type":"string","maxLength":3}},"additionalProperties":true}', '{}'),
 ('location_membership', 'structure', false, false, true, '{}', '{"type":"object","additionalProperties":false}', '{}'),
 ('time_off', 'absence', false, false, true, '{}',
  '{"type":"object","properties":{"reason":{"type":"string","maxLength":200}},"additionalProperties":true}', '{}');

CREATE TABLE event_types (
    org_id                  uuid NOT NULL REFERENCES organisations (id),
    name                    text NOT NULL,
    category                text NOT NULL,
    can_nest                boolean NOT NULL,
    can_have_children       boolean NOT NULL,
    requires_participation  boolean NOT NULL,
    allowed_parents         text[] NOT NULL,
    properties_schema       jsonb NOT NULL,
    rules                   jsonb NOT NULL,
    PRIMARY KEY (org_id, name)
);

CREATE FUNCTION organisation_gets_event_types() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO event_types
    SELECT NEW.id, d.name, d.category, d.can_nest, d.can_have_children, d.requires_participation,
           d.allowed_parents, d.properties_schema, d.rules
      FROM event_type_defaults d;
    RETURN NEW;
END $$;

CREATE TRIGGER organisations_event_types AFTER INSERT ON organisations
    FOR EACH ROW EXECUTE FUNCTION organisation_gets_event_types();

-- ---------------------------------------------------------------------------------------------------
-- Entities: workers, locations, … with their own properties.

CREATE TABLE entities (
    org_id      uuid NOT NULL REFERENCES organisations (id),
    id          uuid NOT NULL,
    entity_type text NOT NULL CONSTRAINT entities_known_type CHECK (entity_type IN ('worker', 'location', 'organisation')),
    name        text NOT NULL CONSTRAINT entities_name_present CHECK (length(btrim(name)) > 0),
    properties  jsonb NOT NULL DEFAULT '{}' CONSTRAINT entities_properties_object CHECK (jsonb_typeof(properties) = 'object'),
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id)
);

CREATE INDEX entities_by_type_and_name ON entities (org_id, entity_type, name);
CREATE INDEX entities_name_search ON entities USING gin (lower(name) gin_trgm_ops);
CREATE INDEX entities_email_search ON entities USING gin (lower(properties ->> 'email') gin_trgm_ops);
CREATE UNIQUE INDEX entities_worker_email_unique ON entities (org_id, lower(properties ->> 'email'))
    WHERE entity_type = 'worker' AND properties ? 'email';

CREATE FUNCTION location_time_zone_is_known() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.entity_type = 'location'
       AND NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.properties ->> 'time_zone') THEN
        RAISE EXCEPTION 'unknown time zone %', coalesce(NEW.properties ->> 'time_zone', '(none)')
            USING ERRCODE = 'check_violation', CONSTRAINT = 'entities_location_time_zone';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER entities_location_time_zone BEFORE INSERT OR UPDATE ON entities
    FOR EACH ROW EXECUTE FUNCTION location_time_zone_is_known();

-- ---------------------------------------------------------------------------------------------------
-- Events: everything time-bound.

CREATE TABLE events (
    org_id      uuid NOT NULL REFERENCES organisations (id),
    id          uuid NOT NULL,
    event_type  text NOT NULL,
    parent_id   uuid,
    start_time  timestamptz NOT NULL,
    end_time    timestamptz,
    status      text NOT NULL DEFAULT 'draft'
                CONSTRAINT events_known_status CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),
    properties  jsonb NOT NULL DEFAULT '{}' CONSTRAINT events_properties_object CHECK (jsonb_typeof(properties) = 'object'),
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    CONSTRAINT events_type_fk FOREIGN KEY (org_id, event_type) REFERENCES event_types (org_id, name),
    CONSTRAINT events_parent_fk FOREIGN KEY (org_id, parent_id) REFERENCES events (org_id, id),
    CONSTRAINT events_end_after_start CHECK (end_time IS NULL OR end_time > start_time),
    -- Bounded shifts let a week's query scan a start_time range instead of every past shift.
    CONSTRAINT events_shift_at_most_a_day CHECK (event_type <> 'shift' OR end_time - start_time <= interval '24 hours')
);

-- Not partial: a partial index is not provably usable for `parent_id = ANY ($1)` under a generic plan.
CREATE INDEX events_children ON events (org_id, parent_id);
CREATE INDEX events_by_type_and_start ON events (org_id, event_type, start_time);

-- Status transitions and nesting, checked row by row.
CREATE FUNCTION events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    own_type event_types%ROWTYPE;
    parent_type text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.event_type <> OLD.event_type OR NEW.org_id <> OLD.org_id THEN
            RAISE EXCEPTION 'an event keeps its type and organisation'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'events_type_fixed';
        END IF;
        IF NEW.status <> OLD.status AND NOT (
               (OLD.status = 'draft' AND NEW.status IN ('active', 'cancelled'))
            OR (OLD.status = 'active' AND NEW.status IN ('completed', 'cancelled'))) THEN
            RAISE EXCEPTION 'status cannot change from % to %', OLD.status, NEW.status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'events_status_transition';
        END IF;
        NEW.updated_at := now();
    END IF;
    IF NEW.parent_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.parent_id IS DISTINCT FROM OLD.parent_id) THEN
        SELECT * INTO own_type FROM event_types WHERE org_id = NEW.org_id AND name = NEW.event_type;
        SELECT event_type INTO parent_type FROM events WHERE org_id = NEW.org_id AND id = NEW.parent_id;
        IF NOT own_type.can_nest OR NOT (parent_type = ANY (own_type.allowed_parents)) THEN
            RAISE EXCEPTION 'a % cannot be nested in a %', NEW.event_type, coalesce(parent_type, 'missing event')
                USING ERRCODE = 'check_violation', CONSTRAINT = 'events_nesting';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER events_guard BEFORE INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION events_guard();

-- A live child lies inside its parent, checked at commit so a parent and its children can move together
-- in one transaction.
CREATE FUNCTION events_within_parent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ev events%ROWTYPE;
    parent events%ROWTYPE;
    stray uuid;
BEGIN
    SELECT * INTO ev FROM events WHERE org_id = NEW.org_id AND id = NEW.id;
    -- A draft may sit outside every employment (an open conflict); a live shift may not.
    IF ev.event_type = 'shift' AND ev.status IN ('active', 'completed') AND ev.parent_id IS NULL THEN
        RAISE EXCEPTION 'the active shift % lies outside every employment of its worker', ev.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shifts_need_employment';
    END IF;
    IF ev.status <> 'cancelled' AND ev.parent_id IS NOT NULL THEN
        SELECT * INTO parent FROM events WHERE org_id = ev.org_id AND id = ev.parent_id;
        IF parent.status = 'cancelled'
           OR ev.start_time < parent.start_time
           OR (parent.end_time IS NOT NULL AND (ev.end_time IS NULL OR ev.end_time > parent.end_time)) THEN
            RAISE EXCEPTION 'the % % lies outside its % %', ev.event_type, ev.id, parent.event_type, parent.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'events_within_parent';
        END IF;
    END IF;
    SELECT c.id INTO stray FROM events c
     WHERE c.org_id = ev.org_id AND c.parent_id = ev.id AND c.status <> 'cancelled'
       AND (ev.status = 'cancelled'
            OR c.start_time < ev.start_time
            OR (ev.end_time IS NOT NULL AND (c.end_time IS NULL OR c.end_time > ev.end_time)))
     LIMIT 1;
    IF stray IS NOT NULL THEN
        RAISE EXCEPTION 'the % % would leave its child % outside it', ev.event_type, ev.id, stray
            USING ERRCODE = 'check_violation', CONSTRAINT = 'events_within_parent';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER events_within_parent AFTER INSERT OR UPDATE ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION events_within_parent();

-- ---------------------------------------------------------------------------------------------------
-- Participations: who takes part in an event, and from when to when.

CREATE TABLE participations (
    org_id              uuid NOT NULL REFERENCES organisations (id),
    id                  uuid NOT NULL,
    event_id            uuid NOT NULL,
    entity_id           uuid NOT NULL,
    participation_type  text NOT NULL CONSTRAINT participations_known_type
                        CHECK (participation_type IN ('worker', 'employee', 'location', 'parent_location')),
    role                text,
    start_time          timestamptz,
    end_time            timestamptz,
    properties          jsonb NOT NULL DEFAULT '{}',
    -- Copies of the event's type, status and the effective range, kept by triggers (never by the
    -- application) so that the exclusion constraints below can see them.
    event_type          text NOT NULL,
    event_status        text NOT NULL,
    during              tstzrange NOT NULL,
    PRIMARY KEY (org_id, id),
    CONSTRAINT participations_event_fk FOREIGN KEY (org_id, event_id) REFERENCES events (org_id, id),
    CONSTRAINT participations_entity_fk FOREIGN KEY (org_id, entity_id) REFERENCES entities (org_id, id),
    CONSTRAINT participations_one_per_role UNIQUE (org_id, event_id, participation_type, entity_id),
    CONSTRAINT participations_own_bounds CHECK (start_time IS NULL OR end_time IS NULL OR end_time > start_time),
    CONSTRAINT shifts_no_double_booking EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
        WHERE (event_type = 'shift' AND participation_type = 'worker' AND event_status IN ('active', 'completed')),
    CONSTRAINT employments_no_overlap EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
        WHERE (event_type = 'employment' AND participation_type = 'employee' AND event_status IN ('active', 'completed')),
    CONSTRAINT schedules_no_overlap EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
        WHERE (event_type = 'schedule' AND participation_type = 'location' AND event_status <> 'cancelled'),
    CONSTRAINT locations_one_parent_at_a_time EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
        WHERE (event_type = 'location_membership' AND participation_type = 'location' AND event_status <> 'cancelled')
);

CREATE INDEX participations_by_event ON participations (org_id, event_id);
-- A worker's or location's events over time, whatever their status (drafts too).
CREATE INDEX participations_by_entity ON participations USING gist (org_id, entity_id, event_type, during);
-- Everyone taking part in an organisation's events of a kind by start time: a week's calendar in one
-- index-only range scan instead of a lookup per shift.
CREATE INDEX participations_by_kind_and_start ON participations (org_id, event_type, lower(during))
    INCLUDE (event_id, participation_type, entity_id);

CREATE FUNCTION participations_follow_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ev events%ROWTYPE;
    kind text;
    needed text;
BEGIN
    SELECT * INTO ev FROM events WHERE org_id = NEW.org_id AND id = NEW.event_id;
    IF NOT FOUND THEN
        RETURN NEW; -- the foreign key reports it
    END IF;
    SELECT entity_type INTO kind FROM entities WHERE org_id = NEW.org_id AND id = NEW.entity_id;
    needed := CASE WHEN NEW.participation_type IN ('worker', 'employee') THEN 'worker' ELSE 'location' END;
    IF kind IS NOT NULL AND kind <> needed THEN
        RAISE EXCEPTION 'a % participation needs a %, not a %', NEW.participation_type, needed, kind
            USING ERRCODE = 'check_violation', CONSTRAINT = 'participations_entity_kind';
    END IF;
    IF (NEW.start_time IS NOT NULL AND (NEW.start_time < ev.start_time OR NEW.start_time >= coalesce(ev.end_time, 'infinity')))
       OR (NEW.end_time IS NOT NULL AND (NEW.end_time <= ev.start_time OR NEW.end_time > coalesce(ev.end_time, 'infinity'))) THEN
        RAISE EXCEPTION 'a participation lies inside its event'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'participations_within_event';
    END IF;
    NEW.event_type := ev.event_type;
    NEW.event_status := ev.status;
    NEW.during := tstzrange(coalesce(NEW.start_time, ev.start_time), coalesce(NEW.end_time, ev.end_time), '[)');
    RETURN NEW;
END $$;

CREATE TRIGGER participations_follow_event BEFORE INSERT OR UPDATE ON participations
    FOR EACH ROW EXECUTE FUNCTION participations_follow_event();

-- When an event moves or changes status, its participations follow (and the exclusion constraints judge).
CREATE FUNCTION events_push_to_participations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE participations SET event_status = NEW.status
     WHERE org_id = NEW.org_id AND event_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER events_push_to_participations AFTER UPDATE OF start_time, end_time, status ON events
    FOR EACH ROW
    WHEN (OLD.start_time IS DISTINCT FROM NEW.start_time OR OLD.end_time IS DISTINCT FROM NEW.end_time
          OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION events_push_to_participations();

-- An event that needs participants has them, and a location hierarchy never loops — both checked at
-- commit, once the whole command has been written.
CREATE FUNCTION events_have_participants() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    needs boolean;
BEGIN
    SELECT t.requires_participation INTO needs
      FROM events e JOIN event_types t ON t.org_id = e.org_id AND t.name = e.event_type
     WHERE e.org_id = NEW.org_id AND e.id = NEW.id AND e.status <> 'cancelled';
    IF needs AND NOT EXISTS (SELECT 1 FROM participations WHERE org_id = NEW.org_id AND event_id = NEW.id) THEN
        RAISE EXCEPTION 'a % needs a participant', NEW.event_type
            USING ERRCODE = 'check_violation', CONSTRAINT = 'events_have_participants';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER events_have_participants AFTER INSERT ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION events_have_participants();

CREATE FUNCTION location_hierarchy_has_no_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    child uuid;
    parent uuid;
    span tstzrange;
    loops boolean;
BEGIN
    IF NEW.event_type <> 'location_membership' THEN
        RETURN NULL;
    END IF;
    -- Serialise hierarchy changes per organisation, so two concurrent links cannot close a loop unseen.
    PERFORM pg_advisory_xact_lock(hashtextextended('location_hierarchy:' || NEW.org_id::text, 0));
    SELECT max(entity_id::text) FILTER (WHERE participation_type = 'location')::uuid,
           max(entity_id::text) FILTER (WHERE participation_type = 'parent_location')::uuid,
           (array_agg(during))[1]
      INTO child, parent, span
      FROM participations WHERE org_id = NEW.org_id AND event_id = NEW.event_id;
    IF child IS NULL OR parent IS NULL OR NEW.event_status = 'cancelled' THEN
        RETURN NULL;
    END IF;
    WITH RECURSIVE ancestors(id, depth) AS (
        SELECT parent, 0
        UNION
        SELECT up.entity_id, a.depth + 1
          FROM ancestors a
          JOIN participations down ON down.org_id = NEW.org_id AND down.entity_id = a.id
                                  AND down.event_type = 'location_membership' AND down.participation_type = 'location'
                                  AND down.event_status <> 'cancelled' AND down.during && span
          JOIN participations up ON up.org_id = NEW.org_id AND up.event_id = down.event_id
                                AND up.participation_type = 'parent_location'
         WHERE a.depth < 1000
    )
    SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = child) INTO loops;
    IF loops THEN
        RAISE EXCEPTION 'location % cannot sit under its own descendant %', child, parent
            USING ERRCODE = 'check_violation', CONSTRAINT = 'locations_no_cycle';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER location_hierarchy_has_no_cycle AFTER INSERT OR UPDATE ON participations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION location_hierarchy_has_no_cycle();

-- ---------------------------------------------------------------------------------------------------
-- The change log: one row per changed aggregate per command, append-only.

CREATE TABLE changes (
    org_id          uuid NOT NULL REFERENCES organisations (id),
    position        bigint GENERATED ALWAYS AS IDENTITY,
    -- Readers follow (txid, position) below the oldest running transaction, so a change that commits
    -- late is never skipped.
    txid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       uuid NOT NULL,
    stream_type     text NOT NULL,
    stream_version  integer NOT NULL CONSTRAINT changes_stream_version_positive CHECK (stream_version > 0),
    actor_id        uuid,
    actor           text NOT NULL,
    kind            text NOT NULL,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    payload         jsonb NOT NULL,
    PRIMARY KEY (org_id, position),
    CONSTRAINT changes_stream_version_unique UNIQUE (org_id, stream_id, stream_version)
);

CREATE INDEX changes_reading_order ON changes (org_id, txid, position);

CREATE FUNCTION changes_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the change log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'changes_append_only';
END $$;

CREATE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON changes
    FOR EACH ROW EXECUTE FUNCTION changes_are_append_only();
CREATE TRIGGER changes_no_truncate BEFORE TRUNCATE ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION changes_are_append_only();

-- ---------------------------------------------------------------------------------------------------
-- The attention projection: open conflicts for the manager's board, kept in the writing transaction.

CREATE TABLE attention_items (
    org_id            uuid NOT NULL REFERENCES organisations (id),
    id                uuid NOT NULL,
    kind              text NOT NULL,
    severity          text NOT NULL CONSTRAINT attention_items_known_severity CHECK (severity IN ('hard', 'warning')),
    worker_id         uuid NOT NULL,
    shift_ids         uuid[] NOT NULL,
    span              tstzrange NOT NULL,
    fingerprint       text NOT NULL,
    message           text NOT NULL,
    suggested_action  text NOT NULL,
    status            text NOT NULL DEFAULT 'open'
                      CONSTRAINT attention_items_known_status CHECK (status IN ('open', 'acknowledged', 'resolved')),
    detected_at       timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    reason            text,
    PRIMARY KEY (org_id, id),
    CONSTRAINT attention_items_worker_fk FOREIGN KEY (org_id, worker_id) REFERENCES entities (org_id, id)
);

CREATE UNIQUE INDEX attention_items_one_unresolved ON attention_items (org_id, fingerprint) WHERE status <> 'resolved';
CREATE INDEX attention_items_board ON attention_items (org_id, detected_at) WHERE status = 'open';
CREATE INDEX attention_items_by_worker ON attention_items USING gist (org_id, worker_id, span) WHERE status <> 'resolved';
