import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { EntityManager, In, Repository } from 'typeorm';
import { currentPhaseKind, EVENT_PHASES, problemItemStateLabel, SETTLED_STATES } from '../../workflows';
import { AuthUser, hasRole } from '../auth/auth-user';
import { campaignSnapshot } from '../campaigns/campaign-snapshot';
import { CampaignsService } from '../campaigns/campaigns.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { applyItemVisibility } from '../items/item-conditions';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgUnit } from '../orgs/org-unit.entity';
import { inScope, Scope, ScopeService } from '../orgs/scope.service';
import { SupervisionCoverage } from '../orgs/supervision-coverage.entity';
import { EMPTY_CHAIN, SignaturesService } from '../signatures/signatures.service';
import { selectSample } from './draw-selection';
import { drawPayload } from './draw-verification';
import { CoverageQuery, CreateSpotCheckDrawDto, WorklistQuery } from './dto/inspection.dto';
import {
  CoverageFiguresResponse,
  CoverageResponse,
  CoverageRowResponse,
  CoverageTownshipResponse,
  DrawnItemResponse,
  SpotCheckDrawResponse,
  WorklistItemResponse,
} from './inspection.response';
import { DrawPopulationEntry, SpotCheckDraw, SpotCheckDrawItem } from './spot-check-draw.entity';

/** The events that check a drawn item (督查签字). */
const CHECK_EVENTS = ['SPOT_CHECK_PASS', 'REOPEN'] as const;

interface DrawnRow {
  draw_id: string;
  drawn_at: Date;
  item_id: string;
  campaign_id: string;
  number: number;
  description: string;
  state: string;
  org_unit_id: string;
  org_unit_name: string;
  township_id: string;
  township_name: string;
  check_event: string | null;
  checked_by_id: string | null;
  checked_by_name: string | null;
  checked_at: Date | null;
}

/**
 * 抽查复核: signed random draws of a campaign's closed and dismissed items,
 * the inspectors' worklist they make, and coverage per village. Whether a
 * drawn item has been checked is read from its chain (the first
 * SPOT_CHECK_PASS or REOPEN signed after the draw), so nothing on the item
 * changes when it is drawn and nothing on the draw changes when it is checked.
 */
@Injectable()
export class SpotChecksService {
  constructor(
    @InjectRepository(SpotCheckDraw) private readonly draws: Repository<SpotCheckDraw>,
    private readonly campaigns: CampaignsService,
    private readonly scope: ScopeService,
    private readonly signatures: SignaturesService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  /**
   * Draws and signs a sample. The county office draws from every township
   * (or those named), an inspector from the townships their supervision
   * group covers. One draw per campaign, drawing unit and round: drawing a
   * round again is refused (409 DUPLICATE), and every round stays on record.
   */
  async draw(user: AuthUser, campaignId: string, dto: CreateSpotCheckDrawDto, request: IdempotentRequest): Promise<SpotCheckDrawResponse> {
    if (dto.mode === 'percent' && dto.value > 100) throw DomainError.validation('value', 'value 按比例抽取时为 1–100 的百分数');
    const asCounty = hasRole(user, 'county_office') && user.orgUnitKind === 'county';
    const asInspector = hasRole(user, 'inspector') && user.orgUnitKind === 'supervision_group';
    if (!asCounty && !asInspector) throw DomainError.forbidden('只有县巩固办或督查组可以抽取抽查复核样本');
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const phase = currentPhaseKind(campaignSnapshot(campaign));
    if (!phase || !EVENT_PHASES.SPOT_CHECK_PASS.includes(phase)) {
      throw new DomainError('TRANSITION_REFUSED', '当前阶段不能抽查复核（整改、提升、总结阶段可以）', [], {
        reason: 'phase_closed',
        state: campaign.state,
        availableActions: [],
      });
    }
    return this.idempotency.run(user, request, async (tx) => {
      const townships = await this.drawableTownships(tx, user, asCounty, dto.townshipIds);
      // Draws of one unit in one campaign queue here, so a round is decided once.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('spot_check_draw'), hashtext($1))`, [`${campaign.id}/${user.orgUnitId}`]);
      const [{ last }] = (await tx.query(`SELECT COALESCE(MAX(round), 0) AS last FROM spot_check_draws WHERE campaign_id = $1 AND drawn_by_org_unit_id = $2`, [
        campaign.id,
        user.orgUnitId,
      ])) as Array<{ last: number }>;
      const round = dto.round ?? Number(last) + 1;
      const earlier = await tx.findOne(SpotCheckDraw, { where: { campaignId: campaign.id, drawnByOrgUnitId: user.orgUnitId, round } });
      if (earlier) {
        throw new DomainError(
          'DUPLICATE',
          `${user.orgUnitName}已于 ${earlier.drawnAt.toISOString().slice(0, 10)} 抽取过第 ${round} 轮，不能重新抽取`,
          [{ field: 'round', message: `第 ${round} 轮已抽取` }],
          {
            drawId: earlier.id,
          },
        );
      }
      const population = await this.population(
        tx,
        campaign.id,
        townships.map((t) => t.id),
      );
      if (population.length === 0) throw new DomainError('CONFLICT', '所选乡镇没有可抽查的已销号或不予认定问题');
      const seed = randomBytes(32).toString('hex');
      const sample = selectSample(seed, population, dto.mode, dto.value);
      const drawnAt = this.clock.now();
      const row = tx.create(SpotCheckDraw, {
        countyId: user.countyId,
        campaignId: campaign.id,
        round,
        mode: dto.mode,
        value: dto.value,
        townshipIds: townships.map((t) => t.id).sort(),
        seed,
        population,
        drawnByOrgUnitId: user.orgUnitId,
        drawnById: user.id,
        drawnByName: user.displayName,
        drawnAt,
      });
      const saved = await tx.save(row);
      await tx.insert(
        SpotCheckDrawItem,
        sample.map((p) => ({ drawId: saved.id, itemId: p.id, countyId: user.countyId })),
      );
      // Signed once, as it is drawn: the seed, the population's digest and the sample, under the signer's name.
      const signature = this.signatures.next(EMPTY_CHAIN, {
        countyId: user.countyId,
        subjectType: 'spot_check_draw',
        subjectId: saved.id,
        kind: 'spot_check_draw',
        eventType: 'DRAW',
        signer: {
          id: user.id,
          name: user.displayName,
          role: asCounty ? 'county_office' : 'inspector',
          orgUnitId: user.orgUnitId,
          orgUnitName: user.orgUnitName,
        },
        comment: null,
        payload: { ...drawPayload({ ...saved, itemIds: sample.map((p) => p.id) }) },
        evidence: [],
        stateBefore: 'none',
        stateAfter: 'drawn',
        signedAt: drawnAt,
      });
      await this.signatures.insert(tx, signature, user);
      return this.detail(tx, user, saved);
    });
  }

  /** The county office: every township of the county; an inspector: their group's; narrowed to `requested`, each of which must be among them (404 otherwise). */
  private async drawableTownships(tx: EntityManager, user: AuthUser, asCounty: boolean, requested?: string[]): Promise<OrgUnit[]> {
    const all = asCounty
      ? await tx.find(OrgUnit, { where: { countyId: user.countyId, kind: 'township' }, order: { code: 'ASC', name: 'ASC' } })
      : await tx
          .createQueryBuilder(OrgUnit, 'o')
          .innerJoin(SupervisionCoverage, 'c', 'c.township_id = o.id')
          .where('c.group_id = :g AND c.county_id = :county', { g: user.orgUnitId, county: user.countyId })
          .orderBy('o.code', 'ASC')
          .getMany();
    if (all.length === 0) throw new DomainError('CONFLICT', '本督查组尚未分配负责的乡镇，请联系系统管理员');
    if (!requested?.length) return all;
    const byId = new Map(all.map((t) => [t.id, t]));
    const missing = requested.find((id) => !byId.has(id));
    if (missing) throw new DomainError('NOT_FOUND', '乡镇不存在', [{ field: 'townshipIds', message: `乡镇 ${missing} 不存在或不在抽查范围内` }]);
    return [...new Set(requested)].map((id) => byId.get(id)!);
  }

  /**
   * The items a draw may select: closed or dismissed now, in the townships,
   * and not drawn since they last became so (an item reopened and closed
   * again may be drawn again; one already on a worklist is not drawn twice).
   */
  private async population(tx: EntityManager, campaignId: string, townshipIds: string[]): Promise<DrawPopulationEntry[]> {
    const rows: Array<{ id: string; number: number; township_id: string; org_unit_id: string }> = await tx.query(
      `SELECT i.id, i.number, i.township_id, i.org_unit_id FROM problem_items i
        WHERE i.campaign_id = $1 AND i.township_id = ANY($2::uuid[]) AND i.state = ANY($3::text[])
          AND NOT EXISTS (
            SELECT 1 FROM spot_check_draw_items di JOIN spot_check_draws d ON d.id = di.draw_id
             WHERE di.item_id = i.id AND d.drawn_at >= COALESCE((
               SELECT max(s.signed_at) FROM signatures s
                WHERE s.subject_id = i.id AND s.state_after = ANY($3::text[]) AND s.state_before <> ALL($3::text[])), '-infinity'))
        ORDER BY i.number`,
      [campaignId, townshipIds, SETTLED_STATES],
    );
    return rows.map((r) => ({ id: r.id, number: r.number, townshipId: r.township_id, orgUnitId: r.org_unit_id }));
  }

  /** The campaign's draws that touch the caller's scope, newest first. */
  async list(user: AuthUser, campaignId: string): Promise<SpotCheckDrawResponse[]> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const draws = await this.draws.find({ where: { campaignId: campaign.id }, relations: { drawnByOrgUnit: true }, order: { drawnAt: 'DESC' } });
    const visible = await this.visibleDraws(user, draws);
    const out: SpotCheckDrawResponse[] = [];
    for (const d of visible) out.push(await this.detail(this.draws.manager, user, d));
    return out;
  }

  async findOrThrow(user: AuthUser, id: string): Promise<SpotCheckDrawResponse> {
    const draw = await this.draws.findOne({ where: { id, countyId: user.countyId }, relations: { drawnByOrgUnit: true } });
    const [visible] = draw ? await this.visibleDraws(user, [draw]) : [];
    if (!visible) throw DomainError.notFound('抽查记录');
    return this.detail(this.draws.manager, user, visible);
  }

  /** A draw is visible to those who see one of its townships. */
  private async visibleDraws(user: AuthUser, draws: SpotCheckDraw[]): Promise<SpotCheckDraw[]> {
    if (!draws.length) return [];
    const scope = await this.scope.scopeOf(user);
    if (scope.wholeCounty) return draws;
    const ids = [...new Set(draws.flatMap((d) => d.townshipIds))];
    const townships = await this.draws.manager.find(OrgUnit, { where: { id: In(ids) } });
    const seen = new Set(townships.filter((t) => inScope(scope, t.path)).map((t) => t.id));
    return draws.filter((d) => d.townshipIds.some((t) => seen.has(t)));
  }

  private async detail(manager: EntityManager, user: AuthUser, d: SpotCheckDraw): Promise<SpotCheckDrawResponse> {
    const scope = await this.scope.scopeOf(user);
    const items = await this.drawnItems(manager, user, scope, { drawId: d.id });
    const townships = await manager.find(OrgUnit, { where: { id: In(d.townshipIds) }, order: { code: 'ASC', name: 'ASC' } });
    const unit = d.drawnByOrgUnit ?? (await manager.findOneOrFail(OrgUnit, { where: { id: d.drawnByOrgUnitId } }));
    const [sig]: Array<{ id: string; hash: string; payload: { populationSha256: string; itemIds: string[] } }> = await manager.query(
      `SELECT id, hash, payload FROM signatures WHERE subject_id = $1 AND seq = 1`,
      [d.id],
    );
    return {
      id: d.id,
      campaignId: d.campaignId,
      round: d.round,
      mode: d.mode,
      value: d.value,
      townships: townships.map((t) => ({ id: t.id, name: t.name })),
      seed: d.seed.trim(),
      populationSize: d.population.length,
      populationSha256: sig?.payload.populationSha256 ?? '',
      sampleSize: sig?.payload.itemIds.length ?? items.length,
      drawnBy: { id: d.drawnById, name: d.drawnByName },
      drawnByOrgUnit: { id: unit.id, name: unit.name, kind: unit.kind },
      drawnAt: d.drawnAt.toISOString(),
      signatureId: sig?.id ?? '',
      signatureHash: sig?.hash.trim() ?? '',
      checked: items.filter((i) => i.check !== 'pending').length,
      passed: items.filter((i) => i.check === 'passed').length,
      reopened: items.filter((i) => i.check === 'reopened').length,
      items,
    };
  }

  /** 待复核: drawn items in the caller's scope not checked since they were drawn, oldest draw first. */
  async worklist(user: AuthUser, q: WorklistQuery): Promise<WorklistItemResponse[]> {
    const scope = await this.scope.scopeOf(user);
    const rows = await this.drawnRows(this.draws.manager, user, scope, { campaignId: q.campaignId, pendingOnly: true });
    const draws = new Map(
      (await this.draws.find({ where: { id: In([...new Set(rows.map((r) => r.draw_id))]) }, relations: { drawnByOrgUnit: true } })).map((d) => [d.id, d]),
    );
    return rows.map((r) => {
      const d = draws.get(r.draw_id)!;
      return {
        ...mapDrawn(r),
        draw: { id: d.id, round: d.round, drawnAt: d.drawnAt.toISOString(), drawnByOrgUnit: { id: d.drawnByOrgUnitId, name: d.drawnByOrgUnit?.name ?? '' } },
      };
    });
  }

  private async drawnItems(manager: EntityManager, user: AuthUser, scope: Scope, where: { drawId: string }): Promise<DrawnItemResponse[]> {
    return (await this.drawnRows(manager, user, scope, where)).map(mapDrawn);
  }

  /**
   * Drawn items (one row per draw and item) the caller may see, each with its
   * first check signed after the draw.
   */
  private async drawnRows(
    manager: EntityManager,
    user: AuthUser,
    scope: Scope,
    where: { drawId?: string; campaignId?: string; pendingOnly?: boolean },
  ): Promise<DrawnRow[]> {
    const qb = manager.createQueryBuilder(ProblemItem, 'i').select('i.id', 'id').innerJoin(SpotCheckDrawItem, 'di', 'di.item_id = i.id');
    applyItemVisibility(qb, user, scope);
    if (where.drawId) qb.andWhere('di.draw_id = :drawId', { drawId: where.drawId });
    const [visibleSql, visibleParams] = qb.getQueryAndParameters();
    const params = [...visibleParams];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const rows: DrawnRow[] = await manager.query(
      `SELECT d.id AS draw_id, d.drawn_at, i.id AS item_id, i.campaign_id, i.number, i.description, i.state,
              o.id AS org_unit_id, o.name AS org_unit_name, tw.id AS township_id, tw.name AS township_name,
              c.event_type AS check_event, c.signer_id AS checked_by_id, c.signer_name AS checked_by_name, c.signed_at AS checked_at
         FROM spot_check_draw_items di
         JOIN spot_check_draws d ON d.id = di.draw_id
         JOIN problem_items i ON i.id = di.item_id
         JOIN org_units o ON o.id = i.org_unit_id
         JOIN org_units tw ON tw.id = i.township_id
         LEFT JOIN LATERAL (
           SELECT s.event_type, s.signer_id, s.signer_name, s.signed_at FROM signatures s
            WHERE s.subject_id = i.id AND s.event_type = ANY(${p(CHECK_EVENTS)}::text[]) AND s.signed_at >= d.drawn_at
            ORDER BY s.seq LIMIT 1) c ON TRUE
        WHERE di.item_id IN (${visibleSql})
          AND di.county_id = ${p(user.countyId)}
          ${where.drawId ? `AND d.id = ${p(where.drawId)}` : ''}
          ${where.campaignId ? `AND d.campaign_id = ${p(where.campaignId)}` : ''}
          ${where.pendingOnly ? 'AND c.event_type IS NULL' : ''}
        ORDER BY d.drawn_at, i.number`,
      params,
    );
    return rows;
  }

  /**
   * Coverage per village (and township-level items under the township
   * itself): closed (closed or dismissed at some point), drawn, checked,
   * passed, reopened — each drawn item by the first check after it was first drawn.
   */
  async coverage(user: AuthUser, campaignId: string, q: CoverageQuery): Promise<CoverageResponse> {
    const campaign = await this.campaigns.findOrThrow(user, campaignId);
    const scope = await this.scope.scopeOf(user);
    const qb = this.draws.manager
      .createQueryBuilder(ProblemItem, 'i')
      .select('i.id', 'id')
      .where('i.campaign_id = :cid', { cid: campaign.id })
      .andWhere('i.township_id IS NOT NULL');
    applyItemVisibility(qb, user, scope);
    if (q.townshipId) qb.andWhere('i.township_id = :tw', { tw: q.townshipId });
    const [visibleSql, visibleParams] = qb.getQueryAndParameters();
    const n = visibleParams.length;
    const rows: Array<
      {
        township_id: string;
        township_name: string;
        township_code: string | null;
        org_unit_id: string;
        org_unit_name: string;
        org_unit_code: string | null;
      } & Record<keyof CoverageFiguresResponse, number>
    > = await this.draws.manager.query(
      `WITH visible AS (${visibleSql}),
         items AS (
           SELECT i.id, i.org_unit_id, i.township_id,
                  EXISTS (SELECT 1 FROM signatures s WHERE s.subject_id = i.id AND s.state_after = ANY($${n + 1}::text[]) AND s.state_before <> ALL($${n + 1}::text[])) AS closed,
                  first_draw.drawn_at,
                  (SELECT s.event_type FROM signatures s
                    WHERE s.subject_id = i.id AND s.event_type = ANY($${n + 2}::text[]) AND s.signed_at >= first_draw.drawn_at
                    ORDER BY s.seq LIMIT 1) AS check_event
             FROM problem_items i
             LEFT JOIN LATERAL (SELECT min(d.drawn_at) AS drawn_at FROM spot_check_draw_items di JOIN spot_check_draws d ON d.id = di.draw_id WHERE di.item_id = i.id) first_draw ON TRUE
            WHERE i.id IN (SELECT id FROM visible))
         SELECT tw.id AS township_id, tw.name AS township_name, tw.code AS township_code, o.id AS org_unit_id, o.name AS org_unit_name, o.code AS org_unit_code,
                count(*) FILTER (WHERE items.closed)::int AS closed,
                count(*) FILTER (WHERE items.drawn_at IS NOT NULL)::int AS drawn,
                count(*) FILTER (WHERE items.check_event IS NOT NULL)::int AS checked,
                count(*) FILTER (WHERE items.check_event = 'SPOT_CHECK_PASS')::int AS passed,
                count(*) FILTER (WHERE items.check_event = 'REOPEN')::int AS reopened
           FROM items JOIN org_units o ON o.id = items.org_unit_id JOIN org_units tw ON tw.id = items.township_id
          GROUP BY tw.id, o.id
         HAVING count(*) FILTER (WHERE items.closed OR items.drawn_at IS NOT NULL) > 0`,
      [...visibleParams, SETTLED_STATES, CHECK_EVENTS],
    );
    const figures = (r: CoverageFiguresResponse): CoverageFiguresResponse => ({
      closed: r.closed,
      drawn: r.drawn,
      checked: r.checked,
      passed: r.passed,
      reopened: r.reopened,
    });
    // As the statistics order units: official division code where there is one, then by name (pinyin); a township's own items first.
    const byCodeThenName = (ca: string | null, na: string, cb: string | null, nb: string) =>
      (ca ?? '~').localeCompare(cb ?? '~') || na.localeCompare(nb, 'zh-CN');
    rows.sort(
      (a, b) =>
        byCodeThenName(a.township_code, a.township_name, b.township_code, b.township_name) ||
        Number(b.org_unit_id === b.township_id) - Number(a.org_unit_id === a.township_id) ||
        byCodeThenName(a.org_unit_code, a.org_unit_name, b.org_unit_code, b.org_unit_name),
    );
    const out: CoverageRowResponse[] = rows.map((r) => ({
      township: { id: r.township_id, name: r.township_name },
      orgUnit: { id: r.org_unit_id, name: r.org_unit_name },
      ...figures(r),
    }));
    const sum = (list: CoverageRowResponse[], township: { id: string; name: string }): CoverageTownshipResponse => ({
      township,
      closed: list.reduce((a, r) => a + r.closed, 0),
      drawn: list.reduce((a, r) => a + r.drawn, 0),
      checked: list.reduce((a, r) => a + r.checked, 0),
      passed: list.reduce((a, r) => a + r.passed, 0),
      reopened: list.reduce((a, r) => a + r.reopened, 0),
      villages: list.filter((r) => r.closed > 0).length,
      villagesDrawn: list.filter((r) => r.drawn > 0).length,
      villagesChecked: list.filter((r) => r.checked > 0).length,
    });
    const townships = [...new Map(out.map((r) => [r.township.id, r.township])).values()];
    return {
      campaignId: campaign.id,
      asOf: this.clock.today(),
      rows: out,
      townships: townships.map((t) =>
        sum(
          out.filter((r) => r.township.id === t.id),
          t,
        ),
      ),
      total: sum(out, { id: campaign.countyId, name: '合计' }),
    };
  }
}

function mapDrawn(r: DrawnRow): DrawnItemResponse {
  return {
    id: r.item_id,
    campaignId: r.campaign_id,
    number: r.number,
    description: r.description,
    orgUnit: { id: r.org_unit_id, name: r.org_unit_name },
    township: { id: r.township_id, name: r.township_name },
    state: r.state,
    stateLabel: problemItemStateLabel(r.state),
    check: r.check_event === null ? 'pending' : r.check_event === 'REOPEN' ? 'reopened' : 'passed',
    checkedBy: r.checked_by_id ? { id: r.checked_by_id, name: r.checked_by_name ?? '' } : null,
    checkedAt: r.checked_at ? new Date(r.checked_at).toISOString() : null,
  };
}
