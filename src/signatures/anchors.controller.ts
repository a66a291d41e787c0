import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { anchorFile, anchorsOf } from './chain-audit';
import { ChainKeys } from './chain-keys';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class AnchorsQuery {
  /** First day (YYYY-MM-DD, China calendar). */
  @IsOptional()
  @Matches(DAY, { message: 'from 须为 YYYY-MM-DD 格式的日期' })
  from?: string;

  /** Last day (YYYY-MM-DD). */
  @IsOptional()
  @Matches(DAY, { message: 'to 须为 YYYY-MM-DD 格式的日期' })
  to?: string;
}

/** One day's anchor of the county's signatures. */
export class AnchorResponse {
  countyId!: string;
  /** China calendar day, YYYY-MM-DD. */
  day!: string;
  /** Links signed that day. */
  links!: number;
  /** SHA-256 over the day's links (subject, seq, hash) in signing order. */
  digest!: string;
  /** Audit events recorded that day. */
  auditEvents!: number;
  /** SHA-256 over the day's audit events (id, seal) in order. */
  auditDigest!: string;
  /** The previous day's seal; null for the first anchor. */
  prevSeal!: string | null;
  keyId!: string;
  /** HMAC-SHA-256 with the chain key over county, day, both counts and digests, and prevSeal. */
  seal!: string;
}

/**
 * 每日锚点: each day's new signature links of the county folded into one
 * digest, chained day to day and sealed with the chain key. A county files
 * the text export away; `npm run verify -- --anchors <file>` later proves the
 * database still holds exactly what was signed on those days.
 */
@ApiTags('signatures 签字链')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('anchors')
export class AnchorsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ChainKeys,
  ) {}

  @ApiOperation({ summary: '签字链每日锚点（本县，按日期）' })
  @ApiOkResponse({ type: [AnchorResponse] })
  @Roles('county_office', 'auditor')
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() q: AnchorsQuery): Promise<AnchorResponse[]> {
    return anchorsOf((sql, p) => this.dataSource.query(sql, p), user.countyId, q.from, q.to);
  }

  @ApiOperation({ summary: '下载签字链每日锚点（带签名的文本文件，供存档与 npm run verify 核对）' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' } })
  @Roles('county_office', 'auditor')
  @Header('Cache-Control', 'no-store')
  @Get('export')
  async export(@CurrentUser() user: AuthUser, @Query() q: AnchorsQuery, @Res() res: Response): Promise<void> {
    const anchors = await anchorsOf((sql, p) => this.dataSource.query(sql, p), user.countyId, q.from, q.to);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="qingling-anchors-${q.to ?? anchors.at(-1)?.day ?? 'none'}.txt"`);
    res.send(anchorFile(anchors, this.keys));
  }
}
