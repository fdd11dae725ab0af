-- A location's time zone is checked without scanning pg_timezone_names, which reads every zone file of
-- the server on each call (60–130 ms per location written). The service checks the name against the
-- IANA database first (chrono-tz, the zones the calendar itself uses); this stays the backstop for any
-- other writer: PostgreSQL converting a moment into the zone refuses a zone it does not know.

CREATE OR REPLACE FUNCTION location_time_zone_is_known() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    zone text := NEW.properties ->> 'time_zone';
BEGIN
    IF NEW.entity_type <> 'location' THEN
        RETURN NEW;
    END IF;
    IF zone IS NULL OR zone = '' THEN
        RAISE EXCEPTION 'unknown time zone (none)'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'entities_location_time_zone';
    END IF;
    BEGIN
        PERFORM now() AT TIME ZONE zone;
    EXCEPTION WHEN invalid_parameter_value THEN
        RAISE EXCEPTION 'unknown time zone %', zone
            USING ERRCODE = 'check_violation', CONSTRAINT = 'entities_location_time_zone';
    END;
    RETURN NEW;
END $$;
