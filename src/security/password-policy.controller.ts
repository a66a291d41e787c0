import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { PasswordPolicy } from '../auth/password-policy.service';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UpdatePasswordPolicyDto } from './dto/password-policy.dto';
import { mapPasswordPolicy } from './security.mapper';
import { PasswordPolicyResponse } from './security.response';

/** The county's password policy (安全管理员). */
@ApiTags('security 安全管理')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Roles('security_admin')
@Controller('security/password-policy')
export class PasswordPolicyController {
  constructor(private readonly policy: PasswordPolicy) {}

  @ApiOperation({ summary: '本县的密码策略（未设置时为服务配置的默认值）' })
  @ApiOkResponse({ type: PasswordPolicyResponse })
  @Get()
  async get(@CurrentUser() user: AuthUser): Promise<PasswordPolicyResponse> {
    return mapPasswordPolicy(await this.policy.of(user.countyId));
  }

  @ApiOperation({ summary: '设置本县的密码策略（立即生效，记入审计日志）' })
  @ApiOkResponse({ type: PasswordPolicyResponse })
  @Put()
  async update(@CurrentUser() user: AuthUser, @Body() dto: UpdatePasswordPolicyDto): Promise<PasswordPolicyResponse> {
    return mapPasswordPolicy(await this.policy.update(user, dto));
  }
}
