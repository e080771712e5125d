-- Compliance (issue 15, docs/compliance.md): rulesets, modulesets, their attachments and the
-- results nodes report. Portable as V1: runs unchanged on SQLite and PostgreSQL.

-- A ruleset of a user: variables (JSON object) given to modules as OSVC_COMP_<KEY>.
CREATE TABLE compliance_ruleset (
    id           VARCHAR(64)   PRIMARY KEY,
    owner        VARCHAR(255)  NOT NULL,
    name         VARCHAR(255)  NOT NULL,
    variables    TEXT          NOT NULL,
    updated_at   BIGINT        NOT NULL,
    UNIQUE (owner, name)
);

-- A moduleset of a user: its modules, nested modulesets and rulesets are the rows below.
CREATE TABLE compliance_moduleset (
    id           VARCHAR(64)   PRIMARY KEY,
    owner        VARCHAR(255)  NOT NULL,
    name         VARCHAR(255)  NOT NULL,
    updated_at   BIGINT        NOT NULL,
    UNIQUE (owner, name)
);

CREATE TABLE compliance_moduleset_module (
    moduleset_id VARCHAR(64)   NOT NULL REFERENCES compliance_moduleset (id),
    module       VARCHAR(255)  NOT NULL,
    autofix      BOOLEAN       NOT NULL,
    position     BIGINT        NOT NULL,
    PRIMARY KEY (moduleset_id, module)
);

-- A moduleset inside another (the master refuses a cycle).
CREATE TABLE compliance_moduleset_child (
    moduleset_id VARCHAR(64)   NOT NULL REFERENCES compliance_moduleset (id),
    child_id     VARCHAR(64)   NOT NULL REFERENCES compliance_moduleset (id),
    position     BIGINT        NOT NULL,
    PRIMARY KEY (moduleset_id, child_id)
);
CREATE INDEX compliance_moduleset_child_child ON compliance_moduleset_child (child_id);

CREATE TABLE compliance_moduleset_ruleset (
    moduleset_id VARCHAR(64)   NOT NULL REFERENCES compliance_moduleset (id),
    ruleset_id   VARCHAR(64)   NOT NULL REFERENCES compliance_ruleset (id),
    PRIMARY KEY (moduleset_id, ruleset_id)
);
CREATE INDEX compliance_moduleset_ruleset_ruleset ON compliance_moduleset_ruleset (ruleset_id);

-- A moduleset or a ruleset (item_kind) attached to a node, an instance or a cluster (target_kind,
-- target_id: the node's id, the instance's id, the cluster's id).
CREATE TABLE compliance_attachment (
    target_kind  VARCHAR(16)   NOT NULL,
    target_id    VARCHAR(255)  NOT NULL,
    item_kind    VARCHAR(16)   NOT NULL,
    item_id      VARCHAR(64)   NOT NULL,
    attached_by  VARCHAR(300)  NOT NULL,
    attached_at  BIGINT        NOT NULL,
    PRIMARY KEY (target_kind, target_id, item_kind, item_id)
);
CREATE INDEX compliance_attachment_item ON compliance_attachment (item_kind, item_id);

-- One run of one module as a node reported it (newest kept per node: see ComplianceService).
CREATE TABLE compliance_result (
    id           VARCHAR(64)   PRIMARY KEY,
    node_id      VARCHAR(255)  NOT NULL,
    partition_id VARCHAR(255),                  -- null: a node-level module
    instance_id  VARCHAR(64),
    module       VARCHAR(255)  NOT NULL,
    action       VARCHAR(16)   NOT NULL,
    exit_code    BIGINT        NOT NULL,
    output       TEXT          NOT NULL,
    duration_ms  BIGINT        NOT NULL,
    run_at       BIGINT        NOT NULL
);
CREATE INDEX compliance_result_node ON compliance_result (node_id, run_at);
CREATE INDEX compliance_result_instance ON compliance_result (instance_id, run_at);
