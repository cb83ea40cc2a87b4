-- An experiment: on one dataset and base, every arm (a method with its settings) trained under every seed and evaluated.
-- Its id is derived from its request (name aside), so starting the same request again finds this row. These rows are
-- the experiment's durable progress: a platform that restarts without its workflow history (embedded Temporal) starts
-- every RUNNING experiment again from here, and the new run skips the arm/seed rows that are COMPLETED.
create table experiments (
    experiment_id    text primary key,           -- the Temporal workflow id
    name             text        not null,
    request          jsonb       not null,
    status           text        not null check (status in ('RUNNING', 'COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED')),
    dataset_manifest text,                       -- known once the dataset stage is done
    error            text,
    started_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    finished_at      timestamptz
);
create index experiments_started on experiments (started_at desc);

-- The stages before the arms: 'dataset' (curation or reuse) and one 'svd:<k>' per distinct k.
create table experiment_stages (
    experiment_id text        not null references experiments (experiment_id) on delete cascade,
    stage         text        not null,
    state         text        not null check (state in ('RUNNING', 'COMPLETED', 'FAILED')),
    detail        text,
    updated_at    timestamptz not null default now(),
    primary key (experiment_id, stage)
);

-- One arm under one seed. Its result is the trained output (training, without the loss curves) and the evaluation it
-- was scored by: the scores themselves stay in evaluation_scores, joined by evaluation_id.
create table experiment_arm_seeds (
    experiment_id       text        not null references experiments (experiment_id) on delete cascade,
    arm                 text        not null,
    seed                bigint      not null,
    method              text        not null,
    state               text        not null check (state in ('PENDING', 'TRAINING', 'EVALUATING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    output_manifest     text,
    training            jsonb,
    evaluation_id       text,
    error               text,
    training_started_at timestamptz,
    registered_at       timestamptz,              -- the adapters-registered step
    registered_as       text,                     -- the registry version it became: model@version
    finished_at         timestamptz,
    updated_at          timestamptz not null default now(),
    primary key (experiment_id, arm, seed)
);
