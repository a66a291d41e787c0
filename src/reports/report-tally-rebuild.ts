import { itemEvents, type Query } from './item-histories';
import {
  addTallies,
  fromStoredStatus,
  sortedTallies,
  historyTallies,
  mergeTallies,
  TALLY_COUNT_COLUMNS,
  TALLY_COUNTS,
  TALLY_ROWS_PER_UPSERT,
  tallyOwner,
  tallyUpsertSql,
  toStoredStatus,
  type StoredStatus,
  type TallyRow,
} from './report-tally';
import { Params } from '../database/entity-sql';
import type { ItemStatus } from './progress';

/** Items of a campaign replayed at a time: their events are held in memory together. */
const ITEMS_PER_PASS = 20_000;

interface ItemKeyRow {
  id: string;
  county_id: string;
  campaign_id: string;
  township_id: string | null;
  org_unit_id: string;
  problem_type_code: string;
  report_status: StoredStatus | null;
}

/** The campaigns that have items, with their county. */
async function campaignsWithItems(query: Query): Promise<Array<{ id: string; countyId: string }>> {
  return (await query(
    `SELECT id, county_id AS "countyId" FROM campaigns c WHERE EXISTS (SELECT 1 FROM problem_items i WHERE i.campaign_id = c.id) ORDER BY id`,
  )) as Array<{ id: string; countyId: string }>;
}

/**
 * Items (of one campaign, or of all) in passes of ITEMS_PER_PASS in id
 * order, each replayed into its tallies: a pass reads the signatures of an
 * id range by index.
 */
async function* replayedPasses(query: Query, campaign: { id: string; countyId: string } | null) {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const items = (await query(
      `SELECT id, county_id, campaign_id, township_id, org_unit_id, problem_type_code, report_status
         FROM problem_items WHERE ($1::uuid IS NULL OR campaign_id = $1) AND id > $2 ORDER BY id LIMIT ${ITEMS_PER_PASS}`,
      [campaign?.id ?? null, after],
    )) as ItemKeyRow[];
    if (items.length === 0) return;
    after = items[items.length - 1].id;
    const events = await itemEvents(query, campaign, null, [items[0].id, after]);
    yield items.map((item) => {
      const owner = tallyOwner({
        campaignId: item.campaign_id,
        countyId: item.county_id,
        townshipId: item.township_id,
        orgUnitId: item.org_unit_id,
        problemTypeCode: item.problem_type_code,
      });
      return { item, ...historyTallies(owner, events.get(item.id) ?? []) };
    });
  }
}

/**
 * Rebuilds report_tallies and every item's stored status from the
 * signatures: what a migration does for the records it finds, and the
 * province generator after loading. Run while nothing else writes items
 * (a migration; a load).
 */
export async function rebuildTallies(query: Query): Promise<{ items: number; rows: number; seconds: { replay: number; tallies: number; statuses: number } }> {
  await query('DELETE FROM report_tallies');
  let items = 0;

  const seconds = { replay: 0, tallies: 0, statuses: 0 };
  let mark = Date.now();
  const lap = (k: keyof typeof seconds) => {
    seconds[k] += (Date.now() - mark) / 1000;
    mark = Date.now();
  };
  // The rows are few (campaign × group × problem type × day): summed over every pass, written at the end.
  const sums = new Map<string, TallyRow>();
  for await (const pass of replayedPasses(query, null)) {
    lap('replay');
    items += pass.length;
    for (const p of pass) addTallies(sums, p.rows);
    for (let from = 0; from < pass.length; from += 5000) {
      const chunk = pass.slice(from, from + 5000);
      await query(`UPDATE problem_items p SET report_status = v.s FROM unnest($1::uuid[], $2::jsonb[]) AS v(id, s) WHERE p.id = v.id`, [
        chunk.map((p) => p.item.id),
        chunk.map((p) => JSON.stringify(p.status.state ? toStoredStatus(p.status) : null)),
      ]);
    }
    lap('statuses');
  }
  const merged = sortedTallies(sums);
  const rows = merged.length;
  for (let from = 0; from < merged.length; from += TALLY_ROWS_PER_UPSERT) {
    const params = new Params();
    await query(tallyUpsertSql(merged.slice(from, from + TALLY_ROWS_PER_UPSERT), params), params.values);
  }
  lap('tallies');
  return { items, rows, seconds };
}

/** A status as text with its keys in order (jsonb keeps its own order). */
function canonical(s: ItemStatus): string {
  return JSON.stringify(Object.entries(toStoredStatus(s)).sort(([a], [b]) => a.localeCompare(b)));
}

export interface TallyProblem {
  campaignId: string;
  /** The tally key, or the item whose stored status differs. */
  subject: string;
  detail: string;
}

/**
 * `npm run verify`: the tallies and every item's stored status, recomputed
 * from the signatures, against what the transitions wrote.
 */
export async function verifyTallies(query: Query): Promise<{ campaigns: number; problems: TallyProblem[] }> {
  const problems: TallyProblem[] = [];
  const campaigns = await campaignsWithItems(query);
  for (const campaign of campaigns) {
    const replayed: TallyRow[] = [];
    for await (const pass of replayedPasses(query, campaign)) {
      for (const p of pass) {
        replayed.push(...p.rows);
        const stored = canonical(fromStoredStatus(p.item.report_status));
        const expected = canonical(p.status);
        if (stored !== expected)
          problems.push({ campaignId: campaign.id, subject: `item ${p.item.id}`, detail: `stored status ${stored}, replayed ${expected}` });
      }
    }
    const stored = (await query(
      `SELECT group_id AS "groupId", problem_type_code AS "problemTypeCode", to_char(day, 'YYYY-MM-DD') AS day,
              ${TALLY_COUNT_COLUMNS}
         FROM report_tallies WHERE campaign_id = $1`,
      [campaign.id],
    )) as Array<Omit<TallyRow, 'campaignId' | 'countyId'>>;
    const key = (r: Omit<TallyRow, 'campaignId' | 'countyId'>) => `${r.groupId}|${r.problemTypeCode}|${r.day}`;
    const counts = (r: Partial<TallyRow> | undefined) => TALLY_COUNTS.map((k) => Number(r?.[k] ?? 0)).join(',');
    const want = new Map(mergeTallies(replayed).map((r) => [key(r), r]));
    const have = new Map(stored.filter((r) => TALLY_COUNTS.some((k) => Number(r[k]) !== 0)).map((r) => [key(r), r]));
    for (const k of new Set([...want.keys(), ...have.keys()])) {
      if (counts(want.get(k)) !== counts(have.get(k))) {
        problems.push({ campaignId: campaign.id, subject: `tally ${k}`, detail: `stored ${counts(have.get(k))}, replayed ${counts(want.get(k))}` });
      }
    }
  }
  return { campaigns: campaigns.length, problems };
}
