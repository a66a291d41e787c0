import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { DirectoryService } from './directory.service';
import { DirectoryUserResponse, EscalationTargetResponse } from './directory.response';
import { RectifierCandidatesQuery } from './dto/rectifier-candidates.query';

@ApiTags('directory 人员与单位选择')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @ApiOperation({ summary: '可选的整改责任人：问题所在乡镇、所交办的县直部门的在岗人员（不含本人；带 toOrgUnitId 时为上报单位的人员）' })
  @ApiOkResponse({ type: DirectoryUserResponse, isArray: true })
  @Roles('township_leader', 'county_office')
  @Get('rectifiers')
  rectifiers(@CurrentUser() user: AuthUser, @Query() q: RectifierCandidatesQuery): Promise<DirectoryUserResponse[]> {
    return this.directory.rectifierCandidates(user, q.itemId, q.q, q.toOrgUnitId);
  }

  @ApiOperation({ summary: '可上报的县直部门和县本级' })
  @ApiOkResponse({ type: EscalationTargetResponse, isArray: true })
  @Get('departments')
  departments(@CurrentUser() user: AuthUser): Promise<EscalationTargetResponse[]> {
    return this.directory.escalationTargets(user);
  }
}
