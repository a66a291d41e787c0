import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { currentPhaseKind, SETTLED_STATES } from '../../workflows';
import { AuthUser, hasRole } from '../auth/auth-user';
import { Campaign } from '../campaigns/campaign.entity';
import { campaignSnapshot } from '../campaigns/campaign-snapshot';
import { CampaignsService } from '../campaigns/campaigns.service';
import { flattenProblemTypes } from '../campaigns/presets';
import { Clock } from '../common/clock';
import { StandbyReads } from '../database/standby-reads';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { applyItemVisibility, overdueCondition } from '../items/item-conditions';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgUnit } from '../orgs/org-unit.entity';
import { mapOrgUnitRef } from '../orgs/org-unit.mapper';
import { inScope, ScopeService } from '../orgs/scope.service';
import { EMPTY_CHAIN, SignaturesService } from '../signatures/signatures.service';
import { CreateNoticeDto, FileSummaryReportDto, RankingQuery, SeriesQuery, StatsQuery } from './dto/reports.dto';
import { chinaDay, emptyFigures, endOfChinaDay, type Figures, figuresByGroup, ItemHistory, periodEnds, statusAt } from './progress';
import {
  FrozenFiguresResponse,
  NoticeResponse,
  RankingEntryResponse,
  RankingResponse,
  SeriesResponse,
  StatsReportResponse,
  StatsRowResponse,
  SummaryOverviewResponse,
  SummaryReportResponse,
} from './reports.response';
import { itemEvents, type Query } from './item-histories';
import { figuresOfRaw, type RawFigures } from './report-tally';
import { tallyCells, tallyRanking, tallySeries } from './tally-reads';
import { SummaryReport } from './summary-report.entity';
import { NoticeItem, SupervisionNotice } from './supervision-notice.entity';
import { noticeIssuedNotification } from './notice-notifications';
import { NotificationsService } from '../notifications/notifications.service';
import { AuditService } from '../audit/audit.service';

/** Where figures come from: the report tallies for a whole-county view (auto), or either, for the test that proves them equal. */
export type FiguresSource = 'auto' | 'tallies' | 'replay';

@Injectable()
export class ReportsService {
  constructor(
    @InjectRepository(ProblemItem) private readonly items: Repository<ProblemItem>,
    @InjectRepository(SupervisionNotice) private readonly notices: Repository<SupervisionNotice>,
    @InjectRepository(SummaryReport) private readonly summaries: Repository<SummaryReport>,
    private readonly campaigns: CampaignsService,
    private readonly scope: ScopeService,
    private readonly signatures: SignaturesService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly reads: StandbyReads,
  ) {}

  // ------------------------------------------------------------- statistics

  /**
   * Figures per org unit × problem type for the caller's scope, rebuilt from
   * the signatures. `townshipId` switches to villages within that township.
   */
  async stats(user: AuthUser, campaignId: string, q: StatsQuery, via: FiguresSource = 'auto'): Promise<StatsReportResponse> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const day = this.clock.today();
    const groupBy = q.townshipId ? 'village' : 'township';
    if (await this.fromTallies(user, q.townshipId, via)) {
      const { cells, groups, total } = await tallyCells(this.query(), campaign.id, day);
      const figures = <K>(m: Map<K, RawFigures>) => new Map([...m].map(([k, r]) => [k, figuresOfRaw(r)]));
      return this.statsFrom(campaign, day, groupBy, { cells: figures(cells), units: figures(groups), total: figuresOfRaw(total) });
    }
    const histories = await this.histories(user, campaign, q.townshipId ?? null);
    return this.statsFrom(campaign, day, groupBy, {
      cells: figuresByGroup(histories, day, (h) => `${h.groupId}|${h.problemTypeCode}`),
      units: figuresByGroup(histories, day, (h) => h.groupId),
      total: figuresByGroup(histories, day, () => 'all').get('all') ?? emptyFigures(),
    });
  }

  /**
   * Whether figures come from the report tallies: for a whole-county view
   * (the tallies count every item of the campaign); a narrower scope, or one
   * township's villages, replays the signatures of the items it may see.
   */
  private async fromTallies(user: AuthUser, townshipId: string | undefined, via: FiguresSource): Promise<boolean> {
    if (via !== 'auto') return via === 'tallies';
    return !townshipId && (await this.scope.scopeOf(user)).wholeCounty;
  }

  private query(): Query {
    const manager = this.reads.manager();
    return (sql, params) => manager.query(sql, params);
  }

  private async statsFrom(
    campaign: Campaign,
    day: string,
    groupBy: 'township' | 'village',
    figures: { cells: Map<string, Figures>; units: Map<string, Figures>; total: Figures },
  ): Promise<StatsReportResponse> {
    const units = await this.unitsById([...figures.units.keys()]);
    const typeNames = new Map(flattenProblemTypes(campaign.problemTypes).map((t) => [t.code, t.name]));
    const cells = figures.cells;
    // Official division code order where there is one, then by name (pinyin).
    const byUnit = (a: string, b: string) => {
      const ua = units.get(a);
      const ub = units.get(b);
      return (ua?.code ?? '~').localeCompare(ub?.code ?? '~') || (ua?.name ?? '').localeCompare(ub?.name ?? '', 'zh-CN');
    };
    const unitRef = (id: string) => {
      const u = units.get(id);
      return { id, name: u?.name ?? '', kind: u?.kind ?? '' };
    };
    const rows: StatsRowResponse[] = [...cells]
      .map(([k, figures]) => {
        const [unitId, code] = k.split('|');
        return { orgUnit: unitRef(unitId), problemType: { code, name: typeNames.get(code) ?? code }, figures };
      })
      .filter((r) => r.figures.found > 0)
      .sort((a, b) => byUnit(a.orgUnit.id, b.orgUnit.id) || a.problemType.code.localeCompare(b.problemType.code));
    const unitFigures = figures.units;
    return {
      campaignId: campaign.id,
      asOf: day,
      groupBy,
      rows,
      byOrgUnit: [...unitFigures]
        .filter(([, f]) => f.found > 0)
        .map(([id, figures]) => ({ orgUnit: unitRef(id), figures }))
        .sort((a, b) => byUnit(a.orgUnit.id, b.orgUnit.id)),
      total: figures.total,
    };
  }

  /** 每天上报进度 / 每周五上报台账: figures as of the end of each day or Friday of the campaign. */
  async series(user: AuthUser, campaignId: string, q: SeriesQuery, via: FiguresSource = 'auto'): Promise<SeriesResponse> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const today = this.clock.today();
    const start = q.from ?? campaign.phases[0]?.startDate ?? chinaDay(campaign.createdAt);
    const end = q.to ?? today;
    if (end < start) throw DomainError.validation('to', 'to 不能早于 from');
    const interval = q.interval ?? 'day';
    const ends = periodEnds(start, end, interval);
    if (await this.fromTallies(user, q.townshipId, via)) {
      const figures = await tallySeries(this.query(), campaign.id, ends);
      return { campaignId: campaign.id, interval, points: ends.map((date, k) => ({ date, figures: figures[k] })) };
    }
    const histories = await this.histories(user, campaign, q.townshipId ?? null);
    return {
      campaignId: campaign.id,
      interval,
      points: ends.map((day) => ({ date: day, figures: figuresByGroup(histories, day, () => 'all').get('all') ?? emptyFigures() })),
    };
  }

  /**
   * 月考评: townships ranked by rectification rate (desc), then items reopened
   * by inspection in the period (asc: a reopen counts against the township),
   * then overdue count (asc), then average days to close (asc) as of the end of the period; top
   * three commended, the last one marked. Townships with nothing confirmed are
   * listed unranked.
   */
  async ranking(user: AuthUser, campaignId: string, q: RankingQuery, via: FiguresSource = 'auto'): Promise<RankingResponse> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const to = q.to ?? this.clock.today();
    if (q.from && q.from > to) throw DomainError.validation('from', 'from 不能晚于 to');
    const scope = await this.scope.scopeOf(user);
    const townships = await this.reads.manager().find(OrgUnit, { where: { countyId: user.countyId, kind: 'township' }, order: { code: 'ASC', name: 'ASC' } });
    // A township's own campaign ranks (and awaits reports from) that township only.
    const visible = townships.filter((t) => inScope(scope, t.path) && (!campaign.townshipId || t.id === campaign.townshipId));
    const { figures, reopened } = (await this.fromTallies(user, undefined, via))
      ? await this.rankingFromTallies(campaign, q.from ?? null, to)
      : await this.rankingByReplay(user, campaign, q.from ?? null, to);
    const entries: RankingEntryResponse[] = visible.map((t) => {
      const f = figures.get(t.id);
      return {
        rank: null,
        township: { id: t.id, name: t.name },
        rectificationRate: f?.rectificationRate ?? null,
        reopened: reopened.get(t.id) ?? 0,
        overdue: f?.overdue ?? 0,
        avgDaysToClose: f?.avgDaysToClose ?? null,
        confirmed: f?.confirmed ?? 0,
        closed: f?.closed ?? 0,
        commended: false,
        lastPlace: false,
      };
    });
    const ranked = entries
      .filter((e) => e.rectificationRate !== null)
      .sort(
        (a, b) =>
          b.rectificationRate! - a.rectificationRate! ||
          a.reopened - b.reopened ||
          a.overdue - b.overdue ||
          (a.avgDaysToClose ?? Infinity) - (b.avgDaysToClose ?? Infinity),
      );
    ranked.forEach((e, i) => {
      e.rank = i + 1;
      e.commended = i < 3 && ranked.length > 1;
      e.lastPlace = i === ranked.length - 1 && ranked.length > 3;
    });
    return { campaignId: campaign.id, from: q.from ?? null, to, entries: [...ranked, ...entries.filter((e) => e.rank === null)] };
  }

  private async rankingFromTallies(campaign: Campaign, from: string | null, to: string) {
    const byGroup = await tallyRanking(this.query(), campaign, from, to);
    return {
      figures: new Map([...byGroup].map(([g, r]) => [g, r.figures])),
      reopened: new Map([...byGroup].map(([g, r]) => [g, r.reopened])),
    };
  }

  /** The period's work: items not already settled (closed or dismissed) before it began, replayed. */
  private async rankingByReplay(user: AuthUser, campaign: Campaign, from: string | null, to: string) {
    const before = from ? new Date(endOfChinaDay(from).getTime() - 86_400_000) : null;
    const histories = (await this.histories(user, campaign, null, true)).filter((h) => {
      if (!before) return true;
      const state = statusAt(h.events, before).state;
      return !(SETTLED_STATES as readonly (string | null)[]).includes(state);
    });
    const periodEnd = endOfChinaDay(to);
    const reopened = new Map<string, number>();
    for (const h of histories) {
      if (h.events.some((e) => e.eventType === 'REOPEN' && e.at <= periodEnd && (!before || e.at > before))) {
        reopened.set(h.groupId, (reopened.get(h.groupId) ?? 0) + 1);
      }
    }
    return { figures: figuresByGroup(histories, to, (h) => h.groupId), reopened };
  }

  /**
   * Items of the campaign in the caller's scope with their signature events.
   * Group: the township (or the org unit itself for department items); with
   * `townshipId`, the village (or township) within that township.
   */
  private async histories(user: AuthUser, campaign: Campaign, townshipId: string | null, townshipsOnly = false): Promise<ItemHistory[]> {
    const scope = await this.scope.scopeOf(user);
    // A report route reads from a standby (@ReadsFromStandby); a write that freezes figures, from the primary.
    const manager = this.reads.manager();
    const qb = manager
      .createQueryBuilder(ProblemItem, 'i')
      .select(['i.id', 'i.townshipId', 'i.orgUnitId', 'i.problemTypeCode'])
      .where('i.campaign_id = :cid', { cid: campaign.id });
    applyItemVisibility(qb, user, scope);
    if (townshipId) qb.andWhere('i.township_id = :tw', { tw: townshipId });
    if (townshipsOnly) qb.andWhere('i.township_id IS NOT NULL');
    const items = await qb.getMany();
    if (items.length === 0) return [];
    // Outside a whole-county view, read only the histories of the items the caller may see.
    const events = await itemEvents((sql, params) => manager.query(sql, params), campaign, scope.wholeCounty && !townshipId ? null : items.map((i) => i.id));
    return items.map((i) => ({
      itemId: i.id,
      groupId: townshipId ? i.orgUnitId : (i.townshipId ?? i.orgUnitId),
      problemTypeCode: i.problemTypeCode,
      events: events.get(i.id) ?? [],
    }));
  }

  private async unitsById(ids: string[]): Promise<Map<string, OrgUnit>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    return new Map((await this.reads.manager().find(OrgUnit, { where: { id: In(unique) } })).map((u) => [u.id, u]));
  }

  // ---------------------------------------------------------------- notices

  /** 督办通知书: the recipient's overdue items in the campaign, frozen, with a new deadline. County office only. */
  async issueNotice(user: AuthUser, campaignId: string, dto: CreateNoticeDto, request: IdempotentRequest): Promise<NoticeResponse> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    if (dto.deadline <= this.clock.today()) throw DomainError.validation('deadline', `deadline 必须晚于今天（${this.clock.today()}）`);
    return this.idempotency.run(user, request, async (tx) => {
      const recipient = await tx.findOne(OrgUnit, { where: { id: dto.recipientOrgUnitId, countyId: user.countyId } });
      if (!recipient || (recipient.kind !== 'township' && recipient.kind !== 'department')) {
        throw DomainError.validation('recipientOrgUnitId', 'recipientOrgUnitId 必须是本县的乡镇或县直部门');
      }
      const overdueNow = overdueCondition(this.clock.today());
      const qb = tx
        .createQueryBuilder(ProblemItem, 'i')
        .leftJoinAndSelect('i.orgUnit', 'o')
        .leftJoinAndSelect('i.rectifier', 'r')
        .where('i.campaign_id = :cid', { cid: campaign.id })
        .andWhere(overdueNow.sql, overdueNow.params);
      if (recipient.kind === 'township') qb.andWhere('i.township_id = :rid', { rid: recipient.id });
      else qb.andWhere('(i.responsible_org_unit_id = :rid OR (i.org_unit_id = :rid AND i.responsible_org_unit_id IS NULL))', { rid: recipient.id });
      const overdue = await qb.orderBy('i.deadline', 'ASC').addOrderBy('i.number', 'ASC').getMany();
      if (overdue.length === 0) throw new DomainError('CONFLICT', `${recipient.name}在该专项行动中没有超期问题，无需督办`);
      const today = Date.parse(`${this.clock.today()}T00:00:00Z`);
      const items: NoticeItem[] = overdue.map((i) => ({
        id: i.id,
        number: i.number,
        orgUnitName: i.orgUnit?.name ?? '',
        description: i.description,
        rectifierName: i.rectifier?.displayName ?? null,
        deadline: i.deadline,
        daysOverdue: Math.round((today - Date.parse(`${i.deadline}T00:00:00Z`)) / 86_400_000),
      }));
      const [{ next }] = (await tx.query('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM supervision_notices WHERE campaign_id = $1', [
        campaign.id,
      ])) as Array<{ next: number }>;
      const notice = tx.create(SupervisionNotice, {
        countyId: user.countyId,
        campaignId: campaign.id,
        number: Number(next),
        recipientOrgUnitId: recipient.id,
        issuedById: user.id,
        issuedByName: user.displayName,
        issuedAt: this.clock.now(),
        deadline: dto.deadline,
        note: dto.note ?? null,
        items,
        acknowledgedAt: null,
        acknowledgedById: null,
        acknowledgedByName: null,
        reply: null,
        repliedAt: null,
        repliedById: null,
        repliedByName: null,
      });
      const saved = await tx.save(notice);
      saved.recipient = recipient;
      saved.campaign = campaign;
      await this.notifications.insertAllWithin(tx, [[noticeIssuedNotification(saved, recipient, campaign.title, user.id)]]);
      await this.audit.record(
        user,
        'notice.issue',
        'supervision_notice',
        saved.id,
        { number: saved.number, recipientOrgUnitId: recipient.id, items: items.length },
        tx,
      );
      return mapNotice(saved);
    });
  }

  /** The county office sees every notice of the county; others those addressed to a unit in their scope. */
  async listNotices(user: AuthUser, id?: string): Promise<SupervisionNotice[]> {
    const scope = await this.scope.scopeOf(user);
    const qb = this.notices
      .createQueryBuilder('n')
      .innerJoinAndSelect('n.recipient', 'o')
      .innerJoinAndSelect('n.campaign', 'c')
      .where('n.county_id = :county', { county: user.countyId });
    if (!scope.wholeCounty) qb.andWhere(this.scope.pathCondition('o.path', scope));
    if (id) qb.andWhere('n.id = :id', { id });
    return qb.orderBy('n.issued_at', 'DESC').getMany();
  }

  async noticeOrThrow(user: AuthUser, id: string): Promise<SupervisionNotice> {
    const [notice] = await this.listNotices(user, id);
    if (!notice) throw DomainError.notFound('督办通知书');
    return notice;
  }

  // -------------------------------------------------------- summary reports

  /**
   * 总结报告: the township leader files one per campaign during the summary
   * phase, signed; the township's figures at filing time are frozen into it.
   */
  async fileSummary(user: AuthUser, campaignId: string, dto: FileSummaryReportDto, request: IdempotentRequest): Promise<SummaryReportResponse> {
    if (!hasRole(user, 'township_leader') || user.orgUnitKind !== 'township') throw DomainError.forbidden('只有乡镇分管负责人可以报送总结报告');
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    if (currentPhaseKind(campaignSnapshot(campaign)) !== 'summary') {
      throw new DomainError('TRANSITION_REFUSED', '总结报告只能在工作总结阶段报送', [], {
        reason: 'phase_closed',
        state: campaign.state,
        availableActions: [],
      });
    }
    const histories = await this.histories(user, campaign, null);
    const own = histories.filter((h) => h.groupId === user.orgUnitId);
    const figures = figuresByGroup(own, this.clock.today(), () => 'all').get('all') ?? emptyFigures();
    return this.idempotency.run(user, request, async (tx) => {
      if (await tx.exists(SummaryReport, { where: { campaignId: campaign.id, townshipId: user.orgUnitId } })) {
        throw new DomainError('DUPLICATE', `${user.orgUnitName}已报送过该专项行动的总结报告`);
      }
      const report = await tx.save(
        tx.create(SummaryReport, {
          countyId: user.countyId,
          campaignId: campaign.id,
          townshipId: user.orgUnitId,
          text: dto.text,
          figures: { ...figures, asOf: this.clock.today() },
          filedById: user.id,
          filedByName: user.displayName,
          filedAt: this.clock.now(),
        }),
      );
      // A report is signed once, when filed: the first and only link of its chain.
      const signature = this.signatures.next(EMPTY_CHAIN, {
        countyId: user.countyId,
        subjectType: 'summary_report',
        subjectId: report.id,
        kind: 'summary_report',
        eventType: 'FILE_SUMMARY',
        signer: { id: user.id, name: user.displayName, role: 'township_leader', orgUnitId: user.orgUnitId, orgUnitName: user.orgUnitName },
        comment: null,
        payload: { figures: report.figures, textSha256: createHash('sha256').update(dto.text).digest('hex') },
        evidence: [],
        stateBefore: 'none',
        stateAfter: 'filed',
      });
      await this.signatures.insert(tx, signature, user);
      return mapSummary(report, user.orgUnitName);
    });
  }

  /** Filed reports in scope, and (for the county) the townships that have not filed. */
  async summaryOverview(user: AuthUser, campaignId: string): Promise<SummaryOverviewResponse> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const scope = await this.scope.scopeOf(user);
    const townships = (
      await this.reads.manager().find(OrgUnit, { where: { countyId: user.countyId, kind: 'township' }, order: { code: 'ASC', name: 'ASC' } })
    ).filter((t) => inScope(scope, t.path) && (!campaign.townshipId || t.id === campaign.townshipId));
    const reports = townships.length
      ? await this.reads
          .manager()
          .find(SummaryReport, { where: { campaignId: campaign.id, townshipId: In(townships.map((t) => t.id)) }, order: { filedAt: 'ASC' } })
      : [];
    const filed = new Set(reports.map((r) => r.townshipId));
    const name = new Map(townships.map((t) => [t.id, t.name]));
    return {
      campaignId: campaign.id,
      filed: reports.map((r) => mapSummary(r, name.get(r.townshipId) ?? '')),
      missing: townships.filter((t) => !filed.has(t.id)).map((t) => ({ id: t.id, name: t.name })),
    };
  }
}

export function mapSummary(r: SummaryReport, townshipName: string): SummaryReportResponse {
  return {
    id: r.id,
    campaignId: r.campaignId,
    township: { id: r.townshipId, name: townshipName },
    text: r.text,
    // Written once by fileSummary: the township's Figures and their day.
    figures: r.figures as unknown as FrozenFiguresResponse,
    filedBy: { id: r.filedById, name: r.filedByName },
    filedAt: r.filedAt.toISOString(),
  };
}

/** A notice loaded with its campaign and recipient (listNotices joins both; issueNotice sets them). */
export function mapNotice(n: SupervisionNotice): NoticeResponse {
  if (!n.campaign || !n.recipient) throw new Error('supervision notice mapped without its campaign and recipient');
  return {
    id: n.id,
    number: n.number,
    campaign: { id: n.campaign.id, title: n.campaign.title, docNumber: n.campaign.docNumber },
    recipient: mapOrgUnitRef(n.recipient),
    issuedBy: { id: n.issuedById, name: n.issuedByName },
    issuedAt: n.issuedAt instanceof Date ? n.issuedAt.toISOString() : n.issuedAt,
    deadline: n.deadline,
    note: n.note,
    items: n.items,
    acknowledgement:
      n.acknowledgedAt && n.acknowledgedById ? { by: { id: n.acknowledgedById, name: n.acknowledgedByName ?? '' }, at: toIso(n.acknowledgedAt) } : null,
    reply:
      n.reply !== null && n.repliedAt && n.repliedById
        ? { text: n.reply, by: { id: n.repliedById, name: n.repliedByName ?? '' }, at: toIso(n.repliedAt) }
        : null,
  };
}

function toIso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}
