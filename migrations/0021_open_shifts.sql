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
