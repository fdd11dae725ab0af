-- What an administrator may change on /settings: the day the organisation's weeks start on, and the
-- rules' thresholds and pay premiums that event_types.rules keeps (shift: rest, weekly maximum,
-- overtime, breaks; payroll_piece: the night window, weekend days and multipliers). The same ranges
-- are checked first, with a message per field, in src/organisation_settings.rs.

ALTER TABLE organisations
    ADD COLUMN week_starts_on text NOT NULL DEFAULT 'monday'
        CONSTRAINT organisations_week_start CHECK (week_starts_on IN ('monday', 'sunday')),
    -- Bumped by every change of settings, so an administrator's form saved over another's is refused.
    ADD COLUMN settings_version integer NOT NULL DEFAULT 1
        CONSTRAINT organisations_settings_version_positive CHECK (settings_version > 0);

-- Absent, or a JSON number within [low, high].
CREATE FUNCTION rule_number_within(rules jsonb, key text, low numeric, high numeric) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT NOT (rules ? key)
        OR (jsonb_typeof(rules -> key) = 'number' AND (rules ->> key)::numeric BETWEEN low AND high)
$$;

-- Absent, null, or a wall-clock time written HH:MM.
CREATE FUNCTION rule_clock_time(rules jsonb, key text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT NOT (rules ? key) OR jsonb_typeof(rules -> key) = 'null'
        OR (jsonb_typeof(rules -> key) = 'string' AND (rules ->> key) ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
$$;

ALTER TABLE event_types ADD CONSTRAINT event_types_shift_rules_in_range CHECK (
    name <> 'shift' OR (
        rule_number_within(rules, 'min_rest_hours', 0, 24)
        AND rule_number_within(rules, 'max_weekly_hours', 1, 168)
        AND rule_number_within(rules, 'overtime_weekly_hours', 1, 168)
        AND rule_number_within(rules, 'break_required_after_hours', 0, 24)
        AND rule_number_within(rules, 'min_break_minutes', 0, 240)
    )
);

ALTER TABLE event_types ADD CONSTRAINT event_types_pay_rules_in_range CHECK (
    name <> 'payroll_piece' OR (
        rule_number_within(rules, 'night_multiplier', 1, 10)
        AND rule_number_within(rules, 'weekend_multiplier', 1, 10)
        AND rule_number_within(rules, 'overtime_multiplier', 1, 10)
        AND rule_clock_time(rules, 'night_start')
        AND rule_clock_time(rules, 'night_end')
        AND (NOT (rules ? 'weekend_days') OR (
            jsonb_typeof(rules -> 'weekend_days') = 'array'
            AND rules -> 'weekend_days' <@ '["mon","tue","wed","thu","fri","sat","sun"]'::jsonb
        ))
    )
);
