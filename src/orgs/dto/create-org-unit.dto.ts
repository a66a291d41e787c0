import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ORG_UNIT_KINDS, OrgUnitKind } from '../org-unit.entity';

export class CreateOrgUnitDto {
  /** township, village, department or supervision_group (counties are created by provisioning, not by the admin API). */
  @IsIn(ORG_UNIT_KINDS.filter((k) => k !== 'county'))
  kind!: Exclude<OrgUnitKind, 'county'>;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  /** 统计用区划代码: 6, 9 or 12 digits. */
  @IsOptional()
  @Matches(/^[0-9]{6}([0-9]{3}([0-9]{3})?)?$/, { message: 'code 必须是 6、9 或 12 位数字的统计用区划代码' })
  code?: string;

  /** Parent org unit: the county for townships, departments and supervision groups; a township for villages. */
  @IsUUID()
  parentId!: string;
}

export class SetCoverageDto {
  /** Townships this supervision group covers (replaces the current list). */
  @IsUUID('all', { each: true })
  townshipIds!: string[];
}
