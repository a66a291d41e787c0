import { ApiProperty } from '@nestjs/swagger';
import { ORG_UNIT_KINDS, type OrgUnitKind } from './org-unit.entity';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

export class OrgUnitResponse {
  id!: string;
  countyId!: string;
  /** Null for the county itself. */
  parentId!: string | null;
  @ApiProperty({ enum: ORG_UNIT_KINDS })
  kind!: OrgUnitKind;
  kindLabel!: string;
  /** 统计用区划代码 (12 digits; 6 for a county) where the unit has one. */
  code!: string | null;
  name!: string;
}

/** An org unit as other records name it. */
export class OrgUnitRefResponse {
  id!: string;
  name!: string;
  @ApiProperty({ enum: ORG_UNIT_KINDS })
  kind!: OrgUnitKind;
}
