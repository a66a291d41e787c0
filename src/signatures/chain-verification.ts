import { createHmac } from 'node:crypto';
import type { ChainKeys } from './chain-keys';
import type { ChainSeal } from './chain-seal.entity';
import type { Signature } from './signature.entity';
import type { ChainBreakResponse } from './signature.response';
import { signatureHash } from './signature-hash';
import type { ChainHead } from './signatures.service';

/** What verification compares a chain with: its subject's row. */
export interface ChainSubject {
  /** The head the row keeps; null for subjects that keep none (a summary report: one link, written with the row). */
  head: ChainHead | null;
  /** The row's state, compared with the last link's state-after; null to skip. */
  state: string | null;
  /** The state of a row that has no links yet. */
  initialState?: string;
  /** The unsigned state changes recorded for the row (WITHDRAW: unsignedStates), in order. */
  unsigned?: ReadonlyArray<{ at: Date; state: string }>;
}

/**
 * The first thing in a chain that does not hold, or null: its links
 * (verifyLinks), then its subject's row — the head it keeps must be the last
 * link (links deleted from the end, or the whole chain, show here), and its
 * state must be the last link's state-after, or that of an unsigned change
 * recorded since (WITHDRAW).
 */
export function verifyChain(chain: Signature[], keys: ChainKeys, seal: ChainSeal | null, subject: ChainSubject): ChainBreakResponse | null {
  const broken = verifyLinks(chain, keys, seal);
  if (broken) return broken;
  const last = chain.at(-1) ?? null;
  const at = (reason: ChainBreakResponse['reason']): ChainBreakResponse => ({
    seq: (last?.seq ?? 0) + (reason === 'head_mismatch' ? 1 : 0),
    signatureId: last?.id ?? null,
    reason,
  });
  if (subject.head && (subject.head.seq !== (last?.seq ?? 0) || subject.head.hash !== (last?.hash ?? null))) return at('head_mismatch');
  const since = last?.signedAt ?? null;
  const unsigned = (subject.unsigned ?? []).filter((u) => since === null || u.at >= since).at(-1)?.state;
  if (subject.state !== null && subject.state !== (unsigned ?? last?.stateAfter ?? subject.initialState)) return at('state_mismatch');
  return null;
}

/**
 * The first link that does not hold, or null. `unkeyedOnly`: the links are
 * the unkeyed prefix being sealed, checked as plain SHA-256.
 */
export function verifyLinks(chain: Signature[], keys: ChainKeys, seal: ChainSeal | null, unkeyedOnly = false): ChainBreakResponse | null {
  let prev: Signature | null = null;
  let keyed = false;
  for (const [i, s] of chain.entries()) {
    const broken = (reason: ChainBreakResponse['reason']): ChainBreakResponse => ({ seq: s.seq, signatureId: s.id, reason });
    if (s.seq !== i + 1) return broken('sequence_gap');
    if (s.prevHash !== (prev?.hash ?? null)) return broken('prev_hash_mismatch');
    if (s.keyId === null) {
      // Unkeyed links come only before keyed ones, up to the link the chain's seal vouches for.
      if (keyed) return broken('hash_mismatch');
      if (!unkeyedOnly) {
        const lastUnkeyed = chain.filter((l) => l.keyId === null).at(-1)!;
        const vouched =
          seal !== null &&
          seal.seq === lastUnkeyed.seq &&
          seal.hash === lastUnkeyed.hash &&
          chainSeal(keys, seal.keyId, seal.subjectId, seal.seq, seal.hash) === seal.seal &&
          seal.subjectId === s.subjectId;
        if (!vouched) return broken('unsealed');
      }
    } else {
      keyed = true;
      if (!keys.get(s.keyId)) return broken('unknown_key');
    }
    if (signatureHash(s, keys) !== s.hash) return broken('hash_mismatch');
    prev = s;
  }
  return null;
}

/** The HMAC that seals a chain's unkeyed links: its subject, last unkeyed seq and hash; null when the key is not configured. */
export function chainSeal(keys: ChainKeys, keyId: string, subjectId: string, seq: number, hash: string): string | null {
  const key = keys.get(keyId);
  return key ? createHmac('sha256', key).update(`qingling-chain-seal\n${subjectId}\n${seq}\n${hash}`).digest('hex') : null;
}
