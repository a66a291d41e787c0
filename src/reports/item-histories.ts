import { UNSIGNED_STATE_CHANGES } from '../../workflows';
import { unsignedTransitionAction } from '../workflow-engine/workflow-runner';
import type { HistoryEvent } from './progress';

/** A query on some connection (an entity manager, a query runner, a data source). */
export type Query = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/** The audit actions of the unsigned changes of an item's state, which histories replay with the signatures. */
const UNSIGNED_ITEM_ACTIONS = UNSIGNED_STATE_CHANGES.map((type) => unsignedTransitionAction('item', type));

interface HistoryRow {
  subject_id: string;
  event_type: string;
  state_after: string;
  at: Date | string;
  deadline: string | null;
  new_deadline: string | null;
}

/**
 * The events of the campaign's items (all of them, or `itemIds`) in the
 * order they happened: the signature chains, and the unsigned changes of
 * state (WITHDRAW) the engine records beside them. The county (every row
 * carries it) lets the planner read the county's signatures by index, not
 * every county's.
 */
export async function itemEvents(
  query: Query,
  /** null: every campaign's (with an id range: a rebuild's pass over all items). */
  campaign: { id: string; countyId: string } | null,
  itemIds: readonly string[] | null,
  /** Only subjects with ids in this range (inclusive): a rebuild's pass, read by index range instead of a list of ids. */
  idRange: readonly [string, string] | null = null,
): Promise<Map<string, HistoryEvent[]>> {
  const rows = (await query(
    `SELECT s.subject_id, s.event_type, s.state_after, s.signed_at AS at, s.seq,
            s.payload->>'deadline' AS deadline, s.payload->>'newDeadline' AS new_deadline
       FROM signatures s JOIN problem_items i ON i.id = s.subject_id
      WHERE ($4::uuid IS NULL OR s.county_id = $4) AND ($1::uuid IS NULL OR i.campaign_id = $1) AND s.subject_type = 'item' AND ($2::uuid[] IS NULL OR s.subject_id = ANY($2::uuid[]))
        AND ($5::uuid IS NULL OR s.subject_id BETWEEN $5 AND $6)
     UNION ALL
     SELECT a.subject_id, a.details->>'eventType', a.details->>'stateAfter', (a.details->>'at')::timestamptz, NULL, NULL, NULL
       FROM audit_events a JOIN problem_items i ON i.id = a.subject_id
      WHERE ($4::uuid IS NULL OR a.county_id = $4) AND ($1::uuid IS NULL OR i.campaign_id = $1) AND a.subject_type = 'item' AND a.action = ANY($3::text[]) AND ($2::uuid[] IS NULL OR a.subject_id = ANY($2::uuid[]))
        AND ($5::uuid IS NULL OR a.subject_id BETWEEN $5 AND $6)
      ORDER BY 1, 4, 5 NULLS LAST`,
    [campaign?.id ?? null, itemIds, UNSIGNED_ITEM_ACTIONS, campaign?.countyId ?? null, idRange?.[0] ?? null, idRange?.[1] ?? null],
  )) as HistoryRow[];
  const byItem = new Map<string, HistoryEvent[]>();
  for (const r of rows) {
    let events = byItem.get(r.subject_id);
    if (!events) byItem.set(r.subject_id, (events = []));
    events.push({
      itemId: r.subject_id,
      eventType: r.event_type,
      stateAfter: r.state_after,
      at: new Date(r.at),
      deadline: r.deadline ? r.deadline.slice(0, 10) : null,
      newDeadline: r.new_deadline ? r.new_deadline.slice(0, 10) : null,
    });
  }
  return byItem;
}
