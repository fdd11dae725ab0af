-- Positions: an organisation's named jobs (cashier, barista, …), each with a colour the calendar draws
-- its shifts in. A position is an entity like a worker or a location; workers hold positions; a shift
-- asks for one through a `position` participation. No published shift is worked by someone who does
-- not hold the position it asks for.

ALTER TABLE entities DROP CONSTRAINT entities_known_type;
ALTER TABLE entities ADD CONSTRAINT entities_known_type
    CHECK (entity_type IN ('worker', 'location', 'organisation', 'position'));

ALTER TABLE entities ADD CONSTRAINT entities_position_colour
    CHECK (entity_type <> 'position' OR coalesce(properties ->> 'colour', '') ~ '^#[0-9a-f]{6}$');

CREATE UNIQUE INDEX entities_position_name_unique ON entities (org_id, lower(name)) WHERE entity_type = 'position';

-- Who holds which position. Not time-bound: holding is a skill the roster states now; the shifts a
-- worker worked keep the position they asked for in the log.
CREATE TABLE positions_held (
    org_id       uuid NOT NULL REFERENCES organisations (id),
    worker_id    uuid NOT NULL,
    position_id  uuid NOT NULL,
    PRIMARY KEY (org_id, worker_id, position_id),
    CONSTRAINT positions_held_worker_fk FOREIGN KEY (org_id, worker_id) REFERENCES entities (org_id, id),
    CONSTRAINT positions_held_position_fk FOREIGN KEY (org_id, position_id) REFERENCES entities (org_id, id)
);

CREATE INDEX positions_held_by_position ON positions_held (org_id, position_id);

CREATE TRIGGER positions_held_worker_is_a_worker BEFORE INSERT OR UPDATE ON positions_held
    FOR EACH ROW EXECUTE FUNCTION refers_to_entity_of_type('worker_id', 'worker', 'positions_held_worker_is_a_worker');
CREATE TRIGGER positions_held_position_is_a_position BEFORE INSERT OR UPDATE ON positions_held
    FOR EACH ROW EXECUTE FUNCTION refers_to_entity_of_type('position_id', 'position', 'positions_held_position_is_a_position');

-- A shift asks for at most one position.
ALTER TABLE participations DROP CONSTRAINT participations_known_type;
ALTER TABLE participations ADD CONSTRAINT participations_known_type
    CHECK (participation_type IN ('worker', 'employee', 'location', 'parent_location', 'position'));

CREATE UNIQUE INDEX participations_one_position_per_event ON participations (org_id, event_id)
    WHERE participation_type = 'position';

CREATE OR REPLACE FUNCTION participations_follow_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
    needed := CASE WHEN NEW.participation_type IN ('worker', 'employee') THEN 'worker'
                   WHEN NEW.participation_type = 'position' THEN 'position'
                   ELSE 'location' END;
    IF kind IS NOT NULL AND kind <> needed THEN
        RAISE EXCEPTION 'a % participation needs a %, not a %', NEW.participation_type, needed, kind
            USING ERRCODE = 'check_violation', CONSTRAINT = 'participations_entity_kind';
    END IF;
    IF NEW.participation_type = 'position' AND ev.event_type <> 'shift' THEN
        RAISE EXCEPTION 'only a shift asks for a position, not a %', ev.event_type
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

-- The shift `shift` is active, asks for a position, and its worker does not hold it.
CREATE FUNCTION shift_position_not_held(org uuid, shift uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1
          FROM participations p
          JOIN participations w ON w.org_id = p.org_id AND w.event_id = p.event_id AND w.participation_type = 'worker'
         WHERE p.org_id = org AND p.event_id = shift AND p.participation_type = 'position'
           AND p.event_status = 'active'
           AND NOT EXISTS (SELECT 1 FROM positions_held h
                            WHERE h.org_id = p.org_id AND h.worker_id = w.entity_id AND h.position_id = p.entity_id))
$$;

-- Judged at commit, so a command may reassign a shift and change its position in either order. Only
-- what is written is judged: a shift already worked keeps its position whatever is held later.
CREATE FUNCTION shifts_worker_holds_position() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF shift_position_not_held(NEW.org_id, NEW.event_id) THEN
        RAISE EXCEPTION 'the worker of the active shift % does not hold the position it asks for', NEW.event_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shifts_worker_holds_position';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER shifts_worker_holds_position AFTER INSERT OR UPDATE ON participations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.event_type = 'shift' AND NEW.participation_type IN ('worker', 'position') AND NEW.event_status = 'active')
    EXECUTE FUNCTION shifts_worker_holds_position();

-- A position is let go only while no published shift still to come asks its holder for it.
CREATE FUNCTION positions_held_release() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    needed uuid;
BEGIN
    SELECT p.event_id INTO needed
      FROM participations p
      JOIN participations w ON w.org_id = p.org_id AND w.event_id = p.event_id AND w.participation_type = 'worker'
     WHERE p.org_id = OLD.org_id AND p.participation_type = 'position' AND p.entity_id = OLD.position_id
       AND p.event_status = 'active' AND upper(p.during) > now() AND w.entity_id = OLD.worker_id
     LIMIT 1;
    IF needed IS NOT NULL THEN
        RAISE EXCEPTION 'the published shift % asks this worker for the position', needed
            USING ERRCODE = 'check_violation', CONSTRAINT = 'positions_held_needed';
    END IF;
    RETURN OLD;
END $$;

CREATE TRIGGER positions_held_release BEFORE DELETE ON positions_held
    FOR EACH ROW EXECUTE FUNCTION positions_held_release();
