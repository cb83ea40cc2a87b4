-- Why a seed ended without a result. Before this table only the run's first failing seed had its reason (in
-- finetune_runs.error); the console said "no result was recorded" for the others. A seed has a row here or in
-- finetune_seed_results, never both (a result recorded later, e.g. by a retried workflow, removes the failure).
create table finetune_seed_failures (
    run_id    text        not null references finetune_runs (run_id),
    seed      bigint      not null,
    error     text        not null,
    failed_at timestamptz not null default now(),
    primary key (run_id, seed)
);
