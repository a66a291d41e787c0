import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar-date.validator';

export class CreateDelegationDto {
  /** 受托人: an active user of the caller's own org unit. */
  @IsUUID()
  delegateId!: string;

  /** First day (China's calendar), today or later. */
  @IsCalendarDate({ message: 'startsOn 必须是存在的日期（YYYY-MM-DD）' })
  startsOn!: string;

  /** Last day, included. */
  @IsCalendarDate({ message: 'endsOn 必须是存在的日期（YYYY-MM-DD）' })
  endsOn!: string;

  /** 委派事由 (e.g. 休假、外出学习) */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
