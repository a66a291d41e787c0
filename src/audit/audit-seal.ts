import { createHmac } from 'node:crypto';
import { canonicalJson } from '../signatures/signature-hash';
import type { ChainKeys } from '../signatures/chain-keys';
import type { AuditEvent } from './audit-event.entity';

export type SealedFields = Omit<AuditEvent, 'county' | 'seal'>;

/** The row's seal: HMAC-SHA-256, with the chain key it names, over every field; null when that key is not configured. */
export function auditSeal(e: SealedFields, keys: ChainKeys): string | null {
  const key = e.keyId ? keys.get(e.keyId) : undefined;
  if (!key) return null;
  const material = canonicalJson({
    id: e.id,
    countyId: e.countyId,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    details: e.details,
    requestId: e.requestId,
    createdAt: e.createdAt.toISOString(),
    keyId: e.keyId,
    // Columns added later (AuditFields) are sealed only when set, so rows sealed before them still verify.
    ...(e.orgUnitId ? { orgUnitId: e.orgUnitId } : {}),
    ...(e.result && e.result !== 'success' ? { result: e.result } : {}),
    ...(e.sourceIp ? { sourceIp: e.sourceIp } : {}),
  });
  return createHmac('sha256', key).update(`qingling-audit\n${material}`).digest('hex');
}
