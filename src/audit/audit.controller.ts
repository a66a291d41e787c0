import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { ApiXlsxResponse, asXlsxDownload } from '../common/xlsx-response';
import { mapAuditEvent } from './audit-event.mapper';
import { AuditEventResponse } from './audit-event.response';
import { AuditService } from './audit.service';
import { ListAuditEventsQuery } from './dto/list-audit-events.query';

@ApiTags('audit 审计日志')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiOperation({ summary: '审计日志（审计员）：按时间、操作、操作人、操作对象筛选，时间倒序' })
  @ApiOkResponse({ type: [AuditEventResponse] })
  @Roles('auditor')
  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() q: ListAuditEventsQuery): Promise<AuditEventResponse[]> {
    return (await this.audit.list(user.countyId, q)).map(({ event, actor }) => mapAuditEvent(event, actor));
  }

  @ApiOperation({ summary: '导出审计日志（审计员，.xlsx，流式）：筛选条件同列表（limit 除外），时间倒序，至多 10 万条；导出本身记入审计' })
  @ApiXlsxResponse('审计日志')
  @Roles('auditor')
  @Get('export.xlsx')
  async export(@CurrentUser() user: AuthUser, @Query() q: ListAuditEventsQuery, @Res() res: Response): Promise<void> {
    await this.audit.exportXlsx(user, q, (filename) => asXlsxDownload(res, filename));
  }
}
