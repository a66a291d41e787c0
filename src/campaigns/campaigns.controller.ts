import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { SignsWithGrant } from '../auth/signing-grant.guard';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiIdempotencyKey, Idempotent } from '../common/decorators/idempotent-request.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import type { IdempotentRequest } from '../idempotency/idempotency.service';
import { mapSignature } from '../signatures/signature.mapper';
import { SignatureResponse } from '../signatures/signature.response';
import { mapCampaign, mapPreset } from './campaign.mapper';
import { CampaignPresetResponse, CampaignResponse, CampaignWithActionsResponse } from './campaign.response';
import { CampaignsService } from './campaigns.service';
import { CampaignEventDto, CreateCampaignDto, SetSectorsDto } from './dto/create-campaign.dto';
import { Clock } from '../common/clock';

@ApiTags('campaigns 专项行动')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller()
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly clock: Clock,
  ) {}

  @ApiOperation({ summary: '内置的专项行动方案（霍邱、沈丘、章贡、干汊河）' })
  @ApiOkResponse({ type: [CampaignPresetResponse] })
  @Get('campaign-presets')
  presets(): CampaignPresetResponse[] {
    return this.campaigns.presets().map(mapPreset);
  }

  @ApiOperation({ summary: '新建专项行动（县巩固办；乡镇分管负责人新建本乡镇的专项行动），可从内置方案开始' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: CampaignResponse })
  @Roles('county_office', 'township_leader')
  @Post('campaigns')
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateCampaignDto, @Idempotent() req: IdempotentRequest): Promise<CampaignResponse> {
    return this.campaigns.create(user, dto, req);
  }

  @ApiOperation({ summary: '本县的专项行动' })
  @ApiOkResponse({ type: [CampaignResponse] })
  @Get('campaigns')
  async list(@CurrentUser() user: AuthUser): Promise<CampaignResponse[]> {
    const today = this.clock.today();
    return (await this.campaigns.list(user)).map((c) => mapCampaign(c, today));
  }

  @ApiOperation({ summary: '专项行动详情（含当前用户可执行的操作）' })
  @ApiOkResponse({ type: CampaignWithActionsResponse })
  @Get('campaigns/:id')
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<CampaignWithActionsResponse> {
    const c = await this.campaigns.findOrThrow(user, id);
    return mapCampaign(c, this.clock.today(), await this.campaigns.availableActions(user, c));
  }

  @ApiOperation({ summary: '启动或推进到下一阶段（县巩固办签字；乡镇的专项行动由本乡镇分管负责人签字）；进入总结阶段要求问题全部销号或转为长期整改' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: CampaignResponse })
  @Roles('county_office', 'township_leader')
  @SignsWithGrant()
  @Post('campaigns/:id/advance')
  @HttpCode(200)
  async advance(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: CampaignEventDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<CampaignResponse> {
    return this.campaigns.advance(user, id, dto, req);
  }

  @ApiOperation({ summary: '归档（县巩固办签字；乡镇的专项行动由本乡镇分管负责人签字），归档后只读' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: CampaignResponse })
  @Roles('county_office', 'township_leader')
  @SignsWithGrant()
  @Post('campaigns/:id/archive')
  @HttpCode(200)
  async archive(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: CampaignEventDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<CampaignResponse> {
    return this.campaigns.archive(user, id, dto, req);
  }

  @ApiOperation({ summary: '设置行业分工（行业排查：问题类型 → 县直部门），整体替换；由运行该专项行动的县巩固办或乡镇分管负责人设置' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: CampaignResponse })
  @Roles('county_office', 'township_leader')
  @Put('campaigns/:id/sectors')
  async setSectors(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: SetSectorsDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<CampaignResponse> {
    return this.campaigns.setSectors(user, id, dto.sectors, req);
  }

  @ApiOperation({ summary: '专项行动的签字链（启动、推进阶段、归档）' })
  @ApiOkResponse({ type: [SignatureResponse] })
  @Get('campaigns/:id/signatures')
  async signatures(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<SignatureResponse[]> {
    return (await this.campaigns.signatureChain(user, id)).map(mapSignature);
  }
}
