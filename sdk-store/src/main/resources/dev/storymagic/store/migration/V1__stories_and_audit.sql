-- StoryMagic story store, version 1.
-- The story itself is kept as its versioned JSON document (json, not jsonb: json keeps the text as
-- written, including characters jsonb refuses such as \u0000); the columns beside it are what the
-- queries filter and order by.

CREATE TABLE ${flyway:defaultSchema}.story (
  id              uuid        PRIMARY KEY,
  owner           text        NOT NULL,
  created_at      timestamptz NOT NULL,
  idempotency_key text,
  title           text        NOT NULL,
  format_version  smallint    NOT NULL,
  body            json        NOT NULL
);

-- Keyset pagination: WHERE owner = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC.
CREATE INDEX story_owner_created_id ON ${flyway:defaultSchema}.story (owner, created_at DESC, id DESC);

-- One story per owner and idempotency key, also under concurrent saves.
CREATE UNIQUE INDEX story_owner_idempotency_key ON ${flyway:defaultSchema}.story (owner, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

-- One row per request the safety layer blocked. No child text unless the application enables it.
CREATE TABLE ${flyway:defaultSchema}.blocked_request (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner          text,
  stage          text        NOT NULL,
  categories     text[]      NOT NULL,
  age_group      text        NOT NULL,
  theme          text        NOT NULL,
  policy_version text        NOT NULL,
  blocked_at     timestamptz NOT NULL,
  blocked_text   text
);

CREATE INDEX blocked_request_owner_at ON ${flyway:defaultSchema}.blocked_request (owner, blocked_at DESC, id DESC);
