import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiIdempotencyKey, Idempotent } from '../common/decorators/idempotent-request.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import type { IdempotentRequest } from '../idempotency/idempotency.service';
import { DelegateCandidateResponse, DelegationResponse } from './delegation.response';
import { DelegationsService } from './delegations.service';
import { CreateDelegationDto } from './dto/create-delegation.dto';

@ApiTags('delegations 委派')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('delegations')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  @ApiOperation({ summary: '委派审核验收职责（乡镇分管负责人、县巩固办）给本单位另一位工作人员，限定起止日期' })
  @ApiIdempotencyKey()
  @Roles('township_leader', 'county_office')
  @ApiCreatedResponse({ type: DelegationResponse })
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateDelegationDto, @Idempotent() req: IdempotentRequest): Promise<DelegationResponse> {
    return this.delegations.create(user, dto, req);
  }

  @ApiOperation({ summary: '我委派的和受托的委派（县巩固办看全县）' })
  @ApiOkResponse({ type: [DelegationResponse] })
  @Get()
  list(@CurrentUser() user: AuthUser): Promise<DelegationResponse[]> {
    return this.delegations.list(user);
  }

  @ApiOperation({ summary: '可受托的本单位工作人员' })
  @Roles('township_leader', 'county_office')
  @ApiOkResponse({ type: [DelegateCandidateResponse] })
  @Get('candidates')
  candidates(@CurrentUser() user: AuthUser): Promise<DelegateCandidateResponse[]> {
    return this.delegations.candidates(user);
  }

  @ApiOperation({ summary: '提前结束委派（委派人）' })
  @ApiIdempotencyKey()
  @Roles('township_leader', 'county_office')
  @ApiOkResponse({ type: DelegationResponse })
  @Post(':id/end')
  @HttpCode(200)
  end(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Idempotent() req: IdempotentRequest): Promise<DelegationResponse> {
    return this.delegations.end(user, id, req);
  }
}
