import { ApiProperty } from '@nestjs/swagger';
import { ORG_UNIT_KINDS, type OrgUnitKind } from '../orgs/org-unit.entity';
import { OrgUnitRefResponse } from '../orgs/org-unit.response';

/** A user as pickers show them (整改责任人 candidates). */
export class DirectoryUserResponse {
  id!: string;
  displayName!: string;
  orgUnit!: OrgUnitRefResponse;
  roleLabels!: string[];
}

/** A unit an item can be escalated to (ESCALATE `toOrgUnitId`). */
export class EscalationTargetResponse {
  id!: string;
  name!: string;
  // Listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.
  @ApiProperty({ enum: ORG_UNIT_KINDS })
  kind!: OrgUnitKind;
}
