import { AuditEvent } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { signatureAuditRow } from './signature-audit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../common/clock';
import { ChainKeys } from './chain-keys';
import { ChainSeal } from './chain-seal.entity';
import { chainSeal, type ChainSubject, verifyChain, verifyLinks } from './chain-verification';
import { EvidenceRef, Signature } from './signature.entity';
import { signatureHash } from './signature-hash';
import { ChainVerificationResponse } from './signature.response';

export interface SignatureInput {
  countyId: string;
  subjectType: 'item' | 'campaign' | 'summary_report' | 'spot_check_draw';
  subjectId: string;
  kind: string;
  eventType: string;
  signer: { id: string; name: string; role: string; orgUnitId: string; orgUnitName: string };
  /** 委派: the delegator the signer signs for. */
  onBehalfOf?: { id: string; name: string } | null;
  comment: string | null;
  payload: Record<string, unknown>;
  evidence: EvidenceRef[];
  stateBefore: string;
  stateAfter: string;
  /** When it was signed; now by default. */
  signedAt?: Date;
}

/** The last link of a chain as its subject row keeps it. */
export interface ChainHead {
  seq: number;
  hash: string | null;
}

/** A chain without links. */
export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: null };

@Injectable()
export class SignaturesService {
  constructor(
    @InjectRepository(Signature) private readonly signatures: Repository<Signature>,
    private readonly clock: Clock,
    private readonly keys: ChainKeys,
    private readonly audit: AuditService,
  ) {}

  /**
   * The next link of a chain whose head (last seq and hash; 0 and null for a
   * new chain) the caller holds: the subject row keeps its head, updated in
   * the same conditional UPDATE that serialises writers, so no signature is
   * read to append one. (subject, seq) is unique besides.
   */
  next(head: ChainHead, input: SignatureInput): Signature {
    const fields = {
      countyId: input.countyId,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      seq: head.seq + 1,
      kind: input.kind,
      eventType: input.eventType,
      signerId: input.signer.id,
      signerName: input.signer.name,
      signerRole: input.signer.role,
      signerOrgUnitId: input.signer.orgUnitId,
      signerOrgUnitName: input.signer.orgUnitName,
      onBehalfOfId: input.onBehalfOf?.id ?? null,
      onBehalfOfName: input.onBehalfOf?.name ?? null,
      // Millisecond precision: what JavaScript can hash is what PostgreSQL gives back.
      signedAt: input.signedAt ?? this.clock.now(),
      comment: input.comment,
      payload: input.payload,
      evidence: input.evidence,
      stateBefore: input.stateBefore,
      stateAfter: input.stateAfter,
      prevHash: head.hash,
      keyId: this.keys.currentId,
    };
    return Object.assign(new Signature(), { ...fields, id: randomUUID(), hash: signatureHash(fields, this.keys)! });
  }

  /** Writes a link made by `next` by `signer`, and its audit record, inside the transaction that moved the subject's head. */
  async insert(tx: EntityManager, signature: Signature, signer: AuthUser): Promise<void> {
    await tx.insert(Signature, signature as QueryDeepPartialEntity<Signature>);
    await tx.insert(AuditEvent, signatureAuditRow(this.audit, signer, signature) as QueryDeepPartialEntity<AuditEvent>);
  }

  chain(subjectId: string): Promise<Signature[]> {
    return this.signatures.find({ where: { subjectId }, order: { seq: 'ASC' } });
  }

  /**
   * Recomputes every link with its key and names the first that does not
   * hold: a gap in the sequence, a broken back-link, a hash that is not the
   * link's seal (edited, or recomputed without the key), a key that is not
   * configured, an unkeyed link no seal vouches for. Then the subject's row:
   * the head it keeps must be the last link (links deleted from the end, or
   * the whole chain, show here), and its state must be the last link's
   * state-after, or that of an unsigned change recorded since (WITHDRAW).
   */
  async verify(subjectId: string, subject: ChainSubject): Promise<ChainVerificationResponse> {
    const chain = await this.chain(subjectId);
    const seal = chain.some((s) => s.keyId === null) ? await this.signatures.manager.findOne(ChainSeal, { where: { subjectId } }) : null;
    const firstBroken = verifyChain(chain, this.keys, seal, subject);
    return { valid: !firstBroken, length: chain.length, firstBroken };
  }

  /**
   * Seals every chain that still has links from before chain keys existed
   * (plain SHA-256, anyone could recompute them): if its links hold, an HMAC
   * of its last unkeyed link is stored in `chain_seals`, so that rewriting
   * them needs the key from then on. A chain whose links do not hold is left
   * unsealed, and verification keeps reporting it. Run at start-up; cheap
   * when there is nothing to seal; safe when instances race.
   */
  async sealLegacyChains(): Promise<{ sealed: string[]; refused: string[] }> {
    const subjects: Array<{ subject_id: string }> = await this.signatures.query(
      `SELECT DISTINCT s.subject_id FROM signatures s
        WHERE s.key_id IS NULL AND NOT EXISTS (SELECT 1 FROM chain_seals c WHERE c.subject_id = s.subject_id)`,
    );
    const sealed: string[] = [];
    const refused: string[] = [];
    for (const { subject_id: subjectId } of subjects) {
      const legacy = (await this.chain(subjectId)).filter((s) => s.keyId === null);
      if (verifyLinks(legacy, this.keys, null, true)) {
        refused.push(subjectId);
        continue;
      }
      const last = legacy.at(-1)!;
      const seal = chainSeal(this.keys, this.keys.currentId, subjectId, last.seq, last.hash)!;
      await this.signatures.query(
        `INSERT INTO chain_seals (subject_id, seq, hash, key_id, seal) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_id) DO NOTHING`,
        [subjectId, last.seq, last.hash, this.keys.currentId, seal],
      );
      sealed.push(subjectId);
    }
    return { sealed, refused };
  }
}
