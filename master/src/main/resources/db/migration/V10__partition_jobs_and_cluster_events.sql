-- Partition jobs and cluster events (issue 13, docs/protocol.md). Portable as V1: runs
-- unchanged on SQLite and PostgreSQL.

-- A one-shot action the master asks an instance's node to run in its partition. PENDING and
-- RUNNING jobs are in the node's document (under the instance's partition); the node reports
-- the end once (DONE or FAILED), or the master fails a job past its deadline.
CREATE TABLE partition_job (
    id             VARCHAR(64)   PRIMARY KEY,
    instance_id    VARCHAR(64)   NOT NULL,
    node_id        VARCHAR(255)  NOT NULL,      -- the node the instance was on when the job was made
    kind           VARCHAR(64)   NOT NULL,      -- the node's JobKind: backup, restore, restart, ...
    args           TEXT          NOT NULL,      -- JSON object
    state          VARCHAR(16)   NOT NULL,      -- PENDING | RUNNING | DONE | FAILED
    created_at     BIGINT        NOT NULL,
    deadline_at    BIGINT        NOT NULL,      -- failed by the master when still not final then
    started_at     BIGINT,
    finished_at    BIGINT,
    exit_code      BIGINT,
    output         TEXT,                        -- a bounded tail
    duration_ms    BIGINT,
    result         TEXT,                        -- JSON object
    artifact_size  BIGINT,                      -- bytes of the file the node uploaded (null: none)
    artifact_sha256 VARCHAR(64)                 -- its sha256 as the master computed it
);
CREATE INDEX partition_job_instance ON partition_job (instance_id, state);
CREATE INDEX partition_job_state ON partition_job (state, deadline_at);

-- A cluster's append-only log: every operation, refusal, hook result, automatic decision.
CREATE TABLE cluster_event (
    id             VARCHAR(64)   PRIMARY KEY,   -- Ids.next: sorts by creation
    cluster_id     VARCHAR(64)   NOT NULL,
    at             BIGINT        NOT NULL,
    kind           VARCHAR(64)   NOT NULL,
    message        TEXT          NOT NULL,
    details        TEXT          NOT NULL       -- JSON object
);
CREATE INDEX cluster_event_cluster ON cluster_event (cluster_id, id);

-- A cluster backup: ONE entry, with every member's part, written only once all parts are in.
CREATE TABLE cluster_backup (
    id             VARCHAR(64)   PRIMARY KEY,
    owner          VARCHAR(255)  NOT NULL,
    cluster_name   VARCHAR(255)  NOT NULL,      -- the cluster it was taken of (it may be gone since)
    software_url   VARCHAR(2048) NOT NULL,
    topology       VARCHAR(16)   NOT NULL,
    roles          TEXT          NOT NULL,      -- JSON: the cluster's roles (name, type, parameters, count, min, max)
    created_at     BIGINT        NOT NULL
);
CREATE TABLE cluster_backup_part (
    backup_id      VARCHAR(64)   NOT NULL REFERENCES cluster_backup (id),
    member         VARCHAR(255)  NOT NULL,      -- db.0
    role           VARCHAR(64)   NOT NULL,
    file           VARCHAR(255)  NOT NULL,      -- a name the master made, under <dataDir>/backups
    size           BIGINT        NOT NULL,
    sha256         VARCHAR(64)   NOT NULL,
    PRIMARY KEY (backup_id, member)
);

-- What an operation of several steps is waiting for (a backup's jobs, the member a rolling
-- restart is at), so a restarted master picks it up: one row per cluster while its task runs.
CREATE TABLE cluster_operation (
    cluster_id     VARCHAR(64)   PRIMARY KEY,
    task           VARCHAR(16)   NOT NULL,
    state          TEXT          NOT NULL,      -- JSON, owned by the operation
    started_at     BIGINT        NOT NULL
);
