import { ApiProperty } from '@nestjs/swagger';
import { OrgUnitRefResponse } from '../orgs/org-unit.response';
import { UserRefResponse } from '../users/user.response';
import type { Figures } from './progress';
import type { NoticeItem } from './supervision-notice.entity';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

export const STATS_GROUPINGS = ['township', 'village'] as const;
export const SERIES_INTERVALS = ['day', 'week', 'half_month', 'month'] as const;

/** Progress figures of a group of items as of the end of a day, replayed from the signatures. */
export class FiguresResponse implements Figures {
  /** 排查发现: items submitted (排查签字). */
  found!: number;
  /** 已确认: rectifying, pending acceptance or closed. */
  confirmed!: number;
  pendingReview!: number;
  rectifying!: number;
  pendingAcceptance!: number;
  closed!: number;
  dismissed!: number;
  overdue!: number;
  /** Items reopened at some point. */
  reopened!: number;
  /** 整改率: closed / confirmed, 0–1; null when nothing was confirmed. */
  rectificationRate!: number | null;
  /** 平均销号天数 from 排查签字 to 销号; null when nothing was closed. */
  avgDaysToClose!: number | null;
}

/** A township's figures as frozen into its summary report. */
export class FrozenFiguresResponse extends FiguresResponse {
  /** The day the figures are as of. */
  asOf!: string;
}

/** A township, village or department a statistics row groups by. */
export class StatsGroupResponse {
  id!: string;
  name!: string;
  kind!: string;
}

export class StatsProblemTypeResponse {
  code!: string;
  name!: string;
}

export class StatsRowResponse {
  orgUnit!: StatsGroupResponse;
  problemType!: StatsProblemTypeResponse;
  figures!: FiguresResponse;
}

export class StatsGroupTotalResponse {
  orgUnit!: StatsGroupResponse;
  figures!: FiguresResponse;
}

export class StatsReportResponse {
  campaignId!: string;
  /** The day the figures are as of (today). */
  asOf!: string;
  /** `village` when a townshipId was given. */
  @ApiProperty({ enum: STATS_GROUPINGS })
  groupBy!: (typeof STATS_GROUPINGS)[number];
  /** Per org unit × problem type, only groups with something found. */
  rows!: StatsRowResponse[];
  byOrgUnit!: StatsGroupTotalResponse[];
  total!: FiguresResponse;
}

export class SeriesPointResponse {
  /** The day (or Friday) the figures are as of. */
  date!: string;
  figures!: FiguresResponse;
}

export class SeriesResponse {
  campaignId!: string;
  @ApiProperty({ enum: SERIES_INTERVALS })
  interval!: (typeof SERIES_INTERVALS)[number];
  points!: SeriesPointResponse[];
}

export class TownshipRefResponse {
  id!: string;
  name!: string;
}

export class RankingEntryResponse {
  /** Null for townships with nothing confirmed: listed, not ranked. */
  rank!: number | null;
  township!: TownshipRefResponse;
  rectificationRate!: number | null;
  /** Items of the township reopened by inspection (督查重新打开) in the period: counted against the township. */
  reopened!: number;
  overdue!: number;
  avgDaysToClose!: number | null;
  confirmed!: number;
  closed!: number;
  /** 前三名表彰 */
  commended!: boolean;
  /** 最后一名检讨 (only when more than three townships are ranked). */
  lastPlace!: boolean;
}

export class RankingResponse {
  campaignId!: string;
  from!: string | null;
  to!: string;
  /** Ranked townships first, then the unranked. */
  entries!: RankingEntryResponse[];
}

export class NoticeCampaignResponse {
  id!: string;
  title!: string;
  docNumber!: string;
}

/** An overdue item as the notice listed it when issued (frozen). */
export class NoticeItemResponse implements NoticeItem {
  id!: string;
  number!: number;
  orgUnitName!: string;
  description!: string;
  rectifierName!: string | null;
  deadline!: string | null;
  daysOverdue!: number;
}

/** 督办通知书 */
export class NoticeResponse {
  id!: string;
  /** Numbered within the campaign. */
  number!: number;
  campaign!: NoticeCampaignResponse;
  /** A township or a county department. */
  recipient!: OrgUnitRefResponse;
  issuedBy!: UserRefResponse;
  issuedAt!: string;
  /** The new deadline for the listed items. */
  deadline!: string;
  note!: string | null;
  items!: NoticeItemResponse[];
  /** 签收: who of the receiving unit acknowledged it, and when; null until then. */
  acknowledgement!: NoticeReceiptResponse | null;
  /** 回复: the receiving unit's answer; null until then. */
  reply!: NoticeReplyResponse | null;
}

export class NoticeReceiptResponse {
  by!: UserRefResponse;
  at!: string;
}

export class NoticeReplyResponse {
  text!: string;
  by!: UserRefResponse;
  at!: string;
}

/** 总结报告 */
export class SummaryReportResponse {
  id!: string;
  campaignId!: string;
  township!: TownshipRefResponse;
  text!: string;
  figures!: FrozenFiguresResponse;
  filedBy!: UserRefResponse;
  filedAt!: string;
}

export class SummaryOverviewResponse {
  campaignId!: string;
  filed!: SummaryReportResponse[];
  /** Townships in the caller's scope that have not filed. */
  missing!: TownshipRefResponse[];
}
