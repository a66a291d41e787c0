import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Idempotent } from '../common/decorators/idempotent-request.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import type { IdempotentRequest } from '../idempotency/idempotency.service';
import { mapSignature } from '../signatures/signature.mapper';
import { mapCampaign } from './campaign.mapper';
import { CampaignsService } from './campaigns.service';
import { CampaignEventDto, CreateCampaignDto } from './dto/create-campaign.dto';

const IDEMPOTENCY_HEADER = { name: 'Idempotency-Key', required: false, description: '重试同一请求时携带相同的键，保证只执行一次' };

@ApiTags('campaigns 专项行动')
@ApiBearerAuth()
@Controller()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @ApiOperation({ summary: '内置的专项行动方案（霍邱、沈丘、章贡、干汊河）' })
  @Get('campaign-presets')
  presets() {
    return this.campaigns.presets().map((p) => ({
      key: p.key,
      name: p.name,
      sourceDocument: p.sourceDocument,
      county: p.county,
      township: p.township ?? null,
      phases: p.phases,
      problemTypes: p.problemTypes,
    }));
  }

  @ApiOperation({ summary: '新建专项行动（县巩固办），可从内置方案开始' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Roles('county_office')
  @Post('campaigns')
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateCampaignDto, @Idempotent() req: IdempotentRequest) {
    return this.campaigns.create(user, dto, req);
  }

  @ApiOperation({ summary: '本县的专项行动' })
  @Get('campaigns')
  async list(@CurrentUser() user: AuthUser) {
    return (await this.campaigns.list(user)).map((c) => mapCampaign(c));
  }

  @ApiOperation({ summary: '专项行动详情（含当前用户可执行的操作）' })
  @Get('campaigns/:id')
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string) {
    const c = await this.campaigns.findOrThrow(user, id);
    return mapCampaign(c, await this.campaigns.availableActions(user, c));
  }

  @ApiOperation({ summary: '启动或推进到下一阶段（县巩固办签字）；进入总结阶段要求问题全部销号或转为长期整改' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Roles('county_office')
  @Post('campaigns/:id/advance')
  @HttpCode(200)
  async advance(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: CampaignEventDto, @Idempotent() req: IdempotentRequest) {
    return this.campaigns.advance(user, id, dto, req);
  }

  @ApiOperation({ summary: '归档（县巩固办签字），归档后只读' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Roles('county_office')
  @Post('campaigns/:id/archive')
  @HttpCode(200)
  async archive(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Body() dto: CampaignEventDto, @Idempotent() req: IdempotentRequest) {
    return this.campaigns.archive(user, id, dto, req);
  }

  @ApiOperation({ summary: '专项行动的签字链（启动、推进阶段、归档）' })
  @Get('campaigns/:id/signatures')
  async signatures(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string) {
    return (await this.campaigns.signatureChain(user, id)).map(mapSignature);
  }
}
