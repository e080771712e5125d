-- Which version of an instance (its timestamp) the node's last report answers: lets a user
-- wait for a change to be applied, not merely for an earlier state to exist.
ALTER TABLE instance ADD COLUMN reported_ts BIGINT;
