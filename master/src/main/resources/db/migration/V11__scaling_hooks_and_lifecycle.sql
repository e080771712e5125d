-- Scaling hooks, vertical actions and lifecycle hooks (issue 14, docs/clusters.md). Portable as
-- V1: runs unchanged on SQLite and PostgreSQL.

-- A cluster's deletion policy (seed 003, Senlin's): which members a scale-in removes first,
-- how long a leaving member may take to complete its lifecycle hook, and where else the hook
-- is notified (a webhook, signed with HMAC-SHA256 of webhook_secret).
ALTER TABLE cluster ADD COLUMN deletion_criteria VARCHAR(16) NOT NULL DEFAULT 'RANDOM';
ALTER TABLE cluster ADD COLUMN hook_timeout BIGINT NOT NULL DEFAULT 60;   -- seconds
ALTER TABLE cluster ADD COLUMN webhook_url VARCHAR(2048);
ALTER TABLE cluster ADD COLUMN webhook_secret VARCHAR(128);

-- A member's vertical state (MemberResources as JSON: memory, cpus, disks), its creation time
-- (OLDEST_FIRST / YOUNGEST_FIRST), and the step of a hooked action it is at: stage (PRE_SCALE,
-- APPLYING, POST_SCALE for a vertical action; REMOVE_PRE_SCALE, WAITING_LIFECYCLE_COMPLETION,
-- READY for a removal), the job it waits for, until when, the action's wish (JSON) and the
-- lifecycle token handed to the member while it waits.
ALTER TABLE cluster_member ADD COLUMN resources TEXT;
ALTER TABLE cluster_member ADD COLUMN created_at BIGINT;
ALTER TABLE cluster_member ADD COLUMN stage VARCHAR(32);
ALTER TABLE cluster_member ADD COLUMN stage_job VARCHAR(64);
ALTER TABLE cluster_member ADD COLUMN stage_at BIGINT;
ALTER TABLE cluster_member ADD COLUMN stage_deadline BIGINT;
ALTER TABLE cluster_member ADD COLUMN pending TEXT;
ALTER TABLE cluster_member ADD COLUMN lifecycle_token VARCHAR(64);
CREATE INDEX cluster_member_stage ON cluster_member (stage);

-- Every lifecycle token ever issued, by its SHA-256: whose it is, and whether it was used, so a
-- reused token is told apart (409) from one never issued (403) after its member is gone.
CREATE TABLE lifecycle_token (
    token_sha256   VARCHAR(64)   PRIMARY KEY,
    cluster_id     VARCHAR(64)   NOT NULL,
    instance_id    VARCHAR(64)   NOT NULL,
    member         VARCHAR(255)  NOT NULL,
    state          VARCHAR(16)   NOT NULL,      -- ISSUED | COMPLETED | EXPIRED
    created_at     BIGINT        NOT NULL,
    ended_at       BIGINT
);
