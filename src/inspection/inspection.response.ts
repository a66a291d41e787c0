import { ApiProperty } from '@nestjs/swagger';
import { OrgUnitRefResponse } from '../orgs/org-unit.response';
import { UserRefResponse } from '../users/user.response';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.
export const DRAW_MODES = ['percent', 'count'] as const;
export const CHECK_OUTCOMES = ['pending', 'passed', 'reopened'] as const;
export const ACCOUNTABILITY_STEPS = ['investigation', 'review', 'rectification', 'acceptance', 'inspection'] as const;

export class NamedRefResponse {
  id!: string;
  name!: string;
}

/** A drawn item and what the inspectors made of it since it was drawn. */
export class DrawnItemResponse {
  id!: string;
  campaignId!: string;
  /** 问题序号 within the campaign. */
  number!: number;
  description!: string;
  /** The village (or the township, for a township-level item). */
  orgUnit!: NamedRefResponse;
  township!: NamedRefResponse;
  /** The item's state now. */
  state!: string;
  stateLabel!: string;
  /** pending: not checked since drawn; passed: SPOT_CHECK_PASS; reopened: REOPEN (the first check after the draw counts). */
  @ApiProperty({ enum: CHECK_OUTCOMES })
  check!: (typeof CHECK_OUTCOMES)[number];
  checkedBy!: UserRefResponse | null;
  checkedAt!: string | null;
}

export class DrawRefResponse {
  id!: string;
  round!: number;
  drawnAt!: string;
  drawnByOrgUnit!: NamedRefResponse;
}

/** An item on the inspectors' worklist: drawn and not yet checked. */
export class WorklistItemResponse extends DrawnItemResponse {
  draw!: DrawRefResponse;
}

/** 抽查复核 draw: the signed random sample of a campaign's closed and dismissed items. */
export class SpotCheckDrawResponse {
  id!: string;
  campaignId!: string;
  /** 第几轮, per drawing unit. */
  round!: number;
  @ApiProperty({ enum: DRAW_MODES })
  mode!: (typeof DRAW_MODES)[number];
  /** The percentage or the count per township. */
  value!: number;
  townships!: NamedRefResponse[];
  /** The random seed (32 bytes, hex) the sample was computed from; with the population it reproduces the sample. */
  seed!: string;
  /** Settled items the sample was drawn from. */
  populationSize!: number;
  /** SHA-256 of the population as signed. */
  populationSha256!: string;
  sampleSize!: number;
  drawnBy!: UserRefResponse;
  /** The county office, or the supervision group. */
  drawnByOrgUnit!: OrgUnitRefResponse;
  drawnAt!: string;
  /** The draw's signature (a one-link chain; `npm run verify` checks it and recomputes the sample). */
  signatureId!: string;
  signatureHash!: string;
  checked!: number;
  passed!: number;
  reopened!: number;
  /** The drawn items in the caller's scope, by number. */
  items!: DrawnItemResponse[];
}

export class CoverageFiguresResponse {
  /** 已销号: items closed or dismissed at some point. */
  closed!: number;
  /** 已抽取: items in some draw of the campaign. */
  drawn!: number;
  /** 已复核: drawn items checked since (passed or reopened). */
  checked!: number;
  passed!: number;
  reopened!: number;
}

export class CoverageRowResponse extends CoverageFiguresResponse {
  township!: NamedRefResponse;
  /** The village, or the township itself for township-level items. */
  orgUnit!: NamedRefResponse;
}

export class CoverageTownshipResponse extends CoverageFiguresResponse {
  township!: NamedRefResponse;
  /** Villages (and the township itself) with a closed or dismissed item. */
  villages!: number;
  villagesDrawn!: number;
  villagesChecked!: number;
}

/** 抽查复核 coverage per village: closed, drawn, checked, passed, reopened. */
export class CoverageResponse {
  campaignId!: string;
  /** The day the figures are as of (today). */
  asOf!: string;
  rows!: CoverageRowResponse[];
  townships!: CoverageTownshipResponse[];
  total!: CoverageTownshipResponse;
}

/** One step's figures for a person or township: signatures in the period, and how many of those items were later reopened or overdue. */
export class StepFiguresResponse {
  /** Items signed at this step in the period. */
  signed!: number;
  /** Of those, items reopened by inspection after the signature. */
  reopened!: number;
  /** Of those, items overdue (整改中 past the deadline) at some time after the signature. */
  overdue!: number;
}

export class StepsResponse {
  /** 排查 (SUBMIT) */
  investigation!: StepFiguresResponse;
  /** 审核 (CONFIRM, DISMISS) */
  review!: StepFiguresResponse;
  /** 整改 (SUBMIT_RECTIFICATION) */
  rectification!: StepFiguresResponse;
  /** 验收 (ACCEPT) */
  acceptance!: StepFiguresResponse;
  /** 督查 (SPOT_CHECK_PASS, REOPEN) */
  inspection!: StepFiguresResponse;
}

export class AccountabilityPersonResponse {
  signer!: UserRefResponse;
  /** The signer's unit at the time of their last signature in the period. */
  orgUnit!: NamedRefResponse;
  steps!: StepsResponse;
  /** Distinct items signed at any step in the period. */
  items!: number;
  reopened!: number;
  overdue!: number;
}

export class AccountabilityTownshipResponse {
  township!: NamedRefResponse;
  steps!: StepsResponse;
  items!: number;
  reopened!: number;
  overdue!: number;
  /** Reopens by inspection signed in the period. */
  reopens!: number;
}

/** 谁签字谁负责: per person and per township, items signed at each step and how many were reopened or overdue later. */
export class AccountabilityResponse {
  campaignId!: string;
  from!: string;
  to!: string;
  people!: AccountabilityPersonResponse[];
  townships!: AccountabilityTownshipResponse[];
}
