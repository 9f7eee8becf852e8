-- Login attempts, counted per key (an account or a client address) in fixed windows. In the target
-- Postgres so every function instance and, during cutover, the legacy server count together.
-- Created by the app on first use (idempotent); rows are tiny and a key's row is reused.
CREATE SCHEMA IF NOT EXISTS markethub_security;

CREATE TABLE IF NOT EXISTS markethub_security.login_attempts (
  -- 'account:<sha-256 of the lower-cased e-mail>' or 'address:<ip or IPv6 /64>': no e-mail in clear.
  key          text        PRIMARY KEY,
  attempts     integer     NOT NULL,
  window_ends  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS login_attempts_window_ends ON markethub_security.login_attempts (window_ends);
