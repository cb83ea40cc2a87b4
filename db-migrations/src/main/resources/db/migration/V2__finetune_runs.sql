-- A finetuning run: one configuration trained under several seeds. Seeds finish independently; each one's outputs
-- are recorded as soon as its manifest (written last by the GPU worker) exists.
create table finetune_runs (
    run_id           text primary key,          -- the Temporal workflow id
    name             text        not null,
    method           text        not null,
    variant          text,
    init             text,
    seeds            jsonb       not null,
    request          jsonb       not null,
    dataset_manifest text        not null,
    base_checkpoint  text        not null,
    status           text        not null check (status in ('RUNNING', 'COMPLETED', 'FAILED')),
    summary          jsonb,
    error            text,
    started_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
create index finetune_runs_started on finetune_runs (started_at desc);

create table finetune_seed_results (
    run_id           text   not null references finetune_runs (run_id),
    seed             bigint not null,
    output_manifest  text   not null,
    steps            bigint not null,
    final_train_loss double precision,
    validation_loss  jsonb  not null,
    finished_at      timestamptz not null default now(),
    primary key (run_id, seed)
);
