-- Each partition's own address as its node reported it at format (null: not reported), so the
-- peers of a cluster member learn where to reach it.
ALTER TABLE node_partition ADD COLUMN address VARCHAR(64);
