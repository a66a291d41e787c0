import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { RolesService } from '../users/roles.service';
import { ApproveRoleGrantDto, ListRoleGrantsQuery, ProposeRoleGrantDto, RejectRoleGrantDto } from './dto/role-grant.dto';
import { mapRoleGrant } from './security.mapper';
import { RoleGrantResponse } from './security.response';

/** Role grants in two hands (三权分立): the admin proposes, a security admin approves or rejects. */
@ApiTags('security 安全管理')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('role-grants')
export class RoleGrantsController {
  constructor(private readonly roles: RolesService) {}

  @ApiOperation({ summary: '申请为用户授予角色（系统管理员；由安全管理员批准后生效）' })
  @ApiCreatedResponse({ type: RoleGrantResponse })
  @Roles('admin')
  @Post()
  async propose(@CurrentUser() admin: AuthUser, @Body() dto: ProposeRoleGrantDto): Promise<RoleGrantResponse> {
    return mapRoleGrant(await this.roles.propose(admin, dto.userId, dto.role, dto.reason?.trim() || null));
  }

  @ApiOperation({ summary: '本县的角色授予申请，新的在前（系统管理员、安全管理员）' })
  @ApiOkResponse({ type: [RoleGrantResponse] })
  @Roles('admin', 'security_admin')
  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() q: ListRoleGrantsQuery): Promise<RoleGrantResponse[]> {
    return (await this.roles.list(user.countyId, q)).map(mapRoleGrant);
  }

  @ApiOperation({ summary: '批准：授予角色，并结束该用户的全部登录（安全管理员）' })
  @ApiOkResponse({ type: RoleGrantResponse })
  @Roles('security_admin')
  @Post(':id/approve')
  @HttpCode(200)
  async approve(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: ApproveRoleGrantDto): Promise<RoleGrantResponse> {
    return mapRoleGrant(await this.roles.approve(user, id, dto.comment?.trim() || null));
  }

  @ApiOperation({ summary: '驳回（安全管理员；须说明理由）' })
  @ApiOkResponse({ type: RoleGrantResponse })
  @Roles('security_admin')
  @Post(':id/reject')
  @HttpCode(200)
  async reject(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: RejectRoleGrantDto): Promise<RoleGrantResponse> {
    return mapRoleGrant(await this.roles.reject(user, id, dto.reason.trim()));
  }
}
