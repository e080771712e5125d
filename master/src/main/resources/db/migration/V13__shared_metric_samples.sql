-- Metric samples shared by the masters of one PostgreSQL (issue 14, docs/clusters.md "Metrics"):
-- a sample posted to any master is seen by every master's autoscaler and metric reads. Written in
-- batches, kept one hour (the finest ring's span; the day and week views stay in each master's
-- memory). Portable as V1; a master on SQLite (one master) does not use it.
CREATE TABLE metric_sample (
    instance_id  VARCHAR(64)  NOT NULL,
    metric       VARCHAR(32)  NOT NULL,
    at           BIGINT       NOT NULL,   -- epoch ms, the node's time of the sample
    value        DOUBLE PRECISION NOT NULL
);
CREATE INDEX metric_sample_series ON metric_sample (instance_id, metric, at);
CREATE INDEX metric_sample_at ON metric_sample (at);
