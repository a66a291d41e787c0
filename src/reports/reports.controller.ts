import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
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
import { CreateNoticeDto, FileSummaryReportDto, RankingQuery, SeriesQuery, StatsQuery } from './dto/reports.dto';
import { ReportsExportService } from './reports-export.service';
import { NoticeResponse, RankingResponse, SeriesResponse, StatsReportResponse, SummaryOverviewResponse, SummaryReportResponse } from './reports.response';
import { mapNotice, ReportsService } from './reports.service';
import { NoticeReceiptService } from './notice-receipt.service';
import { NoticeReplyDto } from './dto/notice-reply.dto';
import { ReadsFromStandby } from '../database/standby-reads';

@ApiTags('reports 统计与报告')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ReportsExportService,
    private readonly receipt: NoticeReceiptService,
  ) {}

  @ApiOperation({ summary: '进度统计：乡镇（或指定乡镇的各村）× 问题类型 × 状态，限当前用户范围' })
  @ApiOkResponse({ type: StatsReportResponse })
  @ReadsFromStandby()
  @Get('campaigns/:id/stats')
  stats(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: StatsQuery): Promise<StatsReportResponse> {
    return this.reports.stats(user, id, q);
  }

  @ApiOperation({ summary: '进度统计导出 .xlsx' })
  @ApiXlsxResponse()
  @ReadsFromStandby()
  @Get('campaigns/:id/stats.xlsx')
  async statsXlsx(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: StatsQuery, @Res({ passthrough: true }) res: Response) {
    const { filename, data } = await this.exports.stats(user, id, q);
    return xlsxFile(res, filename, data);
  }

  @ApiOperation({ summary: '每日（每天上报进度）或每周五（每周上报台账）进度序列，由签字记录计算' })
  @ApiOkResponse({ type: SeriesResponse })
  @ReadsFromStandby()
  @Get('campaigns/:id/series')
  series(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: SeriesQuery): Promise<SeriesResponse> {
    return this.reports.series(user, id, q);
  }

  @ApiOperation({ summary: '进度序列导出 .xlsx' })
  @ApiXlsxResponse()
  @ReadsFromStandby()
  @Get('campaigns/:id/series.xlsx')
  async seriesXlsx(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: SeriesQuery, @Res({ passthrough: true }) res: Response) {
    const { filename, data } = await this.exports.series(user, id, q);
    return xlsxFile(res, filename, data);
  }

  @ApiOperation({ summary: '乡镇考评排名（整改率、超期数、平均销号天数），前三名与最后一名标出' })
  @ApiOkResponse({ type: RankingResponse })
  @ReadsFromStandby()
  @Get('campaigns/:id/ranking')
  ranking(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: RankingQuery): Promise<RankingResponse> {
    return this.reports.ranking(user, id, q);
  }

  @ApiOperation({ summary: '乡镇考评排名导出 .xlsx' })
  @ApiXlsxResponse()
  @ReadsFromStandby()
  @Get('campaigns/:id/ranking.xlsx')
  async rankingXlsx(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Query() q: RankingQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { filename, data } = await this.exports.ranking(user, id, q);
    return xlsxFile(res, filename, data);
  }

  @ApiOperation({ summary: '签发督办通知书（县巩固办）：列出收件乡镇或部门在该专项行动中的全部超期问题' })
  @ApiIdempotencyKey()
  @Roles('county_office')
  @ApiCreatedResponse({ type: NoticeResponse })
  @Post('campaigns/:id/notices')
  issueNotice(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: CreateNoticeDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<NoticeResponse> {
    return this.reports.issueNotice(user, id, dto, req);
  }

  @ApiOperation({ summary: '督办通知书列表（县巩固办看全部，乡镇、部门看发给自己的）' })
  @ApiOkResponse({ type: [NoticeResponse] })
  @Get('notices')
  async notices(@CurrentUser() user: AuthUser): Promise<NoticeResponse[]> {
    return (await this.reports.listNotices(user)).map(mapNotice);
  }

  @ApiOperation({ summary: '督办通知书详情' })
  @ApiOkResponse({ type: NoticeResponse })
  @Get('notices/:id')
  async notice(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<NoticeResponse> {
    return mapNotice(await this.reports.noticeOrThrow(user, id));
  }

  @ApiOperation({ summary: '签收督办通知书（收件乡镇分管负责人或收件部门工作人员），记录签收人与时间' })
  @ApiIdempotencyKey()
  @Roles('township_leader', 'department_staff')
  @ApiOkResponse({ type: NoticeResponse })
  @Post('notices/:id/acknowledge')
  @HttpCode(200)
  acknowledgeNotice(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Idempotent() req: IdempotentRequest): Promise<NoticeResponse> {
    return this.receipt.acknowledge(user, id, req);
  }

  @ApiOperation({ summary: '回复督办通知书（整改落实情况，一次；未签收的同时签收）' })
  @ApiIdempotencyKey()
  @Roles('township_leader', 'department_staff')
  @ApiOkResponse({ type: NoticeResponse })
  @Post('notices/:id/reply')
  @HttpCode(200)
  replyNotice(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: NoticeReplyDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<NoticeResponse> {
    return this.receipt.reply(user, id, dto.text, req);
  }

  @ApiOperation({ summary: '督办通知书导出 .xlsx' })
  @ApiXlsxResponse()
  @Get('notices/:id/notice.xlsx')
  async noticeXlsx(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Res({ passthrough: true }) res: Response) {
    const { filename, data } = await this.exports.notice(user, id);
    return xlsxFile(res, filename, data);
  }

  @ApiOperation({ summary: '报送总结报告（乡镇分管负责人，工作总结阶段；报送时的统计数据随报告冻结）' })
  @ApiIdempotencyKey()
  @Roles('township_leader')
  @SignsWithGrant()
  @ApiCreatedResponse({ type: SummaryReportResponse })
  @Post('campaigns/:id/summary-reports')
  fileSummary(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: FileSummaryReportDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<SummaryReportResponse> {
    return this.reports.fileSummary(user, id, dto, req);
  }

  @ApiOperation({ summary: '总结报告：已报送的报告和尚未报送的乡镇' })
  @ApiOkResponse({ type: SummaryOverviewResponse })
  @ReadsFromStandby()
  @Get('campaigns/:id/summary-reports')
  summaries(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<SummaryOverviewResponse> {
    return this.reports.summaryOverview(user, id);
  }
}
