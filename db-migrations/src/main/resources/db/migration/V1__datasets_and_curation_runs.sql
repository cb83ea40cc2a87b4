-- A dataset row is written once, in the same transaction that marks its run finished, and only after every shard and
-- the manifest are in the object store: a row here means the dataset is complete.
create table datasets (
    dataset_id      text primary key,            -- sha256 of (input content hash, curation config, engine version)
    name            text        not null,
    input_uri       text        not null,
    input_sha256    text        not null,
    input_bytes     bigint      not null,
    config          jsonb       not null,
    manifest_uri    text        not null,
    statistics      jsonb       not null,
    input_rows      bigint      not null,
    kept_rows       bigint      not null,
    train_rows      bigint      not null,
    validation_rows bigint      not null,
    dropped_rows    bigint      not null,
    created_at      timestamptz not null default now()
);

-- One row per curation workflow, for the console: progress while it runs, the outcome after.
create table curation_runs (
    run_id       text primary key,               -- the Temporal workflow id
    name         text        not null,
    input_uri    text        not null,
    request      jsonb       not null,
    status       text        not null check (status in ('RUNNING', 'COMPLETED', 'FAILED')),
    phase        text,
    rows_read    bigint      not null default 0,
    bytes_read   bigint      not null default 0,
    total_bytes  bigint,
    dataset_id   text references datasets (dataset_id),
    error        text,
    started_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index curation_runs_started on curation_runs (started_at desc);
