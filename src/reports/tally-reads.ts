import { SETTLED_STATES } from '../../workflows';
import { addDays } from '../common/clock';
import { itemEvents, type Query } from './item-histories';
import { endOfChinaDay, statusAt, type Figures, type HistoryEvent } from './progress';
import { addRaw, emptyRaw, figuresOfRaw, itemRaw, TALLY_SUMS, type RawFigures } from './report-tally';

/**
 * The county's figures read from report_tallies (report-tally.ts): a sum
 * over the rows up to a day instead of a replay of every signature. Only for
 * a whole-county view: every item of the campaign counts, as in the tallies.
 */

const settled = (state: string | null) => (SETTLED_STATES as readonly (string | null)[]).includes(state);

/** Raw figures as of the end of `day` per group (township, or the unit of a county or department item), and per group × problem type. */
export async function tallyCells(
  query: Query,
  campaignId: string,
  day: string,
): Promise<{ cells: Map<string, RawFigures>; groups: Map<string, RawFigures>; total: RawFigures }> {
  const rows = (await query(
    `SELECT group_id AS "groupId", problem_type_code AS "problemTypeCode", ${TALLY_SUMS}
       FROM report_tallies WHERE campaign_id = $1 AND day <= $2::date
      GROUP BY 1, 2`,
    [campaignId, day],
  )) as Array<RawFigures & { groupId: string; problemTypeCode: string }>;
  const cells = new Map<string, RawFigures>();
  const groups = new Map<string, RawFigures>();
  const total = emptyRaw();
  for (const r of rows) {
    cells.set(`${r.groupId}|${r.problemTypeCode}`, addRaw(emptyRaw(), r));
    addRaw(groups.get(r.groupId) ?? groups.set(r.groupId, emptyRaw()).get(r.groupId)!, r);
    addRaw(total, r);
  }
  return { cells, groups, total };
}

/** The campaign's figures as of the end of each of `ends` (ascending): the days' changes, summed as they come. */
export async function tallySeries(query: Query, campaignId: string, ends: readonly string[]): Promise<Figures[]> {
  if (ends.length === 0) return [];
  const rows = (await query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${TALLY_SUMS}
       FROM report_tallies WHERE campaign_id = $1 AND day <= $2::date
      GROUP BY day ORDER BY day`,
    [campaignId, ends[ends.length - 1]],
  )) as Array<RawFigures & { day: string }>;
  const running = emptyRaw();
  const out: Figures[] = [];
  let next = 0;
  for (const end of ends) {
    for (; next < rows.length && rows[next].day <= end; next++) addRaw(running, rows[next]);
    out.push(figuresOfRaw(running));
  }
  return out;
}

/**
 * 月考评 figures per township group as of the end of `to`, of the items not
 * settled (closed or dismissed) at the end of the day before `from`, and the
 * number of those reopened in the period. A settled item changes its figures
 * only by leaving the settled states (a reopening), so the items settled
 * before the period are the settled figures of that day, corrected by
 * replaying the few that left them during the period.
 */
export async function tallyRanking(
  query: Query,
  campaign: { id: string; countyId: string },
  from: string | null,
  to: string,
): Promise<Map<string, { figures: Figures; reopened: number }>> {
  const now = await tallyCells(query, campaign.id, to);
  const raw = new Map([...now.groups].map(([g, r]) => [g, { ...r }]));
  const reopened = new Map<string, number>();
  if (!from) {
    for (const [g, r] of raw) reopened.set(g, r.reopened);
  } else {
    const before = addDays(from, -1);
    const then = await tallyCells(query, campaign.id, before);
    // The settled items' share of the day before: found and closed or dismissed, the closed ones confirmed, none overdue.
    for (const [g, r] of then.groups) {
      const share = { ...emptyRaw(), found: r.closed + r.dismissed, confirmed: r.closed, closed: r.closed, dismissed: r.dismissed, closeMs: r.closeMs };
      addRaw(raw.get(g) ?? raw.set(g, emptyRaw()).get(g)!, share, -1);
    }
    const beforeEnd = endOfChinaDay(before);
    const periodEnd = endOfChinaDay(to);
    const candidates = (await query(
      `SELECT s.subject_id AS id, i.township_id AS "groupId" FROM signatures s JOIN problem_items i ON i.id = s.subject_id
        WHERE s.county_id = $1 AND i.campaign_id = $2 AND s.subject_type = 'item' AND i.township_id IS NOT NULL
          AND s.signed_at > $3 AND s.signed_at <= $4 AND s.state_before = ANY($5::text[])
       UNION
       SELECT a.subject_id, i.township_id FROM audit_events a JOIN problem_items i ON i.id = a.subject_id
        WHERE a.county_id = $1 AND i.campaign_id = $2 AND a.subject_type = 'item' AND i.township_id IS NOT NULL
          AND a.details->>'stateBefore' = ANY($5::text[]) AND (a.details->>'at')::timestamptz > $3 AND (a.details->>'at')::timestamptz <= $4`,
      [campaign.countyId, campaign.id, beforeEnd, periodEnd, SETTLED_STATES],
    )) as Array<{ id: string; groupId: string }>;
    const events = candidates.length
      ? await itemEvents(
          query,
          campaign,
          candidates.map((c) => c.id),
        )
      : new Map<string, HistoryEvent[]>();
    for (const c of candidates) {
      const history = events.get(c.id) ?? [];
      const atStart = statusAt(history, beforeEnd);
      if (settled(atStart.state)) {
        // Settled before the period and changed during it: its figures at the end, not the settled share taken away above.
        const g = raw.get(c.groupId) ?? raw.set(c.groupId, emptyRaw()).get(c.groupId)!;
        addRaw(g, itemRaw(statusAt(history, periodEnd), to), -1);
        addRaw(g, itemRaw(atStart, before), 1);
      } else if (history.some((e) => e.eventType === 'REOPEN' && e.at > beforeEnd && e.at <= periodEnd)) {
        reopened.set(c.groupId, (reopened.get(c.groupId) ?? 0) + 1);
      }
    }
  }
  return new Map([...raw].map(([g, r]) => [g, { figures: figuresOfRaw(r), reopened: reopened.get(g) ?? 0 }]));
}
