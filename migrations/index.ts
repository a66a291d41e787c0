import type { MigrationInterface } from 'typeorm';
import { Foundation1763740000000 } from './1763740000000-Foundation';
import { WorkflowCore1763750000000 } from './1763750000000-WorkflowCore';
import { LedgerReports1763760000000 } from './1763760000000-LedgerReports';
import { ChainHead1763770000000 } from './1763770000000-ChainHead';
import { LoginSecurity1763780000000 } from './1763780000000-LoginSecurity';
import { EvidenceScope1763790000000 } from './1763790000000-EvidenceScope';
import { Sessions1763800000000 } from './1763800000000-Sessions';
import { SigningGrant1763810000000 } from './1763810000000-SigningGrant';
import { Totp1763820000000 } from './1763820000000-Totp';
import { SeparationOfDuties1763830000000 } from './1763830000000-SeparationOfDuties';
import { ChainKeys1763850000000 } from './1763850000000-ChainKeys';
import { AuditSeal1763860000000 } from './1763860000000-AuditSeal';
import { AuditFields1763870000000 } from './1763870000000-AuditFields';
import { DatabaseRoles1763880000000 } from './1763880000000-DatabaseRoles';
import { ResidentIdEncryption1763880100000 } from './1763880100000-ResidentIdEncryption';
import { NoticesDelegation1763900000000 } from './1763900000000-NoticesDelegation';
import { SpotCheckDraws1763910000000 } from './1763910000000-SpotCheckDraws';
import { SectorsTownshipCampaigns1763920000000 } from './1763920000000-SectorsTownshipCampaigns';
import { ProvinceIndexes1763930000000 } from './1763930000000-ProvinceIndexes';
import { CountyReviewIndex1763930000001 } from './1763930000001-CountyReviewIndex';
import { ItemStatePageIndex1763930000002 } from './1763930000002-ItemStatePageIndex';
import { ItemStatistics1763930000003 } from './1763930000003-ItemStatistics';
import { DrawGrants1763950000000 } from './1763950000000-DrawGrants';
import { ReportTallies1763960000000 } from './1763960000000-ReportTallies';
import { ItemPathStatistics1763970000000 } from './1763970000000-ItemPathStatistics';

/** Every migration in order. Reviewed files only; never generated at run time. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Foundation1763740000000,
  WorkflowCore1763750000000,
  LedgerReports1763760000000,
  ChainHead1763770000000,
  LoginSecurity1763780000000,
  EvidenceScope1763790000000,
  Sessions1763800000000,
  SigningGrant1763810000000,
  Totp1763820000000,
  SeparationOfDuties1763830000000,
  ChainKeys1763850000000,
  AuditSeal1763860000000,
  AuditFields1763870000000,
  DatabaseRoles1763880000000,
  ResidentIdEncryption1763880100000,
  NoticesDelegation1763900000000,
  SpotCheckDraws1763910000000,
  SectorsTownshipCampaigns1763920000000,
  ProvinceIndexes1763930000000,
  CountyReviewIndex1763930000001,
  ItemStatePageIndex1763930000002,
  ItemStatistics1763930000003,
  DrawGrants1763950000000,
  ReportTallies1763960000000,
  ItemPathStatistics1763970000000,
];
