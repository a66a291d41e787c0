import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgUnit } from './org-unit.entity';
import { OrgsService } from './orgs.service';
import { ScopeService } from './scope.service';
import { SupervisionCoverage } from './supervision-coverage.entity';
import { Delegation } from '../delegations/delegation.entity';
import { DelegationDirectory } from '../delegations/delegation-directory';

@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, SupervisionCoverage, Delegation])],
  providers: [OrgsService, ScopeService, DelegationDirectory],
  exports: [OrgsService, ScopeService, DelegationDirectory],
})
export class OrgsModule {}
