-- Traffic cutover between the legacy backend and the new one: the flag both read, its history, and
-- what the routing middleware saw. Kept in the target database, beside the migration's ledger.
CREATE SCHEMA IF NOT EXISTS markethub_cutover;

-- Exactly one row: the current routing.
CREATE TABLE IF NOT EXISTS markethub_cutover.state (
  id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
  percentage  numeric(5, 2) NOT NULL DEFAULT 0 CHECK (percentage BETWEEN 0 AND 100),
  writes      boolean     NOT NULL DEFAULT false, -- route writes too, not only GET/HEAD
  shadow      boolean     NOT NULL DEFAULT false, -- mirror sampled legacy GETs to the new side and compare
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO markethub_cutover.state (id) VALUES (true) ON CONFLICT DO NOTHING;
-- While `migrate sync --switch-writes` moves writes from one database to the other, both sides answer
-- writes with 503 + Retry-After.
ALTER TABLE markethub_cutover.state ADD COLUMN IF NOT EXISTS writes_frozen boolean NOT NULL DEFAULT false;

-- Every change of the flag: who, when, from, to, why.
CREATE TABLE IF NOT EXISTS markethub_cutover.changes (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by text        NOT NULL,
  from_state jsonb       NOT NULL,
  to_state   jsonb       NOT NULL,
  reason     text        NOT NULL
);

-- Counters per side and route, added to by every routing process.
CREATE TABLE IF NOT EXISTS markethub_cutover.route_stats (
  side            text   NOT NULL CHECK (side IN ('legacy', 'new')),
  route           text   NOT NULL,
  requests        bigint NOT NULL DEFAULT 0,
  errors          bigint NOT NULL DEFAULT 0, -- 5xx and timeouts
  shadow_compared bigint NOT NULL DEFAULT 0,
  shadow_differed bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (side, route)
);

-- A few examples of each route's shadow differences.
CREATE TABLE IF NOT EXISTS markethub_cutover.shadow_examples (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  route    text        NOT NULL,
  path     text        NOT NULL,
  seen_at  timestamptz NOT NULL DEFAULT now(),
  legacy   jsonb       NOT NULL,
  new      jsonb       NOT NULL,
  fields   text[]      NOT NULL
);
