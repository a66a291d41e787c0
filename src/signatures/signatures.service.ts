import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Clock } from '../common/clock';
import { EvidenceRef, Signature } from './signature.entity';
import { signatureHash } from './signature-hash';
import { ChainBreakResponse, ChainVerificationResponse } from './signature.response';

export interface SignatureInput {
  countyId: string;
  subjectType: 'item' | 'campaign' | 'summary_report';
  subjectId: string;
  kind: string;
  eventType: string;
  signer: { id: string; name: string; role: string; orgUnitId: string; orgUnitName: string };
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
      // Millisecond precision: what JavaScript can hash is what PostgreSQL gives back.
      signedAt: input.signedAt ?? this.clock.now(),
      comment: input.comment,
      payload: input.payload,
      evidence: input.evidence,
      stateBefore: input.stateBefore,
      stateAfter: input.stateAfter,
      prevHash: head.hash,
    };
    return Object.assign(new Signature(), { ...fields, id: randomUUID(), hash: signatureHash(fields) });
  }

  /** Writes a link made by `next`, inside the transaction that moved the subject's head. */
  async insert(tx: EntityManager, signature: Signature): Promise<void> {
    await tx.insert(Signature, signature as QueryDeepPartialEntity<Signature>);
  }

  chain(subjectId: string): Promise<Signature[]> {
    return this.signatures.find({ where: { subjectId }, order: { seq: 'ASC' } });
  }

  /** Recomputes every link; names the first one that does not hold. */
  async verify(subjectId: string): Promise<ChainVerificationResponse> {
    const chain = await this.chain(subjectId);
    let prev: Signature | null = null;
    for (const [i, s] of chain.entries()) {
      const broken = (reason: ChainBreakResponse['reason']): ChainVerificationResponse => ({
        valid: false,
        length: chain.length,
        firstBroken: { seq: s.seq, signatureId: s.id, reason },
      });
      if (s.seq !== i + 1) return broken('sequence_gap');
      if (s.prevHash !== (prev?.hash ?? null)) return broken('prev_hash_mismatch');
      if (signatureHash(s) !== s.hash) return broken('hash_mismatch');
      prev = s;
    }
    return { valid: true, length: chain.length, firstBroken: null };
  }
}
