-- Each seed's loss history, so the console can draw a finished seed's curves after its workflow history is gone.
-- Phase name -> points: "train", or "train:<language>" for PER_LANG. Both are bounded by LossCurve (a few hundred
-- points per phase). Seeds recorded before this migration have no curves: '{}' reads as "none recorded".
alter table finetune_seed_results
    add column loss_curves       jsonb  not null default '{}'::jsonb,
    add column validation_curves jsonb  not null default '{}'::jsonb,
    -- the checkpoint step the seed's last attempt resumed from; null for seeds recorded before this column existed
    add column resumed_from_step bigint;
