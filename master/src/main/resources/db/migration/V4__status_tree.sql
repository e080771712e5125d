-- The status tree of an instance as its node last reported it (services, promises, last error):
-- observed state, kept apart from what the node is asked to do (not in the node's document).
ALTER TABLE instance ADD COLUMN status_json TEXT;
ALTER TABLE instance ADD COLUMN status_at BIGINT;
