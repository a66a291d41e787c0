import type { EntityManager } from 'typeorm';
import { SETTLED_STATES } from '../../workflows';

/**
 * For each of `ids`, the 问题编号 of the other open items (not 已销号/不予认定)
 * of the same household — by the ID number's keyed index — and problem type
 * in its campaign: 疑似重复. Items without a household are absent from the
 * answer. One query, for the inbox's marks and the ledger import's rows.
 */
export async function openDuplicateNumbers(manager: EntityManager, ids: readonly string[]): Promise<Map<string, number[]>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ id: string; numbers: number[] }> = await manager.query(
    `SELECT i.id, array_agg(o.number ORDER BY o.number) AS numbers
       FROM problem_items i
       JOIN problem_items o ON o.campaign_id = i.campaign_id AND o.household_id_index = i.household_id_index
                           AND o.problem_type_code = i.problem_type_code AND o.id <> i.id AND NOT (o.state = ANY($2))
      WHERE i.id = ANY($1::uuid[])
      GROUP BY i.id`,
    [ids, SETTLED_STATES],
  );
  return new Map(rows.map((r) => [r.id, r.numbers]));
}
