-- Node-level jobs, compliance runs the master asks for, attachment filters (issue 15,
-- docs/compliance.md, docs/protocol.md). Portable as V1: runs unchanged on SQLite and PostgreSQL.

-- A one-shot action the master asks of a node itself, not of a partition (a compliance run of
-- its node-level modules): as partition_job, carried in the node's document ("jobs") while
-- PENDING or RUNNING, reported once by the node, failed by the master past its deadline.
CREATE TABLE node_job (
    id             VARCHAR(64)   PRIMARY KEY,
    node_id        VARCHAR(255)  NOT NULL,
    kind           VARCHAR(64)   NOT NULL,
    args           TEXT          NOT NULL,      -- JSON object
    state          VARCHAR(16)   NOT NULL,      -- PENDING | RUNNING | DONE | FAILED
    created_at     BIGINT        NOT NULL,
    deadline_at    BIGINT        NOT NULL,
    started_at     BIGINT,
    finished_at    BIGINT,
    exit_code      BIGINT,
    output         TEXT,
    duration_ms    BIGINT,
    result         TEXT                         -- JSON object
);
CREATE INDEX node_job_node ON node_job (node_id, state);
CREATE INDEX node_job_state ON node_job (state, deadline_at);

-- A compliance run a user asked for (slapos compliance run): one job per node part (a node-level
-- job for a node, a partition job per instance); its state is its jobs'.
CREATE TABLE compliance_run (
    id             VARCHAR(64)   PRIMARY KEY,
    owner          VARCHAR(255)  NOT NULL,
    target_kind    VARCHAR(16)   NOT NULL,
    target         VARCHAR(255)  NOT NULL,      -- as the user named it
    action         VARCHAR(16)   NOT NULL,
    moduleset      VARCHAR(255),
    module         VARCHAR(255),
    created_at     BIGINT        NOT NULL
);
CREATE INDEX compliance_run_owner ON compliance_run (owner, created_at);

CREATE TABLE compliance_run_job (
    run_id         VARCHAR(64)   NOT NULL REFERENCES compliance_run (id),
    job_id         VARCHAR(64)   NOT NULL,
    node_id        VARCHAR(255)  NOT NULL,
    instance_id    VARCHAR(64),                 -- null: the node-level job
    PRIMARY KEY (run_id, job_id)
);

-- An attachment's filter (OpenSVC's filtersets): JSON {"node": GLOB, "os": GLOB, "tags": EXPR};
-- null: it applies everywhere its target is.
ALTER TABLE compliance_attachment ADD COLUMN node_filter TEXT;   -- not "filter": a keyword of SQL
