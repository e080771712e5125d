-- Tags and topologies (issue 15, docs/tags.md). Portable as V1: runs unchanged on SQLite and PostgreSQL.

-- An instance's stops and starts of its services by tag, in the order asked (a JSON list of
-- {"tags": EXPR, "stopped": bool}): desired state, sent to its node in the node's document.
ALTER TABLE instance ADD COLUMN tag_rules TEXT;

-- A flex cluster's bounds: below flex_min members up its status is degraded to warn; at most
-- flex_max members (0: no bound). primary_lost_after_ms: how long the primary's node may go
-- unheard before the next member takes the primary role (recorded in the cluster's events).
ALTER TABLE cluster ADD COLUMN flex_min BIGINT;
ALTER TABLE cluster ADD COLUMN flex_max BIGINT;
ALTER TABLE cluster ADD COLUMN primary_lost_after_ms BIGINT;
