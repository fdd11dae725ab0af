-- People leave and places close, and both stay in history: a worker removed, or a location closed,
-- from an instant takes part in no planning after it. Their past shifts, timesheets, pay and the log
-- are untouched; restoring (reopening) clears the instant. A worker also gains a phone number, kept in
-- properties beside the email.

ALTER TABLE entities ADD COLUMN inactive_from timestamptz;

CREATE INDEX entities_active ON entities (org_id, entity_type, name) WHERE inactive_from IS NULL;

-- No live shift, employment or schedule reaches past the instant its worker was removed or its
-- location closed from. Only what is written is judged: rows already there are ended or cancelled by
-- the command that removes or closes (services/people_leaving.rs), and cancelling or ending one later
-- makes it no longer reach.
CREATE FUNCTION participations_not_after_inactive() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    inactive timestamptz;
BEGIN
    IF NEW.event_status NOT IN ('draft', 'active') THEN
        RETURN NEW;
    END IF;
    IF NOT ((NEW.participation_type = 'worker' AND NEW.event_type = 'shift')
         OR (NEW.participation_type = 'employee' AND NEW.event_type = 'employment')
         OR (NEW.participation_type = 'location' AND NEW.event_type IN ('shift', 'schedule'))) THEN
        RETURN NEW;
    END IF;
    SELECT inactive_from INTO inactive FROM entities WHERE org_id = NEW.org_id AND id = NEW.entity_id;
    IF inactive IS NOT NULL AND (upper(NEW.during) IS NULL OR upper(NEW.during) > inactive) THEN
        RAISE EXCEPTION '% is not planned after %', NEW.entity_id, inactive
            USING ERRCODE = 'check_violation', CONSTRAINT = 'participations_not_after_inactive';
    END IF;
    RETURN NEW;
END $$;

-- Named after participations_follow_event, so it runs after that trigger has copied the event's range.
CREATE TRIGGER participations_not_after_inactive BEFORE INSERT OR UPDATE ON participations
    FOR EACH ROW EXECUTE FUNCTION participations_not_after_inactive();
