-- Timekeeping and pay on the event core: no new domain tables, only what the core must refuse.
--
-- * clock_event: a punch, a point in time (end_time NULL). Corrections are new clock_events that name
--   the punch they replace or void; a punch is never edited.
-- * clock_period: punches paired, kept in the punching transaction.
-- * timesheet_approval: a manager's approval of a worker's week; while it stands, the week's punches and
--   periods are locked.
-- * payroll_piece: an approved period's stretch at one rate type, nested in the period.
-- * compensation: a worker's hourly rate over a span; one at a time.

INSERT INTO event_type_defaults VALUES
 ('timesheet_approval', 'timekeeping', false, false, true, '{}',
  '{"type":"object","properties":{"clocked_hours":{"type":"number"},"cost_cents":{"type":"integer"}},"additionalProperties":true}', '{}');

INSERT INTO event_types
SELECT o.id, d.name, d.category, d.can_nest, d.can_have_children, d.requires_participation,
       d.allowed_parents, d.properties_schema, d.rules
  FROM organisations o CROSS JOIN event_type_defaults d
 WHERE d.name = 'timesheet_approval';

-- Premiums and the night window, per organisation (the overtime threshold is the shift rules'
-- overtime_weekly_hours, one number for warnings and pay alike).
UPDATE event_type_defaults
   SET rules = '{"night_start":"22:00","night_end":"06:00","night_multiplier":1.25,"weekend_days":["sat","sun"],"weekend_multiplier":1.5,"overtime_multiplier":1.5}'
 WHERE name = 'payroll_piece';
UPDATE event_types
   SET rules = '{"night_start":"22:00","night_end":"06:00","night_multiplier":1.25,"weekend_days":["sat","sun"],"weekend_multiplier":1.5,"overtime_multiplier":1.5}'
 WHERE name = 'payroll_piece' AND rules = '{}';

-- A rate given in whole cents, with its currency.
UPDATE event_type_defaults
   SET properties_schema = '{"type":"object","properties":{"hourly_rate_cents":{"type":"integer","minimum":0,"maximum":100000000},"currency":{"type":"string","minLength":3,"maxLength":3}},"required":["hourly_rate_cents","currency"],"additionalProperties":false}'
 WHERE name = 'compensation';
UPDATE event_types
   SET properties_schema = '{"type":"object","properties":{"hourly_rate_cents":{"type":"integer","minimum":0,"maximum":100000000},"currency":{"type":"string","minLength":3,"maxLength":3}},"required":["hourly_rate_cents","currency"],"additionalProperties":false}'
 WHERE name = 'compensation';

ALTER TABLE participations
    ADD CONSTRAINT compensations_one_rate_at_a_time EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
        WHERE (event_type = 'compensation' AND participation_type = 'worker' AND event_status <> 'cancelled'),
    ADD CONSTRAINT timesheets_one_approval_per_week EXCLUDE USING gist (org_id WITH =, entity_id WITH =, during WITH &&)
        WHERE (event_type = 'timesheet_approval' AND participation_type = 'worker' AND event_status = 'active');

-- A worker's punches and periods by time, for pairing and the timesheet.
CREATE INDEX participations_timekeeping ON participations (org_id, entity_id, event_type, lower(during))
    WHERE event_type IN ('clock_event', 'clock_period') AND participation_type = 'worker';

-- An approved week is locked: no punch, correction or period of the worker may start inside it (or
-- change while it does). Every write takes the worker's timesheet lock first, and so does approving, so
-- a punch racing an approval either lands before it — and is in what was approved — or is refused.
CREATE FUNCTION timesheet_lock_key(org uuid, worker uuid) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT hashtextextended('timesheet:' || org::text || ':' || worker::text, 0)
$$;

CREATE FUNCTION timesheets_approved_weeks_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.participation_type <> 'worker' OR NEW.event_type NOT IN ('clock_event', 'clock_period') THEN
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(timesheet_lock_key(NEW.org_id, NEW.entity_id));
    IF EXISTS (SELECT 1 FROM participations a
                WHERE a.org_id = NEW.org_id AND a.entity_id = NEW.entity_id
                  AND a.event_type = 'timesheet_approval' AND a.participation_type = 'worker'
                  AND a.event_status = 'active' AND a.during @> lower(NEW.during)) THEN
        RAISE EXCEPTION 'the week of % is approved for worker %', lower(NEW.during), NEW.entity_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'timesheets_approved_week_locked';
    END IF;
    RETURN NEW;
END $$;

-- Named to run after participations_follow_event, which fills in `during`.
CREATE TRIGGER participations_week_locked BEFORE INSERT OR UPDATE ON participations
    FOR EACH ROW EXECUTE FUNCTION timesheets_approved_weeks_locked();


-- A punch is what the clock recorded: never edited, never deleted. Corrections are new punches.
CREATE FUNCTION clock_events_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a punch is never changed (% refused); record a correction instead', TG_OP
        USING ERRCODE = 'check_violation', CONSTRAINT = 'clock_events_never_edited';
END $$;

CREATE TRIGGER clock_events_never_edited BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW WHEN (OLD.event_type = 'clock_event') EXECUTE FUNCTION clock_events_are_kept();
