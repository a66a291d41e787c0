import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { CreateOrgUnitDto, SetCoverageDto } from '../orgs/dto/create-org-unit.dto';
import { mapOrgUnit } from '../orgs/org-unit.mapper';
import { OrgUnitResponse } from '../orgs/org-unit.response';
import { OrgsService } from '../orgs/orgs.service';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from '../users/dto/create-user.dto';
import { mapUser } from '../users/user.mapper';
import { UserResponse } from '../users/user.response';
import { UsersService } from '../users/users.service';

/** Org units and user accounts of the admin's county (系统管理员). Admin role only; roles are the security admin's. */
@ApiTags('admin 系统管理')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Roles('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly orgs: OrgsService,
    private readonly users: UsersService,
  ) {}

  @ApiOperation({ summary: '新建单位（乡镇、行政村、县直部门、督查组）' })
  @ApiCreatedResponse({ type: OrgUnitResponse })
  @Post('org-units')
  async createOrgUnit(@CurrentUser() admin: AuthUser, @Body() dto: CreateOrgUnitDto): Promise<OrgUnitResponse> {
    return mapOrgUnit(await this.orgs.create(admin.countyId, dto, admin));
  }

  @ApiOperation({ summary: '本县全部单位（树序）' })
  @ApiOkResponse({ type: [OrgUnitResponse] })
  @Get('org-units')
  async listOrgUnits(@CurrentUser() admin: AuthUser): Promise<OrgUnitResponse[]> {
    return (await this.orgs.list(admin.countyId)).map(mapOrgUnit);
  }

  @ApiOperation({ summary: '设置督查组负责的乡镇' })
  @ApiOkResponse({ type: [OrgUnitResponse] })
  @Put('org-units/:id/coverage')
  async setCoverage(@CurrentUser() admin: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: SetCoverageDto): Promise<OrgUnitResponse[]> {
    return (await this.orgs.setCoverage(admin, id, dto.townshipIds)).map(mapOrgUnit);
  }

  @ApiOperation({ summary: '督查组负责的乡镇' })
  @ApiOkResponse({ type: [OrgUnitResponse] })
  @Get('org-units/:id/coverage')
  async coverage(@CurrentUser() admin: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<OrgUnitResponse[]> {
    return (await this.orgs.coverage(admin.countyId, id)).map(mapOrgUnit);
  }

  @ApiOperation({ summary: '新建用户（账号无角色；所填角色成为授予申请，由安全管理员批准）' })
  @ApiCreatedResponse({ type: UserResponse })
  @Post('users')
  async createUser(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto): Promise<UserResponse> {
    return mapUser(await this.users.create(admin.countyId, dto, admin));
  }

  @ApiOperation({ summary: '本县全部用户（含待批准的角色、锁定状态）' })
  @ApiOkResponse({ type: [UserResponse] })
  @Get('users')
  async listUsers(@CurrentUser() admin: AuthUser): Promise<UserResponse[]> {
    return (await this.users.list(admin.countyId)).map(mapUser);
  }

  @ApiOperation({ summary: '修改用户的姓名、手机号码、所属单位（角色由安全管理员设置）' })
  @ApiOkResponse({ type: UserResponse })
  @Patch('users/:id')
  async updateUser(@CurrentUser() admin: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserResponse> {
    return mapUser(await this.users.update(admin, id, dto));
  }

  @ApiOperation({ summary: '重置密码（同时注销该用户的全部登录；安全管理员、审计员的密码由安全管理员重置）' })
  @ApiOkResponse({ type: UserResponse })
  @Post('users/:id/reset-password')
  @HttpCode(200)
  async resetPassword(@CurrentUser() admin: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: ResetPasswordDto): Promise<UserResponse> {
    return mapUser(await this.users.resetPassword(admin, id, dto.password));
  }

  @ApiOperation({ summary: '停用用户（其全部登录立即失效）' })
  @ApiOkResponse({ type: UserResponse })
  @Post('users/:id/deactivate')
  @HttpCode(200)
  async deactivate(@CurrentUser() admin: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<UserResponse> {
    return mapUser(await this.users.deactivate(admin, id));
  }

  @ApiOperation({ summary: '重新启用已停用的用户' })
  @ApiOkResponse({ type: UserResponse })
  @Post('users/:id/reactivate')
  @HttpCode(200)
  async reactivate(@CurrentUser() admin: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<UserResponse> {
    return mapUser(await this.users.reactivate(admin, id));
  }
}
