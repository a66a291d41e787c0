import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/decorators/current-user.decorator';
import { ErrorResponse } from '../../common/errors/error.response';
import type { AuthUser } from '../auth-user';
import { ConfirmTotpDto, DisableTotpDto, StartTotpEnrolmentDto, TotpCodeDto } from './dto/totp.dto';
import { AllowedBeforeTotpEnrolment } from './totp-enrolment.guard';
import { RecoveryCodesResponse, TotpEnabledResponse, TotpEnrolmentResponse, TotpStatusResponse } from './totp.response';
import { TotpService } from './totp.service';

/** The caller's own second factor (等保 双因素认证): enrol, confirm, turn off, new recovery codes. */
@ApiTags('auth 登录')
@ApiDefaultResponse({ type: ErrorResponse })
@ApiBearerAuth()
@Controller('auth/totp')
export class TotpController {
  constructor(private readonly totp: TotpService) {}

  @ApiOperation({ summary: '我的双因素认证（动态验证码）状态：是否启用、是否必须启用、是否有待确认的绑定、剩余恢复码' })
  @ApiOkResponse({ type: TotpStatusResponse })
  @AllowedBeforeTotpEnrolment()
  @Get()
  async status(@CurrentUser() user: AuthUser): Promise<TotpStatusResponse> {
    const s = await this.totp.status(user);
    return { ...s, enabledAt: s.enabledAt?.toISOString() ?? null };
  }

  @ApiOperation({
    summary: '开始绑定身份验证器：返回密钥和 otpauth:// URI（用于二维码），须用 confirm 输入验证码确认后才生效',
    description: '密钥只在此时返回一次。已启用时为更换验证器，须在 code 中提供当前的动态验证码或一个恢复码（输错计入登录失败次数）；确认前原验证器照常有效。',
  })
  @ApiOkResponse({ type: TotpEnrolmentResponse })
  @AllowedBeforeTotpEnrolment()
  @Post('enrol')
  @HttpCode(200)
  startEnrolment(@CurrentUser() user: AuthUser, @Body() dto: StartTotpEnrolmentDto): Promise<TotpEnrolmentResponse> {
    return this.totp.startEnrolment(user, dto.code);
  }

  @ApiOperation({
    summary: '确认绑定：输入验证器显示的 6 位动态验证码，双因素认证随即生效，返回 10 个一次性恢复码（只返回这一次）',
    description: '此后登录在密码之外须提供 totpCode（或 recoveryCode）。原有的恢复码随即作废。',
  })
  @ApiOkResponse({ type: TotpEnabledResponse })
  @AllowedBeforeTotpEnrolment()
  @Post('confirm')
  @HttpCode(200)
  async confirm(@CurrentUser() user: AuthUser, @Body() dto: ConfirmTotpDto): Promise<TotpEnabledResponse> {
    const done = await this.totp.confirm(user, dto.code);
    return { enabledAt: done.enabledAt.toISOString(), recoveryCodes: done.recoveryCodes };
  }

  @ApiOperation({
    summary: '关闭双因素认证：须输入登录密码和动态验证码（或恢复码）；角色要求双因素认证（TOTP_REQUIRED_ROLES）时 403',
    description: '密码或验证码错误返回 400 并指出字段，且计入登录失败次数。',
  })
  @ApiNoContentResponse()
  @Delete()
  @HttpCode(204)
  async disable(@CurrentUser() user: AuthUser, @Body() dto: DisableTotpDto): Promise<void> {
    await this.totp.disable(user, dto.password, dto.code);
  }

  @ApiOperation({ summary: '重新生成恢复码：须输入动态验证码（或一个恢复码）；原有的恢复码全部作废，新的只返回这一次' })
  @ApiOkResponse({ type: RecoveryCodesResponse })
  @Post('recovery-codes')
  @HttpCode(200)
  async regenerateRecoveryCodes(@CurrentUser() user: AuthUser, @Body() dto: TotpCodeDto): Promise<RecoveryCodesResponse> {
    return { recoveryCodes: await this.totp.regenerateRecoveryCodes(user, dto.code) };
  }
}
