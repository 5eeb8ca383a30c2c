-- Every membership change written to segment_history also updates segment_members, within the
-- same INSERT: an evaluation writes its changes once (a first recompute no longer reads millions
-- of rows back out of the history to copy them), and no crash between two statements can leave a
-- change in the history but not in the membership.
CREATE MATERIALIZED VIEW IF NOT EXISTS segment_members_from_history {{ON_CLUSTER}} TO segment_members
AS SELECT workspace_id, segment_id, profile_id, at AS entered_at, version, entered AS is_member
FROM segment_history;
