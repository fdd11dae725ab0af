-- Time travel: every version a shift has had, and the stretch of the change log during which it was the
-- current one. The week as it stood after change P is the versions whose `known` range holds P — one
-- index scan, however long the log, instead of replaying it.
--
-- A projection of `changes`, kept by a trigger on the log in the writing transaction, so it can never
-- disagree with the log; `shift_history_apply` is its one definition, used by the trigger and to rebuild
-- it from the log (below, and after the scale benchmark's bulk load).

CREATE TABLE shift_history (
    org_id       uuid NOT NULL REFERENCES organisations (id),
    shift_id     uuid NOT NULL,
    version      integer NOT NULL,
    -- Log positions: from the change that made this version, up to (not including) the one that replaced it.
    known        int8range NOT NULL,
    during       tstzrange NOT NULL,
    location_id  uuid NOT NULL,
    worker_id    uuid NOT NULL,
    status       text NOT NULL,
    -- The shift as the calendar shows it (a ShiftView), as the change recorded it. `json`, not `jsonb`:
    -- it is only ever read whole, and text leaves the server three times faster than jsonb is printed.
    state        json NOT NULL,
    PRIMARY KEY (org_id, shift_id, version)
);

CREATE UNIQUE INDEX shift_history_current ON shift_history (org_id, shift_id) WHERE upper_inf(known);
CREATE INDEX shift_history_as_of ON shift_history USING gist (org_id, during, known);

-- Finding the moment a date-time field names: the last change recorded by then.
CREATE INDEX changes_by_time ON changes (org_id, recorded_at, position);

CREATE FUNCTION shift_history_apply(c changes) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    previous jsonb;
    state jsonb;
BEGIN
    UPDATE shift_history h SET known = int8range(lower(h.known), c.position)
     WHERE h.org_id = c.org_id AND h.shift_id = c.stream_id AND upper_inf(h.known)
    RETURNING h.state::jsonb INTO previous;
    -- Every change but publishing records the shift it left behind; publishing only activates it.
    state := coalesce(c.payload -> 'after', previous);
    IF state IS NULL THEN
        RETURN;
    END IF;
    IF c.payload -> 'after' IS NULL THEN
        state := state || jsonb_build_object('version', c.stream_version);
        IF c.kind = 'shift.published' THEN
            state := state || '{"status": "active"}';
        END IF;
    END IF;
    INSERT INTO shift_history (org_id, shift_id, version, known, during, location_id, worker_id, status, state)
    VALUES (c.org_id, c.stream_id, c.stream_version, int8range(c.position, NULL),
            tstzrange((state #>> '{during,start}')::timestamptz, (state #>> '{during,end}')::timestamptz, '[)'),
            (state ->> 'location_id')::uuid, (state ->> 'worker_id')::uuid, state ->> 'status', state::json);
END $$;

CREATE FUNCTION changes_keep_shift_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM shift_history_apply(NEW);
    RETURN NULL;
END $$;

CREATE TRIGGER changes_shift_history AFTER INSERT ON changes
    FOR EACH ROW WHEN (NEW.stream_type = 'shift') EXECUTE FUNCTION changes_keep_shift_history();

-- Applies an organisation's shift changes in (after, up_to], in log order; returns how many.
CREATE FUNCTION shift_history_replay(org uuid, after bigint, up_to bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    c changes;
    applied bigint := 0;
BEGIN
    FOR c IN SELECT * FROM changes
              WHERE org_id = org AND stream_type = 'shift' AND position > after AND position <= up_to
              ORDER BY position
    LOOP
        PERFORM shift_history_apply(c);
        applied := applied + 1;
    END LOOP;
    RETURN applied;
END $$;

SELECT shift_history_replay(id, 0, 9223372036854775807) FROM organisations;
