import { ApiProperty } from '@nestjs/swagger';
import type { CampaignRefusal, ProblemItemRefusal } from '../../../workflows';
import { ERROR_CODES, type ErrorCode } from './error-codes';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

const REFUSALS = Object.keys({
  invalid_state: true,
  phase_closed: true,
  not_permitted: true,
  separation_of_duties: true,
  invalid_payload: true,
  open_items_block_summary: true,
} satisfies Record<ProblemItemRefusal | CampaignRefusal, true>);

export class ErrorDetailResponse {
  /** The request field the message is about (第N行·列名 for a ledger cell, 工作表「…」第N行·列名 when the ledger has several sheets). */
  field!: string;
  message!: string;
}

/** A cell of an imported ledger that failed its check; `row` is the row number Excel shows on worksheet `sheet`. */
export class LedgerRowErrorResponse {
  sheet!: string;
  row!: number;
  column!: string;
  message!: string;
}

/**
 * Every error answer (DomainErrorFilter). `message` is Chinese, for the user;
 * `code` is stable, for the client to branch on.
 */
export class ErrorResponse {
  statusCode!: number;
  @ApiProperty({ enum: ERROR_CODES })
  code!: ErrorCode;
  message!: string;
  details!: ErrorDetailResponse[];
  /** TRANSITION_REFUSED: why the workflow refused the event. */
  @ApiProperty({ enum: REFUSALS, required: false })
  reason?: ProblemItemRefusal | CampaignRefusal;
  /** TRANSITION_REFUSED: the record's current state. */
  state?: string;
  /** TRANSITION_REFUSED: the events the caller may send instead. */
  availableActions?: string[];
  /** VALIDATION_FAILED of a ledger import: the bad cells (at most 200). */
  errors?: LedgerRowErrorResponse[];
  /** VALIDATION_FAILED of a ledger import: how many bad cells in all. */
  errorCount?: number;
}
