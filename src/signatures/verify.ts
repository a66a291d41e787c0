/**
 * `npm run verify` checks the whole signature record of DATABASE_URL (or of
 * the embedded PGlite data directory): every chain of every item, campaign
 * summary report and spot-check draw (links, keys, seals, the head and state on the row),
 * every draw's sample recomputed from its seed and checked against its signature,
 * links left without their record, every audit event's seal, and every
 * daily anchor recomputed from the links and audit events, and the report
 * tallies and each item's stored status replayed from the signatures. `--anchors <file>` also checks the database against an anchor
 * file exported earlier (GET /api/anchors/export). Prints each problem with
 * its subject and link, and exits 1 if there is any.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { openDatabase } from '../database/embedded-postgres';
import { type Anchor, readAnchorFile, verifyAllChains, verifyAnchors } from './chain-audit';
import { loadChainKeys } from './chain-keys';
import { verifyAuditEvents } from '../audit/audit-integrity';
import { verifyDraws } from '../inspection/draw-verification';
import { verifyTallies } from '../reports/report-tally-rebuild';

const REASONS: Record<string, string> = {
  hash_mismatch: '签字内容与密钥签名不符',
  prev_hash_mismatch: '与上一环节不衔接',
  sequence_gap: '序号不连续',
  unknown_key: '所用密钥未配置',
  unsealed: '升级前的旧签字未经封存核验',
  head_mismatch: '比记录行上的链头短（末尾签字被删除）',
  state_mismatch: '记录状态与最后一个签字不符',
  orphan_links: '签字所属的记录已被删除',
  anchor_mismatch: '与锚点不符',
  anchor_chain: '锚点不衔接',
  anchor_seal: '锚点签名不符',
  anchor_missing: '锚点缺失',
  draw_mismatch: '抽查记录与签字不符或无法按种子重现',
};

/** What the CLI does, callable from tests: the lines it prints and whether everything holds. */
export async function verifyCommand(argv: readonly string[], env: Record<string, string | undefined>): Promise<{ ok: boolean; lines: string[] }> {
  const config = loadConfig(env);
  const keys = loadChainKeys(config);
  const at = argv.indexOf('--anchors');
  let filed: Anchor[] = [];
  if (at >= 0) {
    const file = argv[at + 1];
    if (!file) throw new Error('--anchors 后面要跟锚点文件的路径');
    filed = readAnchorFile(readFileSync(file, 'utf8'), keys);
  }
  const db = await openDatabase(config.DATABASE_URL, config.PGLITE_DATA_DIR);
  const ds = new DataSource(dataSourceOptions(db.url, 2));
  await ds.initialize();
  try {
    const query = (sql: string, params?: unknown[]) => ds.query(sql, params) as Promise<Array<Record<string, unknown>>>;
    const chains = await verifyAllChains(query, keys);
    const audit = await verifyAuditEvents(query, keys);
    const anchors = await verifyAnchors(query, keys, filed);
    const draws = await verifyDraws(query);
    const tallies = await verifyTallies(query);
    const problems = [...chains.problems, ...draws.problems, ...audit.problems, ...anchors];
    const lines = [
      `checked ${chains.subjects} records with ${chains.links} signature links, ${draws.draws} spot-check draws recomputed from their seeds, ${audit.events} audit events${filed.length ? `, and ${filed.length} filed anchors` : ''}`,
      ...tallies.problems.map((p) => `BROKEN report tally of campaign ${p.campaignId}: ${p.subject}: ${p.detail} [tally_mismatch]`),
      ...problems.map((p) =>
        p.subjectType === 'anchor'
          ? `BROKEN anchor of county ${p.subjectId}: ${p.detail}`
          : p.subjectType === 'audit_event'
            ? `BROKEN audit event ${p.subjectId} (${p.detail}) [${p.reason}]`
            : `BROKEN ${p.subjectType} ${p.subjectId} (${p.detail}) at link ${p.seq}: ${REASONS[p.reason] ?? p.reason} [${p.reason}]`,
      ),
      `report tallies of ${tallies.campaigns} campaigns replayed from the signatures`,
      problems.length + tallies.problems.length
        ? `${problems.length + tallies.problems.length} problems found`
        : 'every chain, audit event, anchor and report tally holds',
    ];
    return { ok: problems.length + tallies.problems.length === 0, lines };
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

if (require.main === module) {
  verifyCommand(process.argv.slice(2), process.env)
    .then(({ ok, lines }) => {
      for (const line of lines) console.log(line);
      process.exit(ok ? 0 : 1);
    })
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    });
}
