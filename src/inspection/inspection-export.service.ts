import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { CampaignsService } from '../campaigns/campaigns.service';
import { AccountabilityService } from './accountability.service';
import { AccountabilityQuery, CoverageQuery } from './dto/inspection.dto';
import { accountabilityWorkbook, coverageWorkbook } from './inspection-workbooks';
import { SpotChecksService } from './spot-checks.service';

/** Coverage and accountability as .xlsx files. */
@Injectable()
export class InspectionExportService {
  constructor(
    private readonly spotChecks: SpotChecksService,
    private readonly accountability: AccountabilityService,
    private readonly campaigns: CampaignsService,
  ) {}

  async coverage(user: AuthUser, campaignId: string, q: CoverageQuery) {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const report = await this.spotChecks.coverage(user, campaignId, q);
    const draws = await this.spotChecks.list(user, campaignId);
    return { filename: `${campaign.title}-抽查复核覆盖-${report.asOf}.xlsx`, data: await coverageWorkbook(campaign.title, report, draws) };
  }

  async accountabilityReport(user: AuthUser, campaignId: string, q: AccountabilityQuery) {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const report = await this.accountability.report(user, campaignId, q);
    return { filename: `${campaign.title}-签字责任-${report.from}至${report.to}.xlsx`, data: await accountabilityWorkbook(campaign.title, report) };
  }
}
