-- Swaps and drops: a worker offers a published shift of theirs to a named colleague (a swap, optionally
-- for one of the colleague's shifts in return) or to anyone who could take it (a drop). A `shift_offer`
-- event nested in the shift; the offering worker takes part as 'worker' with role 'offering', the
-- colleague (named, or whoever accepts a drop) as 'worker' with role 'taking'. Its life is the event's
-- status: draft = offered, active = accepted by the colleague (waiting for a manager), completed =
-- approved (the shift is the colleague's), cancelled = declined, withdrawn, refused by the colleague or
-- expired (`properties.outcome`). Every step is a change in the log (stream `shift_offer`).
INSERT INTO event_type_defaults (name, category, can_nest, can_have_children, requires_participation, allowed_parents, properties_schema)
VALUES
 ('shift_offer', 'request', true, false, true, '{shift}',
  '{"type":"object","properties":{
      "in_return":{"type":"string"},
      "note":{"type":"string","maxLength":500},
      "decision_note":{"type":"string","maxLength":500},
      "outcome":{"enum":["declined","withdrawn","refused","expired"]}},
    "additionalProperties":false}');

INSERT INTO event_types (org_id, name, category, can_nest, can_have_children, requires_participation, allowed_parents, properties_schema, rules)
SELECT o.id, d.name, d.category, d.can_nest, d.can_have_children, d.requires_participation, d.allowed_parents, d.properties_schema, d.rules
  FROM organisations o CROSS JOIN event_type_defaults d
 WHERE d.name = 'shift_offer';

-- A shift is offered once at a time: a second offer waits until the first is settled.
CREATE UNIQUE INDEX shift_offers_one_live_per_shift ON events (org_id, parent_id)
    WHERE event_type = 'shift_offer' AND status IN ('draft', 'active');

-- The offers still live, by time, for the screens that list them.
CREATE INDEX events_shift_offers_live ON events (org_id, start_time)
    WHERE event_type = 'shift_offer' AND status IN ('draft', 'active');
