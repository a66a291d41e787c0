import { createHash, createHmac } from 'node:crypto';
import type { ChainKeys } from './chain-keys';
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

/** What a link's hash is made of: every signed field, the previous link's hash, and the key's id. */
function material(s: HashedFields): string {
  return canonicalJson({
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
    // Added with delegation (委派): a link signed in nobody else's place hashes exactly as links did before the field existed.
    ...(s.onBehalfOfId ? { onBehalfOf: { id: s.onBehalfOfId, name: s.onBehalfOfName } } : {}),
    signedAt: s.signedAt.toISOString(),
    comment: s.comment,
    payload: s.payload,
    evidence: s.evidence,
    stateBefore: s.stateBefore,
    stateAfter: s.stateAfter,
    prevHash: s.prevHash,
    // Links sealed before keys existed hashed no key id.
    ...(s.keyId !== null ? { keyId: s.keyId } : {}),
  });
}

/**
 * The link's seal: HMAC-SHA-256 with the key it names (`keyId`), or null
 * when that key is not configured. A link without a key id (written before
 * keys existed) is plain SHA-256: anyone can recompute it, so it is trusted
 * only until it is sealed (sealLegacyChains).
 */
export function signatureHash(s: HashedFields, keys: ChainKeys): string | null {
  if (s.keyId === null) return createHash('sha256').update(material(s)).digest('hex');
  const key = keys.get(s.keyId);
  return key ? createHmac('sha256', key).update(material(s)).digest('hex') : null;
}
