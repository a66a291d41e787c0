import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { ResetPasswordDto } from '../users/dto/create-user.dto';
import { mapUser } from '../users/user.mapper';
import { UserResponse } from '../users/user.response';
import { UsersService } from '../users/users.service';
import { RolesService } from '../users/roles.service';
import { SetRolesDto } from './dto/set-roles.dto';

/** The security admin's work on accounts (安全管理员): roles, unlocking, the passwords of security admins and auditors. */
@ApiTags('security 安全管理')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Roles('security_admin')
@Controller('users')
export class UserSecurityController {
  constructor(
    private readonly users: UsersService,
    private readonly roles: RolesService,
  ) {}

  @ApiOperation({ summary: '本县全部用户：角色、待批准的角色、锁定状态（安全管理员）' })
  @ApiOkResponse({ type: [UserResponse] })
  @Get()
  async list(@CurrentUser() user: AuthUser): Promise<UserResponse[]> {
    return (await this.users.list(user.countyId)).map(mapUser);
  }

  @ApiOperation({ summary: '设置用户的角色（县巩固办、系统管理员、安全管理员、审计员只能经批准的申请授予；撤销立即生效，该用户的全部登录随即结束）' })
  @ApiOkResponse({ type: UserResponse })
  @Put(':id/roles')
  async setRoles(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: SetRolesDto): Promise<UserResponse> {
    const changed = await this.roles.setRoles(user, id, dto.roles);
    return mapUser(await this.users.accountOrThrow(user.countyId, changed.id));
  }

  @ApiOperation({ summary: '解除因登录失败而锁定的账号' })
  @ApiOkResponse({ type: UserResponse })
  @Post(':id/unlock')
  @HttpCode(200)
  async unlock(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<UserResponse> {
    return mapUser(await this.users.unlock(user, id));
  }

  @ApiOperation({ summary: '重置安全管理员、审计员的密码（其他账号由系统管理员重置）' })
  @ApiOkResponse({ type: UserResponse })
  @Post(':id/reset-password')
  @HttpCode(200)
  async resetPassword(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: ResetPasswordDto): Promise<UserResponse> {
    return mapUser(await this.users.resetSecurityPassword(user, id, dto.password));
  }
}
