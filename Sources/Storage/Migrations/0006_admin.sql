-- 0006: the web admin's users, their sessions, and failed sign-ins (for throttling).

CREATE TABLE admin_users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username            text        NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    password_hash       text        NOT NULL CHECK (password_hash LIKE '$%'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    last_login_at       timestamptz,
    disabled_at         timestamptz
);

COMMENT ON TABLE admin_users IS 'Web admin users (TaskRunner user create|list|delete|password). No user exists by default.';
COMMENT ON COLUMN admin_users.username IS 'Unique regardless of case (admin_users_username_idx); sign-in matches it case-insensitively.';
COMMENT ON COLUMN admin_users.password_hash IS 'libxcrypt yescrypt ($y$...): the setting and the hash; never the password.';
COMMENT ON COLUMN admin_users.disabled_at IS 'Set when the user may no longer sign in; disabling ends the user''s sessions.';

CREATE UNIQUE INDEX admin_users_username_idx ON admin_users (lower(username));

CREATE TABLE admin_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id      bigint      NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz
);

COMMENT ON TABLE admin_sessions IS 'Signed-in admin browsers. Only the SHA-256 of the session cookie is stored; the cookie itself lives only in the browser.';
COMMENT ON COLUMN admin_sessions.csrf_token IS 'Random per session; every admin form that changes anything must carry it.';
COMMENT ON COLUMN admin_sessions.last_seen_at IS 'Refreshed at most once a minute; a session idle longer than ADMIN_SESSION_IDLE_MINUTES is refused.';
COMMENT ON COLUMN admin_sessions.expires_at IS 'The absolute end (ADMIN_SESSION_MAX_HOURS after sign-in), however active the session.';
COMMENT ON COLUMN admin_sessions.ended_at IS 'Set by sign-out, a password change or disabling the user; an ended session is refused.';

CREATE INDEX admin_sessions_live_user_idx ON admin_sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE admin_login_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username  text        NOT NULL,
    address   text        NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE admin_login_failures IS 'Failed sign-ins, known user names or not, kept for the throttling window (ADMIN_LOGIN_WINDOW_MINUTES) and pruned as new ones arrive.';
COMMENT ON COLUMN admin_login_failures.username IS 'The name as typed, lowercased and cut to 64 characters.';
COMMENT ON COLUMN admin_login_failures.address IS 'The client address nginx saw (REMOTE_ADDR).';

CREATE INDEX admin_login_failures_username_idx ON admin_login_failures (username, failed_at);
CREATE INDEX admin_login_failures_address_idx ON admin_login_failures (address, failed_at);
CREATE INDEX admin_login_failures_failed_at_idx ON admin_login_failures (failed_at);
