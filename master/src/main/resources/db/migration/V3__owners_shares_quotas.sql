-- Who may run nodes, who may use them, and how many partitions a user may hold (issue 11).
-- Portable as V1: runs unchanged on SQLite and PostgreSQL.

-- What the admin allowed a user. A user without a row may not register nodes and has the
-- master's default partition quota.
CREATE TABLE account (
    name               VARCHAR(255) PRIMARY KEY,
    may_register_nodes BOOLEAN      NOT NULL,
    partition_quota    BIGINT,                  -- null: the master's default
    updated_at         BIGINT       NOT NULL
);

-- A disabled node gets no new instance; what it hosts stays until removed.
ALTER TABLE node ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX node_owner ON node (owner);

-- Who besides its owner may allocate on a node: a user name, or '*' for every user.
CREATE TABLE node_share (
    node_id  VARCHAR(255) NOT NULL REFERENCES node (id),
    grantee  VARCHAR(255) NOT NULL,
    PRIMARY KEY (node_id, grantee)
);

-- Retention prunes bangs by age and keeps the newest per instance.
CREATE INDEX bang_at ON bang (at);
