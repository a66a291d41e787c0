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

  @ApiOperation({ summary: '可选的整改责任人（按问题所在村、乡镇、县直部门排列）' })
  @ApiOkResponse({ type: DirectoryUserResponse, isArray: true })
  // Reviewers, and the colleagues they delegated to (委派): the service checks the delegation.
  @Roles('township_leader', 'county_office', 'investigator', 'department_staff', 'inspector')
  @Get('rectifiers')
  rectifiers(@CurrentUser() user: AuthUser, @Query() q: RectifierCandidatesQuery): Promise<DirectoryUserResponse[]> {
    return this.directory.rectifierCandidates(user, q.itemId, q.q);
  }

  @ApiOperation({ summary: '可上报的县直部门和县本级' })
  @ApiOkResponse({ type: EscalationTargetResponse, isArray: true })
  @Get('departments')
  departments(@CurrentUser() user: AuthUser): Promise<EscalationTargetResponse[]> {
    return this.directory.escalationTargets(user);
  }
}
