import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { ErrorResponse } from '../common/errors/error.response';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { mapOrgUnit } from '../orgs/org-unit.mapper';
import { ScopeService } from '../orgs/scope.service';
import { AuthUser } from './auth-user';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { mapCurrentUser, mapSession } from './auth.mapper';
import { CurrentUserResponse, ScopeResponse, SessionResponse, SigningGrantResponse, TokenResponse } from './auth.response';
import { AuthService, TokenPair } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { SigningGrantDto } from './dto/signing-grant.dto';
import { LocalAuthGuard } from './guards';
import { AllowedBeforePasswordChange } from './password-change.guard';
import { AllowedBeforeTotpEnrolment } from './totp/totp-enrolment.guard';
import { TotpService } from './totp/totp.service';
import { PasswordPolicy } from './password-policy.service';
import { clearRefreshCookie, refreshCookieOf, setRefreshCookie } from './refresh-cookie';
import { SIGNING_ROLES } from './roles';
import { SigningGrants } from './signing-grants';

@ApiTags('auth 登录')
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly scope: ScopeService,
    private readonly config: AppConfig,
    private readonly policy: PasswordPolicy,
    private readonly signing: SigningGrants,
    private readonly totp: TotpService,
  ) {}

  @ApiOperation({ summary: '登录，返回访问令牌和刷新令牌（refreshTokenIn=cookie 时刷新令牌只放在 httpOnly Cookie 中）' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponse })
  @Public()
  @UseGuards(ThrottlerGuard, LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  async login(@CurrentUser() user: AuthUser, @Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    const pair = await this.auth.login(user, { userAgent: req.get('user-agent') ?? null, ip: req.ip ?? null });
    return dto.refreshTokenIn === 'cookie' ? this.intoCookie(pair, req, res) : pair;
  }

  @ApiOperation({ summary: '用刷新令牌换取新的令牌（旧刷新令牌随即作废）；请求体没有 refreshToken 时使用控制台的 Cookie' })
  @ApiOkResponse({ type: TokenResponse })
  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() dto: RefreshDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenResponse> {
    const fromCookie = dto.refreshToken === undefined;
    const presented = dto.refreshToken ?? refreshCookieOf(req);
    if (!presented) throw new DomainError('INVALID_REFRESH_TOKEN', '刷新令牌无效或已过期，请重新登录');
    try {
      const pair = await this.auth.refresh(presented);
      return fromCookie ? this.intoCookie(pair, req, res) : pair;
    } catch (e) {
      if (fromCookie) clearRefreshCookie(req, res);
      throw e;
    }
  }

  @ApiOperation({ summary: '退出登录（结束刷新令牌所属的会话，其访问令牌随即失效；请求体没有 refreshToken 时使用并清除控制台的 Cookie）' })
  @ApiNoContentResponse()
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Body() dto: RefreshDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const presented = dto.refreshToken ?? refreshCookieOf(req);
    if (dto.refreshToken === undefined) clearRefreshCookie(req, res);
    if (presented) await this.auth.logout(presented);
  }

  /** Console form: the refresh token goes into the httpOnly cookie and is left out of the JSON. */
  private intoCookie(pair: TokenPair, req: Request, res: Response): TokenResponse {
    setRefreshCookie(req, res, pair.refreshToken, this.config.REFRESH_TTL_DAYS);
    const { refreshToken: _kept, ...rest } = pair;
    return rest;
  }

  @ApiOperation({
    summary: '当前用户、角色和所属单位；passwordChangeRequired 为 true 时须先修改密码，totpEnrolmentRequired 为 true 时须先绑定动态验证码',
  })
  @ApiOkResponse({ type: CurrentUserResponse })
  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @AllowedBeforeTotpEnrolment()
  @Get('me')
  async me(@CurrentUser() user: AuthUser): Promise<CurrentUserResponse> {
    return mapCurrentUser(user, this.policy, await this.totp.flagsOf(user));
  }

  @ApiOperation({ summary: '修改自己的密码（须符合密码策略，不能与最近使用过的密码相同）' })
  @ApiNoContentResponse()
  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @AllowedBeforeTotpEnrolment()
  @Post('change-password')
  @HttpCode(204)
  async changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(user, dto.currentPassword, dto.newPassword);
  }

  @ApiOperation({
    summary: '签字确认：再次输入登录密码，取得本会话的签字确认（X-Signing-Grant），有效期内的签字都携带它',
    description:
      '签字确认只对本次登录（会话）有效，默认 5 分钟（SIGNING_GRANT_MINUTES），退出或会话结束即失效；再次取得时旧的随即作废。' +
      '密码错误返回 401 INVALID_CREDENTIALS，并与登录失败一起计数（连续多次即锁定账号）。',
  })
  @ApiOkResponse({ type: SigningGrantResponse })
  @ApiBearerAuth()
  @Roles(...SIGNING_ROLES)
  @Post('signing-grant')
  @HttpCode(200)
  async signingGrant(@CurrentUser() user: AuthUser, @Body() dto: SigningGrantDto): Promise<SigningGrantResponse> {
    return this.signing.issue(user, dto.password);
  }

  @ApiOperation({ summary: '我的有效会话（每次登录一个），最近使用的在前；current 标出本次请求所用的会话' })
  @ApiOkResponse({ type: SessionResponse, isArray: true })
  @ApiBearerAuth()
  @Get('sessions')
  async sessions(@CurrentUser() user: AuthUser): Promise<SessionResponse[]> {
    return (await this.auth.sessionsOf(user)).map(mapSession);
  }

  @ApiOperation({ summary: '结束我的一个会话（其访问令牌与刷新令牌随即失效）；不是我的会话或已结束时 404' })
  @ApiNoContentResponse()
  @ApiBearerAuth()
  @Delete('sessions/:id')
  @HttpCode(204)
  async endSession(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.auth.endSession(user, id);
  }

  @ApiOperation({ summary: '当前用户可见的单位范围' })
  @ApiOkResponse({ type: ScopeResponse })
  @ApiBearerAuth()
  @Get('scope')
  async visibleScope(@CurrentUser() user: AuthUser): Promise<ScopeResponse> {
    const scope = await this.scope.scopeOf(user);
    const units = await this.scope.visibleOrgUnits(user);
    return { wholeCounty: scope.wholeCounty, orgUnits: units.map(mapOrgUnit), departmentIds: scope.departmentIds };
  }
}
