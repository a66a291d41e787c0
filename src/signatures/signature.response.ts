import { ApiProperty } from '@nestjs/swagger';
import { CAMPAIGN_SIGNATURE_KIND_BY_EVENT, SIGNATURE_KIND_BY_EVENT, type CampaignSignatureKind, type SignatureKind } from '../../workflows';
import { ROLES, type Role } from '../auth/roles';
import type { EvidenceRef } from './signature.entity';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

/** The kinds signatures are written with: the workflows' signed events, 报送总结报告 and 抽查复核 draws. */
const WRITTEN_KINDS = [
  ...new Set([...Object.values(SIGNATURE_KIND_BY_EVENT), ...Object.values(CAMPAIGN_SIGNATURE_KIND_BY_EVENT), 'summary_report', 'spot_check_draw']),
].filter((k) => k !== null);

export const CHAIN_BREAK_REASONS = [
  'hash_mismatch',
  'prev_hash_mismatch',
  'sequence_gap',
  'unknown_key',
  'unsealed',
  'head_mismatch',
  'state_mismatch',
] as const;

/** What a signature records about its kind of step. */
export type AnySignatureKind = SignatureKind | CampaignSignatureKind | 'summary_report' | 'spot_check_draw';

/** The role a signer acted in: a granted role, or `rectifier` (整改责任人, a relation to the item). */
export type SignerRole = Role | 'rectifier';

export class SignerResponse {
  id!: string;
  name!: string;
  @ApiProperty({ enum: [...ROLES, 'rectifier'] })
  role!: SignerRole;
  orgUnitId!: string;
  orgUnitName!: string;
}

export class OnBehalfOfResponse {
  id!: string;
  name!: string;
}

export class EvidenceRefResponse implements EvidenceRef {
  /** Attachment id (GET /api/attachments/{id}). */
  id!: string;
  /** SHA-256 of the file when it was signed, hex. */
  sha256!: string;
  filename!: string;
}

/** One link of a hash-chained signature record (签字链). */
export class SignatureResponse {
  id!: string;
  /** Position in the chain, from 1. */
  seq!: number;
  @ApiProperty({ enum: WRITTEN_KINDS })
  kind!: AnySignatureKind;
  kindLabel!: string;
  /** The workflow event signed, e.g. SUBMIT, CONFIRM, ADVANCE_PHASE, FILE_SUMMARY. */
  eventType!: string;
  signer!: SignerResponse;
  /** 委派: the delegator the signer signed for (shown "代 X"); null when the signer acted in their own right. */
  onBehalfOf!: OnBehalfOfResponse | null;
  signedAt!: string;
  /** 签字意见 */
  comment!: string | null;
  /** The event's payload as signed (measures, deadline, reason, rectifierId, fromPhase…). */
  @ApiProperty({ type: 'object', additionalProperties: true })
  payload!: Record<string, unknown>;
  evidence!: EvidenceRefResponse[];
  stateBefore!: string;
  stateAfter!: string;
  /** Hash of the previous link; null for the first. */
  prevHash!: string | null;
  /** HMAC-SHA-256 (with the chain key `keyId`) over this link's fields and `prevHash`, hex; plain SHA-256 for links written before keys existed (keyId null). */
  hash!: string;
  /** The chain key that sealed the link. */
  keyId!: string | null;
}

export class ChainBreakResponse {
  /** The link that does not hold; for `head_mismatch` the position after the last link found, for `state_mismatch` the last link. */
  seq!: number;
  /** That link; null when there is none (head_mismatch or state_mismatch of a subject without links). */
  signatureId!: string | null;
  @ApiProperty({ enum: CHAIN_BREAK_REASONS })
  reason!: (typeof CHAIN_BREAK_REASONS)[number];
}

export class ChainVerificationResponse {
  valid!: boolean;
  /** Links in the chain. */
  length!: number;
  /** The first link (or the row's head or state) that does not hold; null when the chain is intact. */
  firstBroken!: ChainBreakResponse | null;
}
