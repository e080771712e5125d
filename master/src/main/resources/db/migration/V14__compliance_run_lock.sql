-- One compliance run at a time per target (issue 15): a row per node part of a run not yet
-- ended, its key the node's node level ('node:ID') or an instance ('instance:ID'); the primary
-- key refuses a second run even from another master. A row whose run has ended is replaced.
CREATE TABLE compliance_run_lock (
    target_key     VARCHAR(320)  PRIMARY KEY,
    run_id         VARCHAR(64)   NOT NULL
);
