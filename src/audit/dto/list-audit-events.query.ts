import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, Max, Min } from 'class-validator';

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
  @IsDateString()
  before?: string;
}
