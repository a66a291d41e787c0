import { createHash } from 'node:crypto';
import type { Signature } from './signature.entity';

/** JSON with keys sorted at every level, so a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export type HashedFields = Omit<Signature, 'id' | 'hash' | 'county'>;

/** SHA-256 over every signed field and the previous link's hash. */
export function signatureHash(s: HashedFields): string {
  const material = canonicalJson({
    countyId: s.countyId,
    subjectType: s.subjectType,
    subjectId: s.subjectId,
    seq: s.seq,
    kind: s.kind,
    eventType: s.eventType,
    signerId: s.signerId,
    signerName: s.signerName,
    signerRole: s.signerRole,
    signerOrgUnitId: s.signerOrgUnitId,
    signerOrgUnitName: s.signerOrgUnitName,
    signedAt: s.signedAt.toISOString(),
    comment: s.comment,
    payload: s.payload,
    evidence: s.evidence,
    stateBefore: s.stateBefore,
    stateAfter: s.stateAfter,
    prevHash: s.prevHash,
  });
  return createHash('sha256').update(material).digest('hex');
}
