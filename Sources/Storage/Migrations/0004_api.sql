-- 0004: API tokens, and the indexes the API's listings need.

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    token_hash   text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    prefix       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

COMMENT ON TABLE api_tokens IS 'Bearer tokens for the API (TaskRunner token create|list|revoke). Only the SHA-256 of a token is stored; the token itself is printed once.';
COMMENT ON COLUMN api_tokens.prefix IS 'The first characters of the token, to tell tokens apart in listings; not enough to use it.';
COMMENT ON COLUMN api_tokens.revoked_at IS 'Set by revoke; a revoked token is refused.';

-- One live token per name; a revoked name may be reused.
CREATE UNIQUE INDEX api_tokens_live_name_idx ON api_tokens (name) WHERE revoked_at IS NULL;

-- GET /api/tasks?state=&task=: newest first (by id), filtered by state or task, cursor on id.
CREATE INDEX jobs_state_listing_idx ON jobs (state, id);
CREATE INDEX jobs_task_listing_idx ON jobs (task, id);
