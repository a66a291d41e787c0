import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PHASE_KINDS, type PhaseKind } from '../../../workflows/common';
import { IsCalendarDate } from '../../common/validation/calendar-date.validator';

export class PhaseDto {
  @IsIn(PHASE_KINDS)
  kind!: PhaseKind;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name!: string;

  @IsOptional()
  @IsCalendarDate()
  startDate?: string;

  @IsOptional()
  @IsCalendarDate()
  endDate?: string;
}

export class ProblemTypeDto {
  @Matches(/^[A-Za-z0-9._-]{1,32}$/, { message: 'code 只能由 1–32 位字母、数字、点、横线或下划线组成' })
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  aliases?: string[];

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  responsibleUnits?: string[];

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ProblemTypeDto)
  children?: ProblemTypeDto[];
}

/** 行业排查: the county departments whose sector a problem type (and everything under it) is. */
export class SectorDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  problemTypeCode!: string;

  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  departmentIds!: string[];
}

export class SetSectorsDto {
  /** The whole mapping; replaces the campaign's. */
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SectorDto)
  sectors!: SectorDto[];
}

export class CreateCampaignDto {
  /** Start from a shipped plan: huoqiu, shenqiu, zhanggong or ganchahe (GET /api/campaign-presets). */
  @IsOptional()
  @IsIn(['huoqiu', 'shenqiu', 'zhanggong', 'ganchahe'])
  preset?: 'huoqiu' | 'shenqiu' | 'zhanggong' | 'ganchahe';

  /** 专项行动名称 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  /** 文号, e.g. 霍扶组〔2021〕5号 */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  docNumber!: string;

  /** Year the preset's month-day windows fall in (default: this year). */
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  /** The phase plan; required without a preset, replaces the preset's otherwise. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => PhaseDto)
  phases?: PhaseDto[];

  /** The problem-type taxonomy; required without a preset, replaces the preset's otherwise. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ProblemTypeDto)
  problemTypes?: ProblemTypeDto[];

  /** 行业排查: problem types → county departments; without it, types go to the departments named in their 责任单位. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SectorDto)
  sectors?: SectorDto[];
}

export class CampaignEventDto {
  /** 签字意见 */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
