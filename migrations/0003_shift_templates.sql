-- Shift templates: named start/end/break patterns a scheduler draws from ("Early 07–15 with lunch").
-- Times are local wall-clock times, applied in the zone of the location a shift is planned at; an end
-- at or before the start means the next day. Not events: a template holds no time of its own.

CREATE TABLE shift_templates (
    org_id      uuid NOT NULL REFERENCES organisations (id),
    id          uuid NOT NULL,
    name        text NOT NULL CONSTRAINT shift_templates_name_present CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    start_time  time NOT NULL,
    end_time    time NOT NULL,
    role        text,
    -- [{"start": "11:00:00", "end": "11:30:00", "paid": false}, …]
    breaks      jsonb NOT NULL DEFAULT '[]' CONSTRAINT shift_templates_breaks_array CHECK (jsonb_typeof(breaks) = 'array'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz,
    PRIMARY KEY (org_id, id)
);

CREATE UNIQUE INDEX shift_templates_name_unique ON shift_templates (org_id, lower(name)) WHERE archived_at IS NULL;
