-- The adapter registry (docs/architecture.md, "Registry"): registered models over one base each, immutable
-- content-addressed versions with their components, aliases with an audit log of every move, tags, evaluation
-- metrics, and the API's bearer tokens (hashed). Files live in the object store under registry/blobs/sha256/<hex>.

create table registry_models (
    name          text primary key check (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    base_sha256   text        not null,
    base_location text        not null,
    description   text        not null default '',
    created_by    text        not null,
    created_at    timestamptz not null default now()
);
create index registry_models_base on registry_models (base_sha256);

-- A version is visible once its row exists, and the row is inserted only after every component is stored and
-- verified (one transaction with its components): there is no half-registered state to hide.
create table registry_versions (
    id              bigserial primary key,
    model_name      text        not null references registry_models (name),
    number          integer     not null check (number >= 1),
    manifest_sha256 text        not null,
    manifest        text        not null,
    method          text        not null,
    lineage         text        not null,
    deprecated      boolean     not null default false,
    deprecation     text,
    created_by      text        not null,
    created_at      timestamptz not null default now(),
    unique (model_name, number),
    unique (model_name, manifest_sha256)
);

create table registry_components (
    version_id bigint  not null references registry_versions (id) on delete cascade,
    file       text    not null,
    kind       text    not null,
    language   text,
    adapter    text,
    rank       integer not null,
    sha256     text    not null,
    size       bigint  not null,
    primary key (version_id, file)
);
create index registry_components_language on registry_components (language) where language is not null;

-- Immutability is the database's rule too, not only the service's: what a version is can never be updated.
create function registry_version_immutable() returns trigger language plpgsql as $$
begin
    if new.model_name <> old.model_name or new.number <> old.number or new.manifest_sha256 <> old.manifest_sha256
       or new.manifest <> old.manifest or new.method <> old.method or new.lineage <> old.lineage then
        raise exception 'registry version %/% is immutable', old.model_name, old.number using errcode = '23514';
    end if;
    return new;
end $$;
create trigger registry_versions_immutable before update on registry_versions
    for each row execute function registry_version_immutable();

create function registry_component_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'registry components are immutable' using errcode = '23514';
end $$;
create trigger registry_components_immutable before update on registry_components
    for each row execute function registry_component_immutable();

-- An aliased version cannot be deleted: the foreign key restricts it.
create table registry_aliases (
    model_name text        not null references registry_models (name),
    alias      text        not null check (alias ~ '^[a-z][a-z0-9._-]{0,63}$'),
    version_id bigint      not null references registry_versions (id) on delete restrict,
    moved_by   text        not null,
    moved_at   timestamptz not null default now(),
    primary key (model_name, alias)
);

create table registry_alias_events (
    id           bigserial primary key,
    model_name   text        not null,
    alias        text        not null,
    from_version integer,
    to_version   integer     not null,
    actor        text        not null,
    at           timestamptz not null default now()
);
create index registry_alias_events_alias on registry_alias_events (model_name, alias, id);

create table registry_tags (
    version_id bigint not null references registry_versions (id) on delete cascade,
    key        text   not null check (length(key) between 1 and 64),
    value      text   not null,
    primary key (version_id, key)
);

-- Results of evaluations of a version, e.g. metric 'pass1.synthesis' or 'pass1.synthesis.python'.
create table registry_metrics (
    version_id    bigint           not null references registry_versions (id) on delete cascade,
    metric        text             not null,
    value         double precision not null,
    evaluation_id text             not null,
    primary key (version_id, metric)
);
create index registry_metrics_metric on registry_metrics (metric, value);

-- Bearer tokens: only the sha256 of each token is kept (tokens are 256 random bits, so no salt is needed).
create table registry_tokens (
    id         bigserial primary key,
    name       text        not null unique,
    token_hash text        not null unique,
    scopes     text        not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
);
