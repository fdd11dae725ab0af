-- Time off: a worker asks to be away, as a `time_off` event the worker takes part in ('worker'). The
-- request's life is the event's status: requested = draft, approved = active, declined or cancelled =
-- cancelled (`properties.outcome` says which). Every step is a change in the log (stream `time_off`).

-- What a request carries. `kind` is vacation, sick, unpaid or other; `whole_days` says whether it was
-- asked as days in the organisation's zone (the event runs from the first day's midnight to the midnight
-- after the last) or as hours; the notes are the worker's and the manager's.
UPDATE event_type_defaults SET properties_schema =
 '{"type":"object","properties":{
     "kind":{"enum":["vacation","sick","unpaid","other"]},
     "whole_days":{"type":"boolean"},
     "note":{"type":"string","maxLength":500},
     "decision_note":{"type":"string","maxLength":500},
     "outcome":{"enum":["declined","cancelled"]}},
   "required":["kind","whole_days"],"additionalProperties":false}'
 WHERE name = 'time_off';
UPDATE event_types t SET properties_schema = d.properties_schema
  FROM event_type_defaults d WHERE d.name = 'time_off' AND t.name = 'time_off';

-- A request has an end and lasts at most a year and a day (a leap year's days, asked at once).
ALTER TABLE events ADD CONSTRAINT events_time_off_bounded
    CHECK (event_type <> 'time_off' OR (end_time IS NOT NULL AND end_time - start_time <= interval '367 days'));

-- A worker never has two live requests (asked or approved) over the same time: the second is a change
-- to the first, or waits until it is decided.
ALTER TABLE participations ADD CONSTRAINT time_off_no_overlap
    EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
    WHERE (event_type = 'time_off' AND participation_type = 'worker' AND event_status IN ('draft', 'active'));

-- A worker on approved time off is never on a published shift then: a row of each kind may not overlap
-- (two rows of one kind are the constraints above and `shifts_no_double_booking`). A draft over time
-- off is allowed and is a hard conflict on the board, which publishing refuses.
ALTER TABLE participations ADD CONSTRAINT shifts_not_on_time_off
    EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&, event_type WITH <>)
    WHERE (participation_type = 'worker'
           AND ((event_type = 'shift' AND event_status IN ('active', 'completed'))
             OR (event_type = 'time_off' AND event_status = 'active')));

-- A manager's list of what is waiting, and a worker's requests, by time.
CREATE INDEX events_time_off_open ON events (org_id, start_time) WHERE event_type = 'time_off' AND status = 'draft';
