import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles';
import { ROLE_GRANT_STATUSES, type RoleGrantStatus } from '../../users/role-grant.entity';

export class ProposeRoleGrantDto {
  /** The user who would receive the role. */
  @IsUUID()
  userId!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  /** Why (optional, at most 200 characters). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class ApproveRoleGrantDto {
  /** The security admin's comment (optional). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  comment?: string;
}

export class RejectRoleGrantDto {
  /** Why the request is rejected (required). */
  @IsString()
  @IsNotEmpty({ message: 'reason 不能为空：请说明驳回的理由' })
  @MaxLength(200)
  reason!: string;
}

export class ListRoleGrantsQuery {
  @ApiProperty({ enum: ROLE_GRANT_STATUSES, required: false })
  @IsOptional()
  @IsIn(ROLE_GRANT_STATUSES)
  status?: RoleGrantStatus;

  /** Only the requests for this user. */
  @IsOptional()
  @IsUUID()
  userId?: string;
}
