-- Autoscaling (issue 14): one scaling policy per cluster role. Portable as V1: runs unchanged
-- on SQLite and PostgreSQL. The metric series themselves are in the master's memory
-- (org.slapgrid.master.metrics.MetricStore), not here.
CREATE TABLE cluster_policy (
    cluster_id      VARCHAR(64)   NOT NULL REFERENCES cluster (id),
    role            VARCHAR(64)   NOT NULL,
    metric          VARCHAR(64)   NOT NULL,
    aggregate       VARCHAR(8)    NOT NULL,      -- avg | max over the role's members
    scale_out_above DOUBLE PRECISION,            -- null: never scales out
    scale_out_for   BIGINT        NOT NULL,      -- seconds the aggregate must stay above
    scale_in_below  DOUBLE PRECISION,            -- null: never scales in
    scale_in_for    BIGINT        NOT NULL,      -- seconds the aggregate must stay below
    step            BIGINT        NOT NULL,      -- members added or removed per action
    cooldown        BIGINT        NOT NULL,      -- seconds after an action during which none follows
    enabled         BOOLEAN       NOT NULL,
    last_action_at  BIGINT,                      -- epoch ms of its last scaling action (cooldown across restarts)
    PRIMARY KEY (cluster_id, role)
);
