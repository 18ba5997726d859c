-- 0003: the weather data (searches, daily statistics, alerts and their notifications, exports)
-- and the schedules that system cron runs, with one row per run slot.

CREATE TABLE weather_searches (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city                  text             NOT NULL CHECK (city <> ''),
    country               text             NOT NULL DEFAULT '',
    latitude              double precision,
    longitude             double precision,
    temperature           double precision NOT NULL,
    feels_like            double precision,
    temp_min              double precision,
    temp_max              double precision,
    humidity              integer          CHECK (humidity BETWEEN 0 AND 100),
    pressure              integer,
    wind_speed            double precision CHECK (wind_speed >= 0),
    wind_direction        integer,
    cloudiness            integer,
    condition_code        integer,
    condition_main        text,
    condition_description text,
    observed_at           timestamptz,
    searched_at           timestamptz      NOT NULL DEFAULT now(),
    -- Derived by async_weather_processing.
    dew_point             double precision,
    heat_index            double precision,
    wind_chill            double precision,
    beaufort              smallint,
    comfort               text,
    processed_at          timestamptz
);

COMMENT ON TABLE weather_searches IS 'One row per weather lookup: what the provider reported (metric units), when, and what async_weather_processing derived from it.';
COMMENT ON COLUMN weather_searches.city IS 'The provider''s name for the place.';
COMMENT ON COLUMN weather_searches.country IS 'ISO 3166 alpha-2 code, or empty when unknown.';
COMMENT ON COLUMN weather_searches.temperature IS 'Degrees Celsius.';
COMMENT ON COLUMN weather_searches.wind_speed IS 'Metres per second.';
COMMENT ON COLUMN weather_searches.condition_code IS 'OpenWeather condition id: 2xx thunderstorm, 3xx drizzle, 5xx rain, 6xx snow, 7xx atmosphere, 800 clear, 80x clouds.';
COMMENT ON COLUMN weather_searches.observed_at IS 'When the provider observed it.';
COMMENT ON COLUMN weather_searches.searched_at IS 'When it was fetched and stored.';
COMMENT ON COLUMN weather_searches.dew_point IS 'Derived: Magnus formula, degrees Celsius.';
COMMENT ON COLUMN weather_searches.heat_index IS 'Derived: NOAA heat index in degrees Celsius when at least 27 C; else NULL.';
COMMENT ON COLUMN weather_searches.wind_chill IS 'Derived: wind chill in degrees Celsius when at most 10 C with wind above 4.8 km/h; else NULL.';
COMMENT ON COLUMN weather_searches.beaufort IS 'Derived: Beaufort force 0-12 from wind_speed.';
COMMENT ON COLUMN weather_searches.comfort IS 'Derived: freezing, cold, cool, comfortable, warm, hot, oppressive.';
COMMENT ON COLUMN weather_searches.processed_at IS 'When async_weather_processing derived the columns above; NULL until then.';

-- Listings (newest first, by city), cleanup and daily statistics all range over searched_at.
CREATE INDEX weather_searches_searched_idx ON weather_searches (searched_at, id);
CREATE INDEX weather_searches_city_idx ON weather_searches (lower(city), searched_at, id);
-- Searches still waiting for processing: small, only unprocessed rows.
CREATE INDEX weather_searches_unprocessed_idx ON weather_searches (id) WHERE processed_at IS NULL;

CREATE TABLE weather_daily_statistics (
    day             date             NOT NULL,
    city            text             NOT NULL,
    country         text             NOT NULL,
    searches        integer          NOT NULL CHECK (searches > 0),
    temperature_avg double precision NOT NULL,
    temperature_min double precision NOT NULL,
    temperature_max double precision NOT NULL,
    humidity_avg    double precision,
    humidity_min    integer,
    humidity_max    integer,
    wind_speed_avg  double precision,
    wind_speed_min  double precision,
    wind_speed_max  double precision,
    generated_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (day, city, country)
);

COMMENT ON TABLE weather_daily_statistics IS 'Per city and day (UTC): count and average/min/max of temperature, humidity and wind. generate_weather_statistics replaces a day''s rows.';

CREATE TABLE weather_alerts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    search_id   bigint           REFERENCES weather_searches (id) ON DELETE SET NULL,
    city        text             NOT NULL,
    country     text             NOT NULL,
    kind        text             NOT NULL CHECK (kind IN ('heat', 'cold', 'wind', 'thunderstorm')),
    value       double precision NOT NULL,
    threshold   double precision NOT NULL,
    message     text             NOT NULL,
    observed_at timestamptz      NOT NULL,
    created_at  timestamptz      NOT NULL DEFAULT now()
);

COMMENT ON TABLE weather_alerts IS 'Extreme conditions found by send_weather_alerts; at most one per city and kind within 6 hours of observed_at.';
COMMENT ON COLUMN weather_alerts.value IS 'The measured value: degrees Celsius, metres per second, or the condition code.';
COMMENT ON COLUMN weather_alerts.observed_at IS 'When the triggering search was made.';

CREATE INDEX weather_alerts_recent_idx ON weather_alerts (lower(city), country, kind, observed_at);
CREATE INDEX weather_alerts_created_idx ON weather_alerts (created_at, id);
-- Deleting a search sets its alerts' search_id to NULL: without this index every deleted search
-- would scan weather_alerts.
CREATE INDEX weather_alerts_search_idx ON weather_alerts (search_id);

CREATE TABLE weather_alert_notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id   bigint      NOT NULL REFERENCES weather_alerts (id) ON DELETE CASCADE,
    channel    text        NOT NULL CHECK (channel IN ('email', 'webhook')),
    target     text        NOT NULL,
    state      text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts   integer     NOT NULL DEFAULT 0,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    UNIQUE (alert_id, channel, target)
);

COMMENT ON TABLE weather_alert_notifications IS 'Every notification of an alert (e-mail or webhook) and its outcome; pending ones are retried by the next send_weather_alerts run until they are sent or out of attempts.';

CREATE INDEX weather_alert_notifications_pending_idx ON weather_alert_notifications (id) WHERE state = 'pending';

CREATE TABLE weather_exports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id       bigint,
    format       text        NOT NULL CHECK (format IN ('json', 'csv')),
    city         text,
    period_from  timestamptz,
    period_to    timestamptz,
    file_name    text        CHECK (file_name ~ '^[A-Za-z0-9._-]+$'),
    state        text        NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'succeeded', 'failed')),
    row_count    bigint,
    byte_count   bigint,
    sha256       text,
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);

COMMENT ON TABLE weather_exports IS 'Every export_weather_data run: its filters, the file written into EXPORT_DIR (a bare name, never a path), rows, bytes and SHA-256.';

CREATE TABLE task_cursors (
    name       text PRIMARY KEY,
    position   bigint      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE task_cursors IS 'Where a task stopped last time (send_weather_alerts: the last search it looked at).';

CREATE TABLE schedules (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]*$'),
    cron        text        NOT NULL,
    task        text        NOT NULL,
    args        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    description text        NOT NULL DEFAULT '',
    paused      boolean     NOT NULL DEFAULT false,
    runs        bigint      NOT NULL DEFAULT 0,
    last_slot   timestamp,
    last_job_id bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE schedules IS 'The periodic work, mirroring crontab/: TaskRunner migrate and schedule install keep cron, task and args in step with the built-in list; paused and the run history are the operators''.';
COMMENT ON COLUMN schedules.runs IS 'Runs started so far (skipped slots not counted).';
COMMENT ON COLUMN schedules.last_slot IS 'The last slot that started a run: the scheduled wall-clock minute in the cron daemon''s time zone.';

CREATE TABLE schedule_runs (
    schedule    text        NOT NULL REFERENCES schedules (name) ON DELETE CASCADE,
    slot        timestamp   NOT NULL,
    host        text        NOT NULL,
    pid         integer     NOT NULL,
    job_id      bigint,
    state       text        NOT NULL DEFAULT 'running'
                CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled', 'skipped')),
    reason      text,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (schedule, slot)
);

COMMENT ON TABLE schedule_runs IS 'One row per slot a schedule claimed, on whichever host got there first: the primary key is what keeps a slot from running twice.';
COMMENT ON COLUMN schedule_runs.slot IS 'The scheduled wall-clock minute, derived from the cron expression, so every host agrees.';
COMMENT ON COLUMN schedule_runs.job_id IS 'The job that recorded the run (jobs table; may be purged after the retention period).';
COMMENT ON COLUMN schedule_runs.state IS 'running, then the job''s final state; skipped when the previous run was still going.';

CREATE INDEX schedule_runs_running_idx ON schedule_runs (schedule) WHERE state = 'running';
CREATE INDEX schedule_runs_recent_idx ON schedule_runs (schedule, started_at DESC);
