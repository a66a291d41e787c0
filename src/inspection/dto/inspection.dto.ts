import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/calendar-date.validator';

export class CreateSpotCheckDrawDto {
  /** percent: a share of each township's settled items (rounded up); count: a number of them per township. */
  @IsIn(['percent', 'count'], { message: 'mode 须为 percent（按比例）或 count（按数量）' })
  mode!: 'percent' | 'count';

  /** The percentage (1–100) or the number per township (1–1000). */
  @IsInt({ message: 'value 须为整数' })
  @Min(1, { message: 'value 至少为 1' })
  @Max(1000, { message: 'value 至多为 1000' })
  value!: number;

  /** 第几轮 (from 1); the drawing unit's next round when left out. A round already drawn is refused (409). */
  @IsOptional()
  @IsInt({ message: 'round 须为整数' })
  @Min(1, { message: 'round 至少为 1' })
  @Max(1000, { message: 'round 至多为 1000' })
  round?: number;

  /** Only these townships (within the drawer's coverage); all of them when left out. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'townshipIds 须为乡镇 id 的列表' })
  townshipIds?: string[];
}

export class WorklistQuery {
  /** Only this campaign's draws. */
  @IsOptional()
  @IsUUID()
  campaignId?: string;
}

export class CoverageQuery {
  /** Only this township's villages. */
  @IsOptional()
  @IsUUID()
  townshipId?: string;
}

export class AccountabilityQuery {
  /** First day of the period (signatures from its start); the campaign's start when left out. */
  @IsOptional()
  @IsCalendarDate({ message: 'from 必须是存在的日期（YYYY-MM-DD）' })
  from?: string;

  /** Last day of the period (signatures to its end); today when left out. */
  @IsOptional()
  @IsCalendarDate({ message: 'to 必须是存在的日期（YYYY-MM-DD）' })
  to?: string;

  /** Only items of this township. */
  @IsOptional()
  @IsUUID()
  townshipId?: string;
}
