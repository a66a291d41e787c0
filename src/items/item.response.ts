import { ApiProperty } from '@nestjs/swagger';
import { PROBLEM_ITEM_EVENT_TYPES, PROBLEM_ITEM_STATES, type ProblemItemEventType, type ProblemItemStateName, type ReviewLevel } from '../../workflows';
import { ErrorResponse } from '../common/errors/error.response';
import { OrgUnitRefResponse } from '../orgs/org-unit.response';
import { UserRefResponse } from '../users/user.response';
import { WorkflowRefResponse } from '../workflows-api/workflow.response';
import { ITEM_BATCH_EVENT_TYPES, type ItemBatchEventType } from './dto/item-batch-events';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

const REVIEW_LEVELS = Object.keys({ township: true, county: true } satisfies Record<ReviewLevel, true>);

export class ItemProblemTypeResponse {
  code!: string;
  /** Null when the code is not (or no longer) in the campaign's taxonomy. */
  name!: string | null;
}

export class HouseholdResponse {
  /** 户主姓名 */
  name!: string | null;
  /** 身份证号码: in full only for the county office (each view audited), otherwise first 6 + 8 × `*` + last 4. */
  idNumber!: string | null;
  idNumberMasked!: boolean;
}

/** A pending request for a later deadline (申请延期). */
export class ExtensionRequestResponse {
  requestedDeadline!: string;
  reason!: string;
}

/** A problem (问题) as lists show it. */
export class ItemResponse {
  id!: string;
  /** 序号 within the campaign. */
  number!: number;
  campaignId!: string;
  /** Where the problem is: village, township, department or county. */
  orgUnit!: OrgUnitRefResponse;
  /** Null for department- and county-level problems. */
  township!: OrgUnitRefResponse | null;
  problemType!: ItemProblemTypeResponse;
  /** 具体问题 */
  description!: string;
  /** Null for village- and township-level problems. */
  household!: HouseholdResponse | null;
  /** 备注 */
  remark!: string | null;
  @ApiProperty({ enum: PROBLEM_ITEM_STATES })
  state!: ProblemItemStateName;
  stateLabel!: string;
  /** Who reviews and accepts: the township's leader, or the county office. */
  @ApiProperty({ enum: REVIEW_LEVELS })
  reviewLevel!: ReviewLevel;
  /** 整改措施 */
  measures!: string | null;
  /** 整改责任人, set when the item is confirmed or escalated. */
  rectifier!: UserRefResponse | null;
  /** The county department or county office the item was escalated to. */
  responsibleOrgUnit!: OrgUnitRefResponse | null;
  /** 行业排查: the county department whose staff recorded the item (reviewed by the county office); null otherwise. */
  sectorDepartment!: OrgUnitRefResponse | null;
  /** 整改时限, `YYYY-MM-DD`. */
  deadline!: string | null;
  /** 整改责任人 as an imported ledger row planned them, until the reviewer names one (CONFIRM). */
  plannedRectifierName!: string | null;
  /** 整改时限 as an imported ledger row planned it, until the reviewer sets the deadline (CONFIRM). */
  plannedDeadline!: string | null;
  /** 超期: rectifying past its deadline (China's calendar), computed on every read. */
  overdue!: boolean;
  /** 立行立改 */
  fixedOnSite!: boolean;
  extension!: ExtensionRequestResponse | null;
  /** Times a supervisor reopened it. */
  reopenCount!: number;
  /** 已督查: passed a spot check since it was last closed. */
  inspected!: boolean;
  /** 长期整改 */
  longTerm!: boolean;
  longTermPlan!: string | null;
  /** Who recorded it (排查人). */
  investigator!: UserRefResponse;
  workflow!: WorkflowRefResponse;
  /** Optimistic-concurrency version, incremented by every change. */
  version!: number;
  createdAt!: string;
  updatedAt!: string;
  closedAt!: string | null;
}

/** An item with what the caller may do with it now (detail, inbox, and the answer of every write). */
export class ItemWithActionsResponse extends ItemResponse {
  /** Events the caller may send now (`EDIT` is PATCH /api/items/{id}). */
  @ApiProperty({ enum: PROBLEM_ITEM_EVENT_TYPES, isArray: true })
  availableActions!: ProblemItemEventType[];
  /** 委派: the reviewer the caller stands in for on this item (their review and acceptance are signed "代 X"); null when the caller acts in their own right. */
  actingFor!: UserRefResponse | null;
}

/** Another open item of the same household (by its ID number) and problem type in the campaign. */
export class DuplicateItemResponse {
  id!: string;
  /** 序号 */
  number!: number;
  @ApiProperty({ enum: PROBLEM_ITEM_STATES })
  state!: ProblemItemStateName;
  stateLabel!: string;
  description!: string;
  orgUnitName!: string | null;
}

/** A new item, with the open items of the same household and problem type it may repeat (疑似重复, for the reviewer to judge). */
export class CreatedItemResponse extends ItemWithActionsResponse {
  duplicates!: DuplicateItemResponse[];
}

/** An inbox entry: the item, the caller's events, and how many other open items repeat it. */
export class InboxItemResponse extends ItemWithActionsResponse {
  /** Open items of the same household (ID number) and problem type in the campaign besides this one: 疑似重复 when above 0. */
  openDuplicates!: number;
}

/** The answer of DISCARD: an unsigned draft is deleted. */
export class DiscardedItemResponse {
  id!: string;
  number!: number;
  @ApiProperty({ enum: ['discarded'] })
  state!: 'discarded';
  stateLabel!: string;
  @ApiProperty({ type: 'boolean', enum: [true] })
  deleted!: true;
}

export class ItemPageResponse {
  items!: ItemResponse[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor!: string | null;
}

/** One item's outcome in a batch: `item` when it passed (status 200), otherwise `error`, the answer a single event would have got. */
export class ItemBatchResultResponse {
  itemId!: string;
  /** The HTTP status a single POST /api/items/{id}/events would have answered. */
  status!: number;
  /** The item as it is now (status 200). */
  item?: ItemWithActionsResponse;
  /** Why this item was refused (status 4xx), in the one error shape. */
  error?: ErrorResponse;
}

/** The answer of a batch sign-off: every item's outcome in the order of the request. */
export class ItemBatchResponse {
  @ApiProperty({ enum: ITEM_BATCH_EVENT_TYPES })
  type!: ItemBatchEventType;
  results!: ItemBatchResultResponse[];
  succeeded!: number;
  failed!: number;
}
