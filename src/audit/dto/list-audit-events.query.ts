import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsInstant } from '../../common/validation/calendar-date.validator';

export class ListAuditEventsQuery {
  /** At most this many events, newest first (default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** Page backwards: events strictly before this time. */
  @IsOptional()
  @IsInstant()
  before?: string;

  /** Events at or after this time. */
  @IsOptional()
  @IsInstant()
  from?: string;

  /** 操作，如 `item.view_full_id`；以 `.` 结尾时按前缀匹配（如 `item.`） */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z_.]+$/, { message: 'action 只能包含小写字母、下划线和点' })
  action?: string;

  /** 操作人（用户 id） */
  @IsOptional()
  @IsUUID()
  actorId?: string;

  /** 操作对象 id */
  @IsOptional()
  @IsUUID()
  subjectId?: string;
}
