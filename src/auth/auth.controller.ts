import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { mapOrgUnit, OrgUnitResponse } from '../orgs/org-unit.mapper';
import { ScopeService } from '../orgs/scope.service';
import { AuthUser } from './auth-user';
import { AuthService, TokenPair } from './auth.service';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { LocalAuthGuard } from './guards';
import { ROLE_LABELS } from './roles';

@ApiTags('auth 登录')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly scope: ScopeService,
  ) {}

  @ApiOperation({ summary: '登录，返回访问令牌和刷新令牌' })
  @ApiBody({ type: LoginDto })
  @Public()
  @UseGuards(ThrottlerGuard, LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  login(@CurrentUser() user: AuthUser): Promise<TokenPair> {
    return this.auth.issueTokens(user);
  }

  @ApiOperation({ summary: '用刷新令牌换取新的令牌（旧刷新令牌随即作废）' })
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto): Promise<TokenPair> {
    return this.auth.refresh(dto.refreshToken);
  }

  @ApiOperation({ summary: '退出登录（作废刷新令牌）' })
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() dto: RefreshDto): Promise<void> {
    await this.auth.logout(dto.refreshToken);
  }

  @ApiOperation({ summary: '当前用户、角色和所属单位' })
  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      roleLabels: user.roles.map((r) => ROLE_LABELS[r]),
      orgUnit: { id: user.orgUnitId, kind: user.orgUnitKind, name: user.orgUnitName },
      countyId: user.countyId,
    };
  }

  @ApiOperation({ summary: '当前用户可见的单位范围' })
  @ApiBearerAuth()
  @Get('scope')
  async visibleScope(@CurrentUser() user: AuthUser): Promise<{ wholeCounty: boolean; orgUnits: OrgUnitResponse[]; departmentIds: string[] }> {
    const scope = await this.scope.scopeOf(user);
    const units = await this.scope.visibleOrgUnits(user);
    return { wholeCounty: scope.wholeCounty, orgUnits: units.map(mapOrgUnit), departmentIds: scope.departmentIds };
  }
}
