import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { DirectoryService } from './directory.service';
import { DirectoryUserResponse, EscalationTargetResponse } from './directory.response';
import { RecordingUnitsQuery, RectifierCandidatesQuery } from './dto/rectifier-candidates.query';
import { OrgUnitResponse } from '../orgs/org-unit.response';

@ApiTags('directory 人员与单位选择')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('directory')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @ApiOperation({ summary: '可选的整改责任人：问题所在乡镇、所交办的县直部门的在岗人员（不含本人；带 toOrgUnitId 时为上报单位的人员）' })
  @ApiOkResponse({ type: DirectoryUserResponse, isArray: true })
  // Reviewers, and the colleagues they delegated to (委派): the service checks the delegation.
  @Roles('township_leader', 'county_office', 'investigator', 'department_staff', 'inspector')
  @Get('rectifiers')
  rectifiers(@CurrentUser() user: AuthUser, @Query() q: RectifierCandidatesQuery): Promise<DirectoryUserResponse[]> {
    return this.directory.rectifierCandidates(user, q.itemId, q.q, q.toOrgUnitId);
  }

  @ApiOperation({ summary: '我可以登记问题的单位（村干部为本村；县直部门为全县各村、乡镇和本部门，即行业排查）；带 campaignId 时只含该专项行动的范围' })
  @ApiOkResponse({ type: OrgUnitResponse, isArray: true })
  @Roles('investigator', 'department_staff')
  @Get('recording-units')
  recordingUnits(@CurrentUser() user: AuthUser, @Query() q: RecordingUnitsQuery): Promise<OrgUnitResponse[]> {
    return this.directory.recordingUnits(user, q.campaignId);
  }

  @ApiOperation({ summary: '可上报的县直部门和县本级' })
  @ApiOkResponse({ type: EscalationTargetResponse, isArray: true })
  @Get('departments')
  departments(@CurrentUser() user: AuthUser): Promise<EscalationTargetResponse[]> {
    return this.directory.escalationTargets(user);
  }
}
