import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { CampaignsService } from '../campaigns/campaigns.service';
import { RankingQuery, SeriesQuery, StatsQuery } from './dto/reports.dto';
import { noticeWorkbook, rankingWorkbook, SERIES_LABELS, seriesWorkbook, statsWorkbook } from './report-workbooks';
import { mapNotice, ReportsService } from './reports.service';

/** The statistics as .xlsx files, named for the people who mail them on. */
@Injectable()
export class ReportsExportService {
  constructor(
    private readonly reports: ReportsService,
    private readonly campaigns: CampaignsService,
  ) {}

  async stats(user: AuthUser, campaignId: string, q: StatsQuery) {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const report = await this.reports.stats(user, campaignId, q);
    return { filename: `${campaign.title}-进度统计-${report.asOf}.xlsx`, data: await statsWorkbook(campaign.title, report) };
  }

  async series(user: AuthUser, campaignId: string, q: SeriesQuery) {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const s = await this.reports.series(user, campaignId, q);
    return {
      filename: `${campaign.title}-${SERIES_LABELS[s.interval].sheet}.xlsx`,
      data: await seriesWorkbook(campaign.title, s.interval, s.points),
    };
  }

  async ranking(user: AuthUser, campaignId: string, q: RankingQuery) {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const r = await this.reports.ranking(user, campaignId, q);
    return { filename: `${campaign.title}-乡镇排名-${r.to}.xlsx`, data: await rankingWorkbook(campaign.title, r.to, r.entries) };
  }

  async notice(user: AuthUser, id: string) {
    const n = mapNotice(await this.reports.noticeOrThrow(user, id));
    return { filename: `督办通知书-第${n.number}号.xlsx`, data: await noticeWorkbook(n) };
  }
}
