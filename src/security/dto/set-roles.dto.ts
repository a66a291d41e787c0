import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsIn } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles';

export class SetRolesDto {
  /**
   * The user's roles from now on (may be empty). Ordinary roles may be added;
   * county_office, admin, security_admin and auditor only through an approved
   * role grant — here they may only be kept or removed.
   */
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsIn(ROLES, { each: true })
  @IsArray()
  roles!: Role[];
}
