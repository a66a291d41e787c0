import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { SigningGrantAfterUpload, SignsWithGrant } from '../auth/signing-grant.guard';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiIdempotencyKey, Idempotent } from '../common/decorators/idempotent-request.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { ApiXlsxResponse, asXlsxDownload } from '../common/xlsx-response';
import type { IdempotentRequest } from '../idempotency/idempotency.service';
import { LedgerExportQuery, LedgerImportOptions } from './dto/ledger.dto';
import { LedgerExportService } from './ledger-export.service';
import { LedgerImportResponse } from './ledger-import.response';
import { LedgerImportService, type UploadedLedger } from './ledger-import.service';
import { ReadsFromStandby } from '../database/standby-reads';

/** An import with submit=true (query or form field) signs every row (排查签字). */
const submitsLedger = (req: Request): boolean =>
  [(req.query as Record<string, unknown> | undefined)?.submit, (req.body as Record<string, unknown> | undefined)?.submit].some(
    (v) => v === true || v === 'true',
  );

@ApiTags('ledger 问题台账')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('campaigns/:id')
export class LedgerController {
  constructor(
    private readonly exporter: LedgerExportService,
    private readonly importer: LedgerImportService,
  ) {}

  @ApiOperation({ summary: '导出问题台账（.xlsx，霍邱格式，流式输出）；筛选条件同问题列表；身份证号码除县巩固办外脱敏' })
  @ApiXlsxResponse('问题台账')
  @ReadsFromStandby()
  @Get('ledger.xlsx')
  async export(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Query() q: LedgerExportQuery, @Res() res: Response): Promise<void> {
    await this.exporter.exportLedger(user, id, q, ({ filename }) => asXlsxDownload(res, filename));
  }

  @ApiOperation({ summary: '下载空白台账模板（.xlsx），问题类型列为该专项行动问题类型的下拉列表' })
  @ApiXlsxResponse('空白台账模板')
  @Get('ledger-template.xlsx')
  async template(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { filename, data } = await this.exporter.template(user, id);
    asXlsxDownload(res, filename);
    return new StreamableFile(data);
  }

  @ApiOperation({
    summary:
      '导入问题台账（.xlsx，可多个工作表）：全部校验通过才写入，任何一行有误则整份不导入并逐行逐列列出错误；带问题编号的行（导出的台账）和已导入过的行不再新建，在 matched 中列出对应的问题；submit=true 时同时提交（排查签字）。排查人、县直部门、乡镇分管负责人（本乡镇）和县巩固办可导入',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' }, submit: { type: 'boolean', description: '同时提交（排查签字）' } },
      required: ['file'],
    },
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LedgerImportResponse })
  @Roles('investigator', 'department_staff', 'township_leader', 'county_office')
  @SignsWithGrant(submitsLedger)
  @Post('ledger')
  @HttpCode(200)
  // The form's `submit` is read only once multer has parsed the upload: the grant is checked again after it.
  @UseInterceptors(FileInterceptor('file'), SigningGrantAfterUpload)
  import(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @UploadedFile() file: UploadedLedger | undefined,
    @Query() query: LedgerImportOptions,
    @Body() form: LedgerImportOptions,
    @Idempotent() req: IdempotentRequest,
  ): Promise<LedgerImportResponse> {
    return this.importer.importLedger(user, id, file, query.submit ?? form.submit ?? false, req);
  }
}
