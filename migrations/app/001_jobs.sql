-- The job queue on the app's Postgres. Applied by src/jobs/migrations.ts (versions in
-- markethub_jobs.schema_version), never by the migration tool's ledger.
CREATE SCHEMA IF NOT EXISTS markethub_jobs;

CREATE TABLE markethub_jobs.jobs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type         text NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Idempotency: a second enqueue with the same key returns the first job. Finished jobs keep
  -- their row (and so their key) until pruned.
  key          text UNIQUE,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'dead')),
  attempts     integer NOT NULL DEFAULT 0,
  max_retries  integer NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
  backoff      text NOT NULL DEFAULT 'exponential' CHECK (backoff IN ('exponential', 'linear', 'fixed')),
  backoff_ms   integer NOT NULL DEFAULT 1000 CHECK (backoff_ms >= 0),
  run_at       timestamptz NOT NULL DEFAULT now(),
  -- A claim: who holds the job and until when. A worker that dies leaves an expired lock,
  -- and the job is claimed again.
  claim_token  uuid,
  locked_until timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX jobs_ready ON markethub_jobs.jobs (run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_running ON markethub_jobs.jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_finished ON markethub_jobs.jobs (finished_at) WHERE status = 'done';

-- Every failed attempt, so the dead-letter entry shows the whole story.
CREATE TABLE markethub_jobs.job_errors (
  job_id    bigint NOT NULL REFERENCES markethub_jobs.jobs (id) ON DELETE CASCADE,
  attempt   integer NOT NULL,
  error     text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job_id, attempt)
);

-- The dead-letter queue: jobs that failed maxRetries + 1 times. The job row stays (status 'dead')
-- so its idempotency key keeps holding; retry puts it back to 'pending', purge deletes both.
CREATE TABLE markethub_jobs.dead_letters (
  job_id     bigint PRIMARY KEY REFERENCES markethub_jobs.jobs (id) ON DELETE CASCADE,
  error      text NOT NULL,
  dead_at    timestamptz NOT NULL DEFAULT now(),
  alerted_at timestamptz
);
CREATE INDEX dead_letters_unalerted ON markethub_jobs.dead_letters (dead_at) WHERE alerted_at IS NULL;

-- Postgres-only app tables the job handlers write. No foreign keys to the migrated tables: the
-- queue can be installed before or without them.
CREATE TABLE IF NOT EXISTS public.inventory_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id  bigint NOT NULL,
  delta       integer NOT NULL,
  stock_after integer NOT NULL,
  reason      text NOT NULL,
  order_id    bigint,
  -- One row per job: a job retried after its transaction committed does not apply twice.
  job_id      bigint UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS inventory_history_product ON public.inventory_history (product_id, created_at);

CREATE TABLE IF NOT EXISTS public.reports (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL,
  period_from  timestamptz NOT NULL,
  period_to    timestamptz NOT NULL,
  result       jsonb NOT NULL,
  job_id       bigint UNIQUE,
  generated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.notifications (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL,
  title      text NOT NULL,
  body       text NOT NULL,
  channel    text NOT NULL CHECK (channel IN ('in_app', 'email')),
  job_id     bigint UNIQUE,
  read_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS notifications_user ON public.notifications (user_id, created_at);
