import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgUnit } from './org-unit.entity';
import { OrgsService } from './orgs.service';
import { ScopeService } from './scope.service';
import { SupervisionCoverage } from './supervision-coverage.entity';

@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, SupervisionCoverage])],
  providers: [OrgsService, ScopeService],
  exports: [OrgsService, ScopeService],
})
export class OrgsModule {}
