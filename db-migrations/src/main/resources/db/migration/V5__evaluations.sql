-- An evaluation: one model (base + adapters, or the base alone, or an oracle) on HumanEvalPack under one set of
-- settings. Its id is derived from the model's content and every result-relevant setting, so an identical request
-- finds the finished row instead of running again. Per-sample data (prompt, generation, program, verdict, reason) is
-- in the object store (samples); the scores here are what lists and comparisons read.
create table evaluations (
    evaluation_id   text primary key,
    name            text        not null,
    request         jsonb       not null,
    base_checkpoint text,
    adapters        text,
    status          text        not null check (status in ('RUNNING', 'COMPLETED', 'FAILED')),
    samples         text,
    notes           jsonb       not null default '[]',
    error           text,
    started_at      timestamptz not null default now(),
    finished_at     timestamptz
);
create index evaluations_started on evaluations (started_at desc);
create index evaluations_adapters on evaluations (adapters);

-- Pass@1 (and pass@k when sampled) per task kind, language (the target for translation), source language
-- ('' unless translation) and routing ('auto', 'manual', 'forced:<expert>' or 'forced:nl').
create table evaluation_scores (
    evaluation_id text    not null references evaluations (evaluation_id) on delete cascade,
    task_kind     text    not null,
    language      text    not null,
    source        text    not null default '',
    routing       text    not null,
    passed        integer not null,
    total         integer not null,
    pass_at_1     double precision not null,
    pass_at_k     jsonb   not null default '{}',
    primary key (evaluation_id, task_kind, language, source, routing)
);
