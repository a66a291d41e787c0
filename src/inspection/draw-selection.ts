import { createHmac } from 'node:crypto';
import type { DrawMode, DrawPopulationEntry } from './spot-check-draw.entity';

/**
 * The sample of a 抽查复核 draw, computed from its seed and population only,
 * so that anyone holding the draw (its seed, mode, value and population) can
 * recompute it — `npm run verify` does, for every draw.
 *
 * Each item's place in the draw is HMAC-SHA-256(seed, item id): a random
 * order nobody can steer without choosing the seed, which the service
 * generates. Per township the sample size is `value` items (count, at most
 * all of them) or `value`% of them rounded up (percent); every village with
 * a settled item gets at least one (its first in that order), even if that
 * makes the township's sample larger; the rest are filled in that order.
 */
export function selectSample(seed: string, population: readonly DrawPopulationEntry[], mode: DrawMode, value: number): DrawPopulationEntry[] {
  const rank = new Map(population.map((p) => [p.id, createHmac('sha256', Buffer.from(seed, 'hex')).update(p.id).digest('hex')]));
  const byRank = (a: DrawPopulationEntry, b: DrawPopulationEntry) => (rank.get(a.id)! < rank.get(b.id)! ? -1 : rank.get(a.id)! > rank.get(b.id)! ? 1 : 0);
  const townships = new Map<string, DrawPopulationEntry[]>();
  for (const p of population) townships.set(p.townshipId, [...(townships.get(p.townshipId) ?? []), p]);
  const picked: DrawPopulationEntry[] = [];
  for (const items of townships.values()) {
    const ordered = [...items].sort(byRank);
    const size = sampleSize(ordered.length, mode, value);
    const chosen = new Set<string>();
    const villages = new Set<string>();
    for (const p of ordered) {
      // The first of each village in the draw's order.
      if (!villages.has(p.orgUnitId)) chosen.add(p.id);
      villages.add(p.orgUnitId);
    }
    for (const p of ordered) {
      if (chosen.size >= size) break;
      chosen.add(p.id);
    }
    picked.push(...ordered.filter((p) => chosen.has(p.id)));
  }
  return picked.sort((a, b) => a.number - b.number);
}

/** Items to draw from a township's `available`: `value` of them (count) or `value`% rounded up (percent). */
export function sampleSize(available: number, mode: DrawMode, value: number): number {
  return mode === 'count' ? Math.min(value, available) : Math.min(available, Math.ceil((available * value) / 100));
}
