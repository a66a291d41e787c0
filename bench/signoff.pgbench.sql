-- The database work of one signed CONFIRM, as pgbench runs it (bench/signoff.bench.ts):
-- read the item, conditionally update its snapshot and version, append the signature.
-- Run with -M extended, so every :variable travels as a bind parameter like the
-- service's queries do. Set by the bench with -D: campaign, lo, part (items per
-- client), payload, measures, rectifier_id, deadline, signer_id, signer_name,
-- signer_org_unit_id, signer_org_unit_name, hash.
-- Each client draws its items from its own slice of the level's item numbers, so
-- two clients never sign the same item at once (neither does the HTTP part: each
-- item is confirmed exactly once there).
\set n :lo + :client_id * :part + random(0, :part - 1)
BEGIN;
SELECT id, county_id, snapshot, version, state FROM problem_items WHERE campaign_id = :campaign AND number = :n \gset
UPDATE problem_items SET snapshot = :snapshot, state = 'rectifying', measures = :measures, rectifier_id = :rectifier_id, deadline = :deadline, updated_at = now(), version = version + 1 WHERE id = :id AND version = :version;
INSERT INTO signatures (county_id, subject_type, subject_id, seq, kind, event_type, signer_id, signer_name, signer_role, signer_org_unit_id, signer_org_unit_name, signed_at, comment, payload, evidence, state_before, state_after, prev_hash, hash) VALUES (:county_id, 'item', :id, (SELECT coalesce(max(seq), 0) + 1 FROM signatures WHERE subject_id = :id), 'review', 'CONFIRM', :signer_id, :signer_name, 'township_leader', :signer_org_unit_id, :signer_org_unit_name, now(), 'pgbench', :payload, '[]', :state, 'rectifying', :hash, :hash);
END;
