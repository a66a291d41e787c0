import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { AuditService } from './audit.service';

export class ListAuditEventsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** Page backwards: events strictly before this time. */
  @IsOptional()
  @IsDateString()
  before?: string;
}

@ApiTags('audit 审计日志')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiOperation({ summary: '审计日志（审计员）' })
  @Roles('auditor')
  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() q: ListAuditEventsQuery) {
    const events = await this.audit.list(user.countyId, q.limit ?? 100, q.before ? new Date(q.before) : undefined);
    return events.map((e) => ({
      id: e.id,
      actorId: e.actorId,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      details: e.details,
      requestId: e.requestId,
      createdAt: e.createdAt.toISOString(),
    }));
  }
}
