-- Clusters (issue 13): a managed group of instances across nodes. Portable as V1: runs
-- unchanged on SQLite and PostgreSQL.

-- A cluster: its release, topology, primary member and the operation under way (task). A task
-- other than NONE makes the cluster busy; a master that starts with one left set resumes or ends it.
CREATE TABLE cluster (
    id             VARCHAR(64)   PRIMARY KEY,
    owner          VARCHAR(255)  NOT NULL,
    name           VARCHAR(255)  NOT NULL,
    software_url   VARCHAR(2048) NOT NULL,
    topology       VARCHAR(16)   NOT NULL,      -- flex | failover
    parameters     TEXT          NOT NULL,      -- JSON object: every member's parameters
    primary_member VARCHAR(255),                -- a member's short name (db.0), null for flex
    task           VARCHAR(16)   NOT NULL,      -- NONE | BUILDING | GROWING | SHRINKING | ... | DELETING
    task_at        BIGINT,                      -- when the task was set
    last_error     TEXT,                        -- why the last operation ended short
    created_at     BIGINT        NOT NULL,
    UNIQUE (owner, name)
);

-- A member type: its software type and parameters, the wanted count and its bounds. next_index
-- numbers new members (an index is never reused, so a member's name always means one instance).
CREATE TABLE cluster_role (
    cluster_id     VARCHAR(64)   NOT NULL REFERENCES cluster (id),
    name           VARCHAR(64)   NOT NULL,
    software_type  VARCHAR(255)  NOT NULL,
    parameters     TEXT          NOT NULL,      -- JSON object, over the cluster's
    wanted         BIGINT        NOT NULL,      -- the count the current operation converges to
    min_count      BIGINT        NOT NULL,
    max_count      BIGINT        NOT NULL,
    next_index     BIGINT        NOT NULL,
    position       BIGINT        NOT NULL,      -- the order the roles were given in
    PRIMARY KEY (cluster_id, name)
);

-- A member: the instance <cluster>/<role>.<idx> of the cluster's owner. leaving: chosen by a
-- shrink or a deletion, its instance is being destroyed.
CREATE TABLE cluster_member (
    cluster_id     VARCHAR(64)   NOT NULL REFERENCES cluster (id),
    role           VARCHAR(64)   NOT NULL,
    idx            BIGINT        NOT NULL,
    instance_id    VARCHAR(64)   NOT NULL,
    leaving        BOOLEAN       NOT NULL,
    PRIMARY KEY (cluster_id, role, idx)
);
CREATE INDEX cluster_member_instance ON cluster_member (instance_id);
