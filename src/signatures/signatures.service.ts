import { Injectable } from '@nestjs/common';
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
}

@Injectable()
export class SignaturesService {
  constructor(
    @InjectRepository(Signature) private readonly signatures: Repository<Signature>,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends a link to a subject's chain. Must run inside the transaction that
   * changed the subject: the subject's conditional version update already
   * serialises writers, and (subject, seq) is unique besides.
   */
  async append(tx: EntityManager, input: SignatureInput): Promise<Signature> {
    const last = await tx.findOne(Signature, {
      where: { subjectId: input.subjectId },
      order: { seq: 'DESC' },
    });
    const fields = {
      countyId: input.countyId,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      seq: (last?.seq ?? 0) + 1,
      kind: input.kind,
      eventType: input.eventType,
      signerId: input.signer.id,
      signerName: input.signer.name,
      signerRole: input.signer.role,
      signerOrgUnitId: input.signer.orgUnitId,
      signerOrgUnitName: input.signer.orgUnitName,
      // Millisecond precision: what JavaScript can hash is what PostgreSQL gives back.
      signedAt: this.clock.now(),
      comment: input.comment,
      payload: input.payload,
      evidence: input.evidence,
      stateBefore: input.stateBefore,
      stateAfter: input.stateAfter,
      prevHash: last?.hash ?? null,
    };
    const row = tx.create(Signature, { ...fields, hash: signatureHash(fields) });
    await tx.insert(Signature, row as QueryDeepPartialEntity<Signature>);
    return row;
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
