-- Open shifts: work at a location with no worker yet. An `open_shift` event takes part only with its
-- location (and the position it asks for); it holds how many identical places it offers ("3 baristas
-- 07:00–15:00") and how many are taken. Its life is the event's status: draft with the week's plan,
-- active once published (open to claims while a place is left), cancelled when withdrawn untaken.
--
-- A worker's claim is a `shift_claim` event nested in the open shift, the worker taking part: waiting =
-- draft, approved = active (the shift it became is in `properties.shift_id`), declined or withdrawn =
-- cancelled with `properties.outcome`. Every step is a change in the log (streams `open_shift` and
-- `shift_claim`).
INSERT INTO event_type_defaults (name, category, can_nest, can_have_children, requires_participation, allowed_parents, properties_schema)
VALUES
 ('open_shift', 'planning', false, true, true, '{}',
  '{"type":"object","properties":{
      "role":{"type":"string","maxLength":80},
      "notes":{"type":"string","maxLength":2000},
      "places":{"type":"integer","minimum":1,"maximum":50},
      "taken":{"type":"integer","minimum":0,"maximum":50},
      "approval":{"enum":["manager","automatic"]}},
    "required":["places","taken","approval"],"additionalProperties":false}'),
 ('shift_claim', 'request', true, false, true, '{open_shift}',
  '{"type":"object","properties":{
      "note":{"type":"string","maxLength":500},
      "decision_note":{"type":"string","maxLength":500},
      "outcome":{"enum":["declined","withdrawn","filled","closed"]},
      "shift_id":{"type":"string"}},
    "additionalProperties":false}');

INSERT INTO event_types (org_id, name, category, can_nest, can_have_children, requires_participation, allowed_parents, properties_schema, rules)
SELECT o.id, d.name, d.category, d.can_nest, d.can_have_children, d.requires_participation, d.allowed_parents, d.properties_schema, d.rules
  FROM organisations o CROSS JOIN event_type_defaults d
 WHERE d.name IN ('open_shift', 'shift_claim');

-- An open shift asks for a position as a shift does (0017 let only shifts).
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
    IF NEW.participation_type = 'position' AND ev.event_type NOT IN ('shift', 'open_shift') THEN
        RAISE EXCEPTION 'only a shift or an open shift asks for a position, not a %', ev.event_type
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

-- An open shift is as bounded as a shift, and never gives more places than it has: taking a place
-- adds one to `taken` in the same statement that checks it, so of two claims racing for the last
-- place the second finds it gone, whatever the application did before.
ALTER TABLE events ADD CONSTRAINT events_open_shift_at_most_a_day
    CHECK (event_type <> 'open_shift' OR (end_time IS NOT NULL AND end_time - start_time <= interval '24 hours'));
ALTER TABLE events ADD CONSTRAINT open_shifts_places_taken
    CHECK (event_type <> 'open_shift'
           OR ((properties ->> 'taken')::int BETWEEN 0 AND (properties ->> 'places')::int));

-- A worker waits on at most one claim at a time over the same hours: two overlapping shifts could not
-- both be theirs.
ALTER TABLE participations ADD CONSTRAINT shift_claims_one_waiting
    EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
    WHERE (event_type = 'shift_claim' AND participation_type = 'worker' AND event_status = 'draft');

-- A location's open shifts by time, for the calendar's row and a worker's list of what they may take.
CREATE INDEX events_open_shifts_live ON events (org_id, start_time)
    WHERE event_type = 'open_shift' AND status IN ('draft', 'active');
