import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { SignsWithGrant } from '../auth/signing-grant.guard';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiIdempotencyKey, Idempotent } from '../common/decorators/idempotent-request.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { ApiXlsxResponse, xlsxFile } from '../common/xlsx-response';
import type { IdempotentRequest } from '../idempotency/idempotency.service';
import { AccountabilityService } from './accountability.service';
import { AccountabilityQuery, CoverageQuery, CreateSpotCheckDrawDto, WorklistQuery } from './dto/inspection.dto';
import { InspectionExportService } from './inspection-export.service';
import { AccountabilityResponse, CoverageResponse, SpotCheckDrawResponse, WorklistItemResponse } from './inspection.response';
import { SpotChecksService } from './spot-checks.service';

@ApiTags('inspection 抽查复核与签字责任')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller()
export class InspectionController {
  constructor(
    private readonly spotChecks: SpotChecksService,
    private readonly accountability: AccountabilityService,
    private readonly exports: InspectionExportService,
  ) {}

  @ApiOperation({
    summary: '抽取抽查复核样本（县巩固办或督查组签字）：按比例或每乡镇数量，每个有销号问题的村至少一个；种子由服务生成并记录，同一轮不能重抽',
  })
  @ApiIdempotencyKey()
  @Roles('county_office', 'inspector')
  @SignsWithGrant()
  @ApiCreatedResponse({ type: SpotCheckDrawResponse })
  @Post('campaigns/:id/spot-check-draws')
  draw(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: CreateSpotCheckDrawDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<SpotCheckDrawResponse> {
    return this.spotChecks.draw(user, id, dto, req);
  }

  @ApiOperation({ summary: '专项行动的抽查记录（涉及本人范围内乡镇的各轮），每轮含样本与复核结果' })
  @ApiOkResponse({ type: [SpotCheckDrawResponse] })
  @Get('campaigns/:id/spot-check-draws')
  draws(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<SpotCheckDrawResponse[]> {
    return this.spotChecks.list(user, id);
  }

  @ApiOperation({ summary: '一轮抽查：种子、样本与复核结果' })
  @ApiOkResponse({ type: SpotCheckDrawResponse })
  @Get('spot-check-draws/:id')
  drawDetail(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<SpotCheckDrawResponse> {
    return this.spotChecks.findOrThrow(user, id);
  }

  @ApiOperation({ summary: '待复核清单：已抽中、抽取后尚未督查通过或重新打开的问题（本人范围内）' })
  @ApiOkResponse({ type: [WorklistItemResponse] })
  @Get('spot-checks/worklist')
  worklist(@CurrentUser() user: AuthUser, @Query() q: WorklistQuery): Promise<WorklistItemResponse[]> {
    return this.spotChecks.worklist(user, q);
  }

  @ApiOperation({ summary: '抽查复核覆盖情况：各村已销号、已抽取、已复核、督查通过、重新打开' })
  @ApiOkResponse({ type: CoverageResponse })
  @Get('campaigns/:id/spot-check-coverage')
  coverage(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: CoverageQuery): Promise<CoverageResponse> {
    return this.spotChecks.coverage(user, id, q);
  }

  @ApiOperation({ summary: '抽查复核覆盖情况导出 .xlsx（各村、乡镇汇总、抽查样本）' })
  @ApiXlsxResponse()
  @Get('campaigns/:id/spot-check-coverage.xlsx')
  async coverageXlsx(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Query() q: CoverageQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { filename, data } = await this.exports.coverage(user, id, q);
    return xlsxFile(res, filename, data);
  }

  @ApiOperation({ summary: '谁签字谁负责：期间内每人、每乡镇在排查、审核、整改、验收、督查各环节签字的问题，及其后被督查重新打开、超期的数量' })
  @ApiOkResponse({ type: AccountabilityResponse })
  @Get('campaigns/:id/accountability')
  report(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: AccountabilityQuery): Promise<AccountabilityResponse> {
    return this.accountability.report(user, id, q);
  }

  @ApiOperation({ summary: '签字责任导出 .xlsx（按人员、按乡镇）' })
  @ApiXlsxResponse()
  @Get('campaigns/:id/accountability.xlsx')
  async reportXlsx(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Query() q: AccountabilityQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { filename, data } = await this.exports.accountabilityReport(user, id, q);
    return xlsxFile(res, filename, data);
  }
}
