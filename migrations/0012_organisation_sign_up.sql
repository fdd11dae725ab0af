-- An organisation can now be created by a person in the browser, not only by the demo or an operator:
-- it has the currency its pay rates default to, and its time zone is checked the way a location's is,
-- since every week of the organisation (rules, pay, timesheets) is counted in it.

ALTER TABLE organisations
    ADD COLUMN currency text NOT NULL DEFAULT 'EUR'
        CONSTRAINT organisations_currency_format CHECK (currency ~ '^[A-Z]{3}$');

CREATE FUNCTION organisation_time_zone_is_known() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        PERFORM now() AT TIME ZONE NEW.time_zone;
    EXCEPTION WHEN invalid_parameter_value THEN
        RAISE EXCEPTION 'unknown time zone %', NEW.time_zone
            USING ERRCODE = 'check_violation', CONSTRAINT = 'organisations_time_zone';
    END;
    RETURN NEW;
END $$;

CREATE TRIGGER organisations_time_zone BEFORE INSERT OR UPDATE OF time_zone ON organisations
    FOR EACH ROW EXECUTE FUNCTION organisation_time_zone_is_known();
