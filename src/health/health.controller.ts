import { Controller, Get } from '@nestjs/common';
import { ApiDefaultResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/decorators/public.decorator';
import { ErrorResponse } from '../common/errors/error.response';

@ApiTags('health 健康检查')
@ApiDefaultResponse({ type: ErrorResponse })
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @ApiOperation({ summary: '就绪检查（含数据库）' })
  @Get()
  @HealthCheck()
  readiness() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 3000 })]);
  }

  @ApiOperation({ summary: '存活检查（进程在运行）' })
  @Get('live')
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }
}
