-- Whether an event's top-level `revenue` property is a JSON number, beside the `revenue` value
-- (0001): sums of revenue in segment rules ("non-numbers ignored") then read two narrow columns
-- instead of parsing `properties`. Parts written before this migration compute it when read.
ALTER TABLE events {{ON_CLUSTER}}
    ADD COLUMN IF NOT EXISTS revenue_is_number UInt8
    MATERIALIZED JSONType(properties, 'revenue') IN ('Int64', 'UInt64', 'Double');
