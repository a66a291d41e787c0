import { createHash, createHmac } from 'node:crypto';
import { INITIAL_STATE } from '../../workflows';
import { chinaDate } from '../common/clock';
import type { ChainKeys } from './chain-keys';
import { ChainSeal } from './chain-seal.entity';
import { Signature } from './signature.entity';
import type { ChainBreakResponse } from './signature.response';
import { verifyChain } from './chain-verification';

/** Runs one SQL statement and answers its rows (a DataSource's or an EntityManager's `query`). */
export type Query = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** One problem found in the whole record: a chain's first broken link, or an anchor that does not hold. */
export interface ChainProblem {
  subjectType: string;
  subjectId: string;
  /** The link at fault (or the day's anchor, for subjectType `anchor`). */
  seq: number;
  reason: ChainBreakResponse['reason'] | 'orphan_links' | 'anchor_mismatch' | 'anchor_chain' | 'anchor_seal' | 'anchor_missing' | 'draw_mismatch';
  /** What the reader needs to find it: an item's campaign and number, an anchor's county and day. */
  detail: string;
}

const SUBJECTS_PER_BATCH = 500;

/**
 * Every chain in the database checked the way GET …/signatures/verify checks
 * one (links, keys, seals, the head and state on the subject's row), in
 * batches of subjects, plus links whose subject row is gone. Answers every
 * chain that does not hold, first broken link each.
 */
export async function verifyAllChains(query: Query, keys: ChainKeys): Promise<{ subjects: number; links: number; problems: ChainProblem[] }> {
  const problems: ChainProblem[] = [];
  let subjects = 0;
  let links = 0;
  const tables = [
    { type: 'item', table: 'problem_items', head: true, initial: INITIAL_STATE as string, label: `'问题 #' || number` },
    { type: 'campaign', table: 'campaigns', head: true, initial: 'draft', label: `'专项行动 ' || title` },
    // One link each, written with the row: the row's state is the link's state-after.
    { type: 'summary_report', table: 'summary_reports', head: false, initial: 'filed', label: `'总结报告 ' || id` },
    { type: 'spot_check_draw', table: 'spot_check_draws', head: false, initial: 'drawn', label: `'抽查第 ' || round || ' 轮'` },
  ];
  for (const t of tables) {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await query(
        `SELECT id, ${t.head ? 'chain_seq, chain_head, state' : 'NULL::int AS chain_seq, NULL AS chain_head, NULL AS state'}, ${t.label} AS label
           FROM ${t.table} WHERE id > $1 ORDER BY id LIMIT ${SUBJECTS_PER_BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.id as string;
      const ids = rows.map((r) => r.id as string);
      const chains = groupBy(await signaturesOf(query, ids), (s) => s.subjectId);
      const seals = new Map((await sealsOf(query, ids)).map((s) => [s.subjectId, s]));
      const unsigned = t.type === 'item' ? await unsignedStates(query, ids) : new Map<string, Array<{ at: Date; state: string }>>();
      for (const r of rows) {
        const chain = chains.get(r.id as string) ?? [];
        subjects++;
        links += chain.length;
        const verdict = verifyChain(chain, keys, seals.get(r.id as string) ?? null, {
          head: t.head ? { seq: r.chain_seq as number, hash: (r.chain_head as string | null) ?? null } : null,
          // A summary report or a draw has exactly one link, written with its row.
          state: t.head ? (r.state as string) : t.initial,
          initialState: t.head ? t.initial : 'none',
          unsigned: unsigned.get(r.id as string),
        });
        if (verdict) problems.push({ subjectType: t.type, subjectId: r.id as string, seq: verdict.seq, reason: verdict.reason, detail: String(r.label) });
      }
    }
  }
  // Links of a subject whose row was deleted.
  const orphans = await query(
    `SELECT s.subject_type, s.subject_id, min(s.seq) AS seq FROM signatures s
      WHERE NOT EXISTS (SELECT 1 FROM problem_items i WHERE i.id = s.subject_id)
        AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = s.subject_id)
        AND NOT EXISTS (SELECT 1 FROM summary_reports r WHERE r.id = s.subject_id)
        AND NOT EXISTS (SELECT 1 FROM spot_check_draws d WHERE d.id = s.subject_id)
      GROUP BY s.subject_type, s.subject_id`,
  );
  for (const o of orphans) {
    problems.push({
      subjectType: o.subject_type as string,
      subjectId: o.subject_id as string,
      seq: o.seq as number,
      reason: 'orphan_links',
      detail: '签字所属的记录已不存在',
    });
  }
  return { subjects, links, problems };
}

/** One day's anchor of a county: the day's new links folded into one digest, chained to the previous anchor and sealed. */
export interface Anchor {
  countyId: string;
  /** The China calendar day (Asia/Shanghai), YYYY-MM-DD. */
  day: string;
  links: number;
  /** SHA-256 over the day's links (subject, seq, hash) in signing order. */
  digest: string;
  /** Audit events recorded that day. */
  auditEvents: number;
  /** SHA-256 over the day's audit events (id, seal) in order. */
  auditDigest: string;
  /** The previous anchor's seal; null for the county's first. */
  prevSeal: string | null;
  keyId: string;
  /** HMAC-SHA-256 over county, day, both counts and digests, and prevSeal. */
  seal: string;
}

/** Days are anchored once they have been over for this long: a link signed just before midnight has committed by then. */
const ANCHOR_GRACE_MS = 10 * 60_000;

/**
 * Writes the missing daily anchors of every county, up to the last day that
 * is over (by ANCHOR_GRACE_MS): for each day with new links since the
 * county's last anchor, one row in `chain_anchors`. Deterministic and
 * idempotent (a race between instances writes the same row once). Answers
 * how many it wrote.
 */
export async function writeAnchors(query: Query, keys: ChainKeys, now: Date): Promise<number> {
  const lastDay = chinaDate(new Date(now.getTime() - ANCHOR_GRACE_MS - 24 * 3_600_000));
  let written = 0;
  const counties = await query(`SELECT id AS county_id FROM org_units WHERE kind = 'county'`);
  for (const { county_id: countyId } of counties) {
    const [previous] = await query(`SELECT day::text AS day, seal FROM chain_anchors WHERE county_id = $1 ORDER BY day DESC LIMIT 1`, [countyId]);
    let prevSeal = (previous?.seal as string | undefined) ?? null;
    const days = await query(
      `SELECT DISTINCT (at AT TIME ZONE 'Asia/Shanghai')::date::text AS day
         FROM (SELECT signed_at AS at FROM signatures WHERE county_id = $1 UNION ALL SELECT created_at FROM audit_events WHERE county_id = $1) t
        WHERE (at AT TIME ZONE 'Asia/Shanghai')::date > COALESCE($2::date, '-infinity') AND (at AT TIME ZONE 'Asia/Shanghai')::date <= $3::date
        ORDER BY day`,
      [countyId, previous?.day ?? null, lastDay],
    );
    for (const { day } of days) {
      const anchor = await anchorOf(query, keys, countyId as string, day as string, prevSeal);
      await query(
        `INSERT INTO chain_anchors (county_id, day, links, digest, audit_events, audit_digest, prev_seal, key_id, seal)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [anchor.countyId, anchor.day, anchor.links, anchor.digest, anchor.auditEvents, anchor.auditDigest, anchor.prevSeal, anchor.keyId, anchor.seal],
      );
      prevSeal = anchor.seal;
      written++;
    }
  }
  return written;
}

/** The anchors kept for a county, oldest first. */
export async function anchorsOf(query: Query, countyId: string, from?: string, to?: string): Promise<Anchor[]> {
  const rows = await query(
    `SELECT county_id, day::text AS day, links, digest, audit_events, audit_digest, prev_seal, key_id, seal FROM chain_anchors
      WHERE county_id = $1 AND day >= COALESCE($2::date, '-infinity') AND day <= COALESCE($3::date, 'infinity') ORDER BY day`,
    [countyId, from ?? null, to ?? null],
  );
  return rows.map((r) => ({
    countyId: r.county_id as string,
    day: r.day as string,
    links: r.links as number,
    digest: (r.digest as string).trim(),
    auditEvents: r.audit_events as number,
    auditDigest: (r.audit_digest as string | null)?.trim() ?? '',
    prevSeal: (r.prev_seal as string | null)?.trim() ?? null,
    keyId: r.key_id as string,
    seal: (r.seal as string).trim(),
  }));
}

/**
 * Every anchor recomputed from the links in the database: each day's digest
 * (a link deleted, added or changed that day, even with the row's head and
 * state moved back to match, changes it), the chain from day to day and each
 * seal. `filed`: anchors exported earlier (the county's own copy), checked
 * against the database's as well. Answers the problems found.
 */
export async function verifyAnchors(query: Query, keys: ChainKeys, filed: Anchor[] = []): Promise<ChainProblem[]> {
  const problems: ChainProblem[] = [];
  const counties = await query(`SELECT id AS county_id FROM org_units WHERE kind = 'county'`);
  const problem = (a: { countyId: string; day: string }, reason: ChainProblem['reason'], detail: string) =>
    problems.push({ subjectType: 'anchor', subjectId: a.countyId, seq: 0, reason, detail: `${a.day} ${detail}` });
  for (const { county_id: countyId } of counties) {
    const kept = await anchorsOf(query, countyId as string);
    // Audit events before the latest purge are gone by design (AUDIT_RETENTION_MONTHS); the purge is itself a sealed audit event.
    const [purge] = await query(
      `SELECT max((details->>'before')::timestamptz) AS before FROM audit_events WHERE county_id = $1 AND action = 'audit.purge' AND seal IS NOT NULL`,
      [countyId],
    );
    const purgedBefore = purge?.before ? chinaDate(purge.before as Date) : null;
    let prevSeal: string | null = null;
    for (const a of kept) {
      if (a.prevSeal !== prevSeal) problem(a, 'anchor_chain', '的锚点与前一天的锚点不衔接');
      else if (anchorSeal(keys, a) !== a.seal) problem(a, 'anchor_seal', '的锚点签名不符');
      else {
        const now = await anchorOf(query, keys, a.countyId, a.day, a.prevSeal, a.keyId);
        if (now.digest !== a.digest || now.links !== a.links) problem(a, 'anchor_mismatch', `当天的签字与锚点不符（锚点 ${a.links} 个，现有 ${now.links} 个）`);
        else if ((purgedBefore === null || a.day > purgedBefore) && (now.auditDigest !== a.auditDigest || now.auditEvents !== a.auditEvents)) {
          problem(a, 'anchor_mismatch', `当天的审计日志与锚点不符（锚点 ${a.auditEvents} 条，现有 ${now.auditEvents} 条）`);
        }
      }
      prevSeal = a.seal;
    }
    const byDay = new Map(kept.map((a) => [a.day, a]));
    for (const f of filed.filter((x) => x.countyId === countyId)) {
      const k = byDay.get(f.day);
      if (!k) problem(f, 'anchor_missing', '的锚点在数据库中不见了');
      else if (k.seal !== f.seal || k.digest !== f.digest) problem(f, 'anchor_mismatch', '的锚点与存档的锚点文件不符');
    }
  }
  return problems;
}

/** The anchors as a text file a county files away: one line per day, then a line sealing the whole file. */
export function anchorFile(anchors: Anchor[], keys: ChainKeys): string {
  const lines = [
    '# 清零 qingling 签字链每日锚点 — 请妥善存档；npm run verify -- --anchors <本文件> 可核对数据库是否被改动',
    '# county_id day links digest audit_events audit_digest prev_seal key_id seal',
    ...anchors.map((a) => [a.countyId, a.day, a.links, a.digest, a.auditEvents, a.auditDigest, a.prevSeal ?? '-', a.keyId, a.seal].join(' ')),
  ];
  const body = lines.join('\n');
  return `${body}\n# file-seal ${keys.currentId} ${createHmac('sha256', keys.current).update(body).digest('hex')}\n`;
}

/** Reads an anchor file; throws when a line or the file's seal does not hold. */
export function readAnchorFile(text: string, keys: ChainKeys): Anchor[] {
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((l) => l.length > 0);
  const sealLine = lines.pop() ?? '';
  const [, , keyId, seal] = sealLine.split(' ');
  const key = keys.get(keyId ?? '');
  if (!sealLine.startsWith('# file-seal ') || !key || createHmac('sha256', key).update(lines.join('\n')).digest('hex') !== seal) {
    throw new Error('锚点文件的签名不符：文件被改动过，或不是本系统导出的');
  }
  return lines
    .filter((l) => !l.startsWith('#'))
    .map((l) => {
      const [countyId, day, links, digest, auditEvents, auditDigest, prevSeal, kid, s] = l.split(' ');
      return {
        countyId,
        day,
        links: Number(links),
        digest,
        auditEvents: Number(auditEvents),
        auditDigest,
        prevSeal: prevSeal === '-' ? null : prevSeal,
        keyId: kid,
        seal: s,
      };
    });
}

async function anchorOf(query: Query, keys: ChainKeys, countyId: string, day: string, prevSeal: string | null, keyId = keys.currentId): Promise<Anchor> {
  const within = `county_id = $1 AND %s >= ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai') AND %s < (($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
  const links = await query(`SELECT subject_id, seq, hash FROM signatures WHERE ${within.replace(/%s/g, 'signed_at')} ORDER BY signed_at, subject_id, seq`, [
    countyId,
    day,
  ]);
  const events = await query(`SELECT id, seal FROM audit_events WHERE ${within.replace(/%s/g, 'created_at')} ORDER BY created_at, id`, [countyId, day]);
  const digest = createHash('sha256');
  for (const r of links) digest.update(`${r.subject_id as string} ${r.seq as number} ${(r.hash as string).trim()}\n`);
  const auditDigest = createHash('sha256');
  for (const r of events) auditDigest.update(`${r.id as string} ${(r.seal as string | null)?.trim() ?? '-'}\n`);
  const a = {
    countyId,
    day,
    links: links.length,
    digest: digest.digest('hex'),
    auditEvents: events.length,
    auditDigest: auditDigest.digest('hex'),
    prevSeal,
    keyId,
  };
  return { ...a, seal: anchorSeal(keys, a) ?? '' };
}

function anchorSeal(keys: ChainKeys, a: Omit<Anchor, 'seal'>): string | null {
  const key = keys.get(a.keyId);
  return key
    ? createHmac('sha256', key)
        .update(`qingling-anchor\n${a.countyId}\n${a.day}\n${a.links}\n${a.digest}\n${a.prevSeal ?? ''}`)
        .digest('hex')
    : null;
}

async function signaturesOf(query: Query, subjectIds: string[]): Promise<Signature[]> {
  const rows = await query(`SELECT * FROM signatures WHERE subject_id = ANY($1::uuid[]) ORDER BY subject_id, seq`, [subjectIds]);
  return rows.map(signatureFromRow);
}

async function sealsOf(query: Query, subjectIds: string[]): Promise<ChainSeal[]> {
  const rows = await query(`SELECT * FROM chain_seals WHERE subject_id = ANY($1::uuid[])`, [subjectIds]);
  return rows.map((r) =>
    Object.assign(new ChainSeal(), {
      subjectId: r.subject_id,
      seq: r.seq,
      hash: (r.hash as string).trim(),
      keyId: r.key_id,
      seal: (r.seal as string).trim(),
      sealedAt: r.sealed_at,
    }),
  );
}

/** The unsigned state changes the engine audited (WITHDRAW), per item, in order. */
export async function unsignedStates(query: Query, itemIds: string[]): Promise<Map<string, Array<{ at: Date; state: string }>>> {
  const rows = await query(
    `SELECT subject_id, (details->>'at')::timestamptz AS at, details->>'stateAfter' AS state FROM audit_events
      WHERE subject_type = 'item' AND subject_id = ANY($1::uuid[]) AND details ? 'stateAfter' AND details ? 'at'
      ORDER BY (details->>'at')::timestamptz`,
    [itemIds],
  );
  const out = new Map<string, Array<{ at: Date; state: string }>>();
  for (const r of rows) {
    const list = out.get(r.subject_id as string) ?? [];
    list.push({ at: r.at as Date, state: r.state as string });
    out.set(r.subject_id as string, list);
  }
  return out;
}

/** A signatures row (snake_case, as pg gives it) as the entity. */
export function signatureFromRow(r: Record<string, unknown>): Signature {
  return Object.assign(new Signature(), {
    id: r.id,
    countyId: r.county_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    seq: r.seq,
    kind: r.kind,
    eventType: r.event_type,
    signerId: r.signer_id,
    signerName: r.signer_name,
    signerRole: r.signer_role,
    signerOrgUnitId: r.signer_org_unit_id,
    signerOrgUnitName: r.signer_org_unit_name,
    onBehalfOfId: r.on_behalf_of_id ?? null,
    onBehalfOfName: r.on_behalf_of_name ?? null,
    signedAt: r.signed_at,
    comment: r.comment,
    payload: r.payload,
    evidence: r.evidence,
    stateBefore: r.state_before,
    stateAfter: r.state_after,
    prevHash: (r.prev_hash as string | null)?.trim() ?? null,
    keyId: r.key_id,
    hash: (r.hash as string).trim(),
  });
}

function groupBy<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const l = out.get(k);
    if (l) l.push(x);
    else out.set(k, [x]);
  }
  return out;
}
