import { ApiProperty, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PROBLEM_ITEM_EVENT_TYPES, PROBLEM_ITEM_STATES } from '../../../workflows';
import { IsCalendarDate } from '../../common/validation/calendar-date.validator';
import { IsResidentId } from '../../common/validation/resident-id.validator';
import { normalizeResidentId } from '../../common/validation/resident-id';
import { ITEM_BATCH_EVENT_TYPES, ITEM_BATCH_MAX, type ItemBatchEventType } from './item-batch-events';
import { ITEM_EVENT_FIELD_LABELS, type ItemEventType } from './item-event.payloads';

const DATE_MESSAGE = (label: string) => `${label}必须是存在的日期（YYYY-MM-DD）`;
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const idNumber = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeResidentId(value) : value);

export class CreateItemDto {
  @IsUUID()
  campaignId!: string;

  /** Where the problem is: a village or township for 入户排查, the department itself for 行业排查. */
  @IsUUID()
  orgUnitId!: string;

  /** 问题类型: a code of the campaign's taxonomy. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  problemTypeCode!: string;

  /** 具体问题 */
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  description!: string;

  /** 户主姓名 (blank for village- or township-level problems) */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(64)
  householdName?: string;

  /** 身份证号码, GB 11643 (check digit verified) */
  @IsOptional()
  @Transform(idNumber)
  @IsResidentId()
  householdIdNumber?: string;

  /** 备注 */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  remark?: string;
}

/** Fields an investigator may change while the item is a draft or returned. */
export class UpdateItemDto extends PartialType(
  PickType(CreateItemDto, ['problemTypeCode', 'description', 'householdName', 'householdIdNumber', 'remark'] as const),
) {
  /** 立行立改: what was done on the spot. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  measures?: string;
}

/**
 * The body of POST /api/items/:id/events as documented: every field any event
 * may carry, each with its format. Which fields an event carries and requires
 * is ITEM_EVENT_PAYLOADS (ItemEventPipe reads the body with both).
 */
export class ItemEventDto {
  @IsIn(PROBLEM_ITEM_EVENT_TYPES.filter((t) => t !== 'EDIT'))
  type!: ItemEventType;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  reason?: string;

  /** 整改措施 (CONFIRM), or what was done on the spot (SUBMIT with fixedOnSite). */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  measures?: string;

  /** 整改责任人 (CONFIRM, ESCALATE) */
  @IsOptional()
  @IsUUID()
  rectifierId?: string;

  /** 整改时限 (CONFIRM, ESCALATE, REJECT_RECTIFICATION, REOPEN) */
  @IsOptional()
  @IsCalendarDate({ message: DATE_MESSAGE(ITEM_EVENT_FIELD_LABELS.deadline) })
  deadline?: string;

  /** REQUEST_EXTENSION */
  @IsOptional()
  @IsCalendarDate({ message: DATE_MESSAGE(ITEM_EVENT_FIELD_LABELS.newDeadline) })
  newDeadline?: string;

  /** ESCALATE: a county department, or the county itself for the county office. */
  @IsOptional()
  @IsUUID()
  toOrgUnitId?: string;

  /** Attachment ids (POST /api/attachments). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  evidence?: string[];

  /** SUBMIT: 立行立改, fixed on the spot. */
  @IsOptional()
  @IsBoolean()
  fixedOnSite?: boolean;

  /** MARK_LONG_TERM: the 长期整改 plan. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  plan?: string;
}

/**
 * The body of POST /api/items/batch-events: one event type and its fields,
 * common to every item, and the items. Each field has ItemEventDto's format
 * and the event's rule in ITEM_EVENT_PAYLOADS, as for a single event.
 */
export class ItemBatchEventDto extends OmitType(ItemEventDto, ['type'] as const) {
  @ApiProperty({ enum: ITEM_BATCH_EVENT_TYPES })
  @IsIn(ITEM_BATCH_EVENT_TYPES, {
    message: `${ITEM_EVENT_FIELD_LABELS.type}不能批量执行；可以批量执行的有：${ITEM_BATCH_EVENT_TYPES.join('、')}`,
  })
  type!: ItemBatchEventType;

  /** The items, 1–200 distinct ids; the answer lists them in this order. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ITEM_BATCH_MAX, { message: `问题不能超过 ${ITEM_BATCH_MAX} 个` })
  @ArrayUnique({ message: '问题不能重复' })
  @IsUUID('all', { each: true })
  itemIds!: string[];
}

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** A page of a list: how many, and where it starts. */
export class PageQuery {
  /** Items a page (default 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  /** Where the page starts: the previous page's `nextCursor` (GET /api/items) or its X-Next-Cursor header (GET /api/inbox). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class ListItemsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  /** Items at this org unit or anywhere below it. */
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  /** One state or several separated by commas. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @IsIn(PROBLEM_ITEM_STATES, { each: true })
  state?: string[];

  /** A problem-type code; with campaignId, its sub-types are included. */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  problemType?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @IsOptional()
  @IsUUID()
  rectifierId?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  reopened?: boolean;

  /** Text search in 具体问题, 整改措施, 户主姓名 and 备注. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** The answer header of an inbox page that has a next one: its cursor. */
export const INBOX_NEXT_CURSOR = 'X-Next-Cursor';

/** GET /api/inbox: a page of the items waiting on the caller. */
export class InboxQuery extends PageQuery {}

/** POST /api/items/household-lookup: the number goes in the body, never in a URL (URLs end up in logs and proxies). */
export class HouseholdLookupDto {
  /** 身份证号码, GB 11643 */
  @Transform(idNumber)
  @IsResidentId()
  idNumber!: string;

  /** Only this campaign's items. */
  @IsOptional()
  @IsUUID()
  campaignId?: string;
}
