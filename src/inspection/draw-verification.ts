import { createHash } from 'node:crypto';
import type { ChainProblem, Query } from '../signatures/chain-audit';
import { canonicalJson } from '../signatures/signature-hash';
import { selectSample } from './draw-selection';
import type { DrawMode, DrawPopulationEntry } from './spot-check-draw.entity';

/** What a draw's signature covers besides the signer: everything needed to recompute and check its sample. */
export interface DrawPayload {
  campaignId: string;
  round: number;
  mode: DrawMode;
  value: number;
  townshipIds: string[];
  seed: string;
  populationSize: number;
  populationSha256: string;
  /** The sample, by item number. */
  itemIds: string[];
}

export function populationSha256(population: readonly DrawPopulationEntry[]): string {
  const ordered = [...population].sort((a, b) => a.number - b.number);
  return createHash('sha256').update(canonicalJson(ordered)).digest('hex');
}

export function drawPayload(draw: {
  campaignId: string;
  round: number;
  mode: DrawMode;
  value: number;
  townshipIds: string[];
  seed: string;
  population: DrawPopulationEntry[];
  itemIds: string[];
}): DrawPayload {
  return {
    campaignId: draw.campaignId,
    round: draw.round,
    mode: draw.mode,
    value: draw.value,
    townshipIds: [...draw.townshipIds].sort(),
    seed: draw.seed,
    populationSize: draw.population.length,
    populationSha256: populationSha256(draw.population),
    itemIds: draw.itemIds,
  };
}

/**
 * Every draw's row checked against what its signature covers (the chain
 * itself — the signature's seal — is verifyAllChains'): the seed, the
 * parameters, the population's digest and the sample on record must be the
 * signed ones, and the sample must be what the seed selects from the
 * population. A reseeded, trimmed or hand-picked sample shows here.
 */
export async function verifyDraws(query: Query): Promise<{ draws: number; problems: ChainProblem[] }> {
  const problems: ChainProblem[] = [];
  const rows = await query(
    `SELECT d.id, d.campaign_id, d.round, d.mode, d.value, d.township_ids, d.seed, d.population, s.payload,
            COALESCE((SELECT array_agg(di.item_id::text) FROM spot_check_draw_items di WHERE di.draw_id = d.id), '{}') AS item_ids
       FROM spot_check_draws d LEFT JOIN signatures s ON s.subject_id = d.id AND s.seq = 1
      ORDER BY d.drawn_at`,
  );
  for (const r of rows) {
    const problem = (detail: string) =>
      problems.push({
        subjectType: 'spot_check_draw',
        subjectId: r.id as string,
        seq: 1,
        reason: 'draw_mismatch',
        detail: `抽查第 ${String(r.round)} 轮：${detail}`,
      });
    const signed = r.payload as DrawPayload | null;
    if (!signed) {
      problem('没有签字');
      continue;
    }
    const population = r.population as DrawPopulationEntry[];
    const byNumber = new Map(population.map((p) => [p.id, p.number]));
    const onRecord = (r.item_ids as string[]).sort((a, b) => (byNumber.get(a) ?? 0) - (byNumber.get(b) ?? 0));
    const row = drawPayload({
      campaignId: r.campaign_id as string,
      round: r.round as number,
      mode: r.mode as DrawMode,
      value: r.value as number,
      townshipIds: r.township_ids as string[],
      seed: (r.seed as string).trim(),
      population,
      itemIds: onRecord,
    });
    const differing = (Object.keys(row) as Array<keyof DrawPayload>).filter((k) => canonicalJson(row[k]) !== canonicalJson(signed[k]));
    if (differing.length) {
      problem(`记录与签字不符（${differing.join('、')}）`);
      continue;
    }
    const recomputed = selectSample(row.seed, population, row.mode, row.value).map((p) => p.id);
    if (canonicalJson(recomputed) !== canonicalJson(signed.itemIds)) problem('按种子重新抽取的结果与签字的样本不同');
  }
  return { draws: rows.length, problems };
}
