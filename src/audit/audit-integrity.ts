import type { ChainKeys } from '../signatures/chain-keys';
import type { ChainProblem, Query } from '../signatures/chain-audit';
import { AuditEvent } from './audit-event.entity';
import { auditSeal } from './audit-seal';

const ROWS_PER_BATCH = 2_000;

/**
 * Every audit event's seal recomputed: a row edited without the key, a seal
 * naming a key that is not configured, or a row without a seal written after
 * sealing began (audit_sealing) is a problem. Rows deleted are the daily
 * anchors' to find (verifyAnchors).
 */
export async function verifyAuditEvents(query: Query, keys: ChainKeys): Promise<{ events: number; problems: ChainProblem[] }> {
  const [{ started_at: startedAt }] = await query(`SELECT started_at FROM audit_sealing`);
  const problems: ChainProblem[] = [];
  let events = 0;
  // Paged by id: created_at has microseconds that a JavaScript Date would round away.
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await query(`SELECT * FROM audit_events WHERE id > $1 ORDER BY id LIMIT ${ROWS_PER_BATCH}`, [after]);
    if (rows.length === 0) break;
    for (const r of rows) {
      const e = auditEventFromRow(r);
      events++;
      const problem = (reason: ChainProblem['reason'], detail: string) =>
        problems.push({ subjectType: 'audit_event', subjectId: e.id, seq: 0, reason, detail: `${e.createdAt.toISOString()} ${e.action}：${detail}` });
      if (e.seal === null) {
        if (e.createdAt >= (startedAt as Date)) problem('unsealed', '审计记录没有签名');
      } else if (!e.keyId || !keys.get(e.keyId)) problem('unknown_key', '签名所用的密钥未配置');
      else if (auditSeal(e, keys) !== e.seal) problem('hash_mismatch', '审计记录与其签名不符');
    }
    after = rows.at(-1)!.id as string;
  }
  return { events, problems };
}

/** Seals the audit events written before sealing began (once, at start-up); the database lets a row be sealed and nothing else, through the owner's function (the service's role may not UPDATE audit rows). */
export async function sealLegacyAuditEvents(query: Query, keys: ChainKeys): Promise<number> {
  let sealed = 0;
  for (;;) {
    const rows = await query(
      `SELECT * FROM audit_events WHERE seal IS NULL AND created_at < (SELECT started_at FROM audit_sealing) ORDER BY created_at, id LIMIT ${ROWS_PER_BATCH}`,
    );
    if (rows.length === 0) return sealed;
    for (const r of rows) {
      const e = { ...auditEventFromRow(r), keyId: keys.currentId };
      await query(`SELECT qingling_seal_audit_event($1, $2, $3)`, [e.id, e.keyId, auditSeal(e, keys)]);
      sealed++;
    }
  }
}

/** An audit_events row (snake_case, as pg gives it) as the entity. */
export function auditEventFromRow(r: Record<string, unknown>): AuditEvent {
  return Object.assign(new AuditEvent(), {
    id: r.id as string,
    countyId: r.county_id as string,
    actorId: (r.actor_id as string | null) ?? null,
    action: r.action as string,
    subjectType: r.subject_type as string,
    subjectId: (r.subject_id as string | null) ?? null,
    details: r.details as Record<string, unknown>,
    requestId: (r.request_id as string | null) ?? null,
    createdAt: r.created_at as Date,
    keyId: (r.key_id as string | null) ?? null,
    seal: (r.seal as string | null)?.trim() ?? null,
    orgUnitId: (r.org_unit_id as string | null) ?? null,
    result: (r.result as 'success' | 'failure' | undefined) ?? 'success',
    sourceIp: (r.source_ip as string | null) ?? null,
  });
}
