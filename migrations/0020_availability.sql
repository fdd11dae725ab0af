-- Availability: when a worker can work. A weekly pattern (`availability` event) is in force from a day
-- on — its start is that day's midnight in the organisation's zone, its end the next pattern's start —
-- and holds windows of wall-clock hours per weekday, each unavailable or preferred. One-off exceptions
-- (`availability_exception` events) say the worker cannot come over a stretch, or can after all.
INSERT INTO event_type_defaults (name, category, can_nest, can_have_children, requires_participation, properties_schema)
VALUES
 ('availability', 'absence', false, false, true,
  '{"type":"object","properties":{
      "windows":{"type":"array","maxItems":50,"items":{"type":"object","properties":{
          "weekday":{"type":"integer","minimum":1,"maximum":7},
          "from":{"type":"string"},"to":{"type":"string"},
          "preference":{"enum":["unavailable","preferred"]}},
        "required":["weekday","from","to","preference"],"additionalProperties":false}}},
    "required":["windows"],"additionalProperties":false}'),
 ('availability_exception', 'absence', false, false, true,
  '{"type":"object","properties":{
      "available":{"type":"boolean"},
      "note":{"type":"string","maxLength":500}},
    "required":["available"],"additionalProperties":false}');

INSERT INTO event_types (org_id, name, category, can_nest, can_have_children, requires_participation, allowed_parents, properties_schema, rules)
SELECT o.id, d.name, d.category, d.can_nest, d.can_have_children, d.requires_participation, d.allowed_parents, d.properties_schema, d.rules
  FROM organisations o CROSS JOIN event_type_defaults d
 WHERE d.name IN ('availability', 'availability_exception');

-- One pattern in force at a time per worker; a new one ends the one before where it starts.
ALTER TABLE participations ADD CONSTRAINT availability_one_pattern_at_a_time
    EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
    WHERE (event_type = 'availability' AND participation_type = 'worker' AND event_status = 'active');

-- An exception is bounded: at most a year and a day.
ALTER TABLE events ADD CONSTRAINT events_availability_exception_bounded
    CHECK (event_type <> 'availability_exception' OR (end_time IS NOT NULL AND end_time - start_time <= interval '367 days'));
