import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  advanceEventType,
  availableCampaignEvents,
  CAMPAIGN_PHASED_STATES,
  CAMPAIGN_WORKFLOW,
  campaignStateName,
  createCampaignSnapshot,
  OPEN_STATES,
  type CampaignEvent,
  type CampaignPhase,
  type CampaignStateName,
} from '../../workflows';
import { AuthUser, hasRole } from '../auth/auth-user';
import { isCampaignRunner } from '../../workflows/campaign/campaign.guards';
import { OrgUnit } from '../orgs/org-unit.entity';
import type { Scope } from '../orgs/scope.service';
import { isCampaignVisible } from './campaign-visibility';
import { defaultSectors, type CampaignSector } from './campaign-sectors';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { ProblemItem } from '../items/problem-item.entity';
import { ScopeService } from '../orgs/scope.service';
import { SignaturesService } from '../signatures/signatures.service';
import { toStored, transitionRefused } from '../workflow-engine/snapshots';
import { WorkflowRunner } from '../workflow-engine/workflow-runner';
import { CAMPAIGN_LIFECYCLE } from './campaign-lifecycle';
import { Campaign } from './campaign.entity';
import { campaignSnapshot } from './campaign-snapshot';
import { mapCampaign } from './campaign.mapper';
import { CampaignAction, CampaignResponse, isCampaignAction } from './campaign.response';
import { CampaignEventDto, CreateCampaignDto, ProblemTypeDto, SectorDto } from './dto/create-campaign.dto';
import { CAMPAIGN_PRESETS, findPreset, flattenProblemTypes, type CampaignPreset, type ProblemTypeNode } from './presets';

/**
 * Resolves a preset's 'MM-DD' windows into dates from `year` on, in plan order:
 * a date earlier in the year than the one before it falls in the next year
 * (干汊河: 排查 12-01…01-01, then 整改落实 01-11…06-30 of the following year).
 */
function presetPhases(preset: CampaignPreset, year: number): CampaignPhase[] {
  let last = `${year}-01-01`;
  const next = (monthDay: string | null): string | null => {
    if (!monthDay) return null;
    let date = `${last.slice(0, 4)}-${monthDay}`;
    if (date < last) date = `${Number(last.slice(0, 4)) + 1}-${monthDay}`;
    last = date;
    return date;
  };
  return preset.phases.map((p) => {
    const startDate = next(p.startMonthDay);
    return { kind: p.kind, name: p.name, startDate, endDate: next(p.endMonthDay) };
  });
}

function toTree(nodes: ProblemTypeDto[] | readonly ProblemTypeNode[]): ProblemTypeNode[] {
  return nodes.map((n) => ({
    code: n.code,
    name: n.name,
    ...(n.description ? { description: n.description } : {}),
    ...(n.aliases?.length ? { aliases: [...n.aliases] } : {}),
    ...(n.responsibleUnits?.length ? { responsibleUnits: [...n.responsibleUnits] } : {}),
    ...(n.children?.length ? { children: toTree(n.children) } : {}),
  }));
}

@Injectable()
export class CampaignsService {
  constructor(
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    private readonly signatures: SignaturesService,
    private readonly idempotency: IdempotencyService,
    private readonly scope: ScopeService,
    private readonly runner: WorkflowRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  presets(): readonly CampaignPreset[] {
    return CAMPAIGN_PRESETS;
  }

  /**
   * The county office creates county campaigns; a township leader creates a
   * campaign of their own township (干汊河's plan is a township's), which they
   * run and whose items lie only in their township.
   */
  async create(user: AuthUser, dto: CreateCampaignDto, request: IdempotentRequest): Promise<CampaignResponse> {
    // The route allows the same two roles; advancing and archiving are the campaign machine's guards.
    if (!hasRole(user, 'county_office', 'township_leader')) throw DomainError.forbidden('只有县巩固办或乡镇分管负责人可以新建专项行动');
    const townshipId = hasRole(user, 'county_office') ? null : (await this.scope.workflowActor(user)).townshipId;
    if (!hasRole(user, 'county_office') && !townshipId) throw DomainError.forbidden('乡镇分管负责人须属于乡镇才能新建本乡镇的专项行动');
    const preset = dto.preset ? findPreset(dto.preset) : undefined;
    const year = dto.year ?? Number(this.clock.today().slice(0, 4));
    const phases: CampaignPhase[] = dto.phases
      ? dto.phases.map((p) => ({ kind: p.kind, name: p.name, startDate: p.startDate ?? null, endDate: p.endDate ?? null }))
      : preset
        ? presetPhases(preset, year)
        : [];
    if (phases.length === 0) throw DomainError.validation('phases', 'phases 不能为空（或指定 preset）');
    const problemTypes = dto.problemTypes ? toTree(dto.problemTypes) : preset ? toTree(preset.problemTypes) : [];
    if (problemTypes.length === 0) throw DomainError.validation('problemTypes', 'problemTypes 不能为空（或指定 preset）');
    const codes = flattenProblemTypes(problemTypes).map((t) => t.code);
    const dup = codes.find((c, i) => codes.indexOf(c) !== i);
    if (dup) throw DomainError.validation('problemTypes', `problemTypes 中的编码 ${dup} 重复`);
    for (const [i, p] of phases.entries()) {
      if (p.startDate && p.endDate && p.endDate < p.startDate) throw DomainError.validation(`phases.${i}.endDate`, `phases.${i}.endDate 早于开始日期`);
    }

    return this.idempotency.run(user, request, async (tx) => {
      const departments = await tx.find(OrgUnit, { where: { countyId: user.countyId, kind: 'department' } });
      const sectors = dto.sectors ? checkedSectors(dto.sectors, problemTypes, departments) : defaultSectors(problemTypes, departments);
      const id = randomUUID();
      const snapshot = createCampaignSnapshot({ id, countyId: user.countyId, townshipId, phases });
      const row = tx.create(Campaign, {
        id,
        countyId: user.countyId,
        townshipId,
        title: dto.title.trim(),
        docNumber: dto.docNumber.trim(),
        presetKey: preset?.key ?? null,
        phases,
        problemTypes,
        sectors,
        workflowId: CAMPAIGN_WORKFLOW.id,
        workflowVersion: CAMPAIGN_WORKFLOW.version,
        state: campaignStateName(snapshot),
        phaseIndex: snapshot.context.phaseIndex,
        snapshot: toStored(snapshot) as unknown as Record<string, unknown>,
        version: 1,
        itemSeq: 0,
        createdById: user.id,
      });
      await tx.insert(Campaign, row as QueryDeepPartialEntity<Campaign>);
      return mapCampaign(await tx.findOneOrFail(Campaign, { where: { id }, relations: { township: true } }), this.clock.today());
    });
  }

  async list(user: AuthUser): Promise<Campaign[]> {
    const scope = await this.scope.scopeOf(user);
    const rows = await this.campaigns.find({ where: { countyId: user.countyId }, relations: { township: true }, order: { createdAt: 'DESC' } });
    return rows.filter((c) => isCampaignVisible(c, scope));
  }

  /**
   * County campaigns are seen by every user of the county; a township's own
   * campaign by the county's county-level units and the users of that township
   * (and the inspectors covering it). Otherwise, and in other counties, 404.
   */
  async findOrThrow(user: AuthUser, id: string, manager: EntityManager = this.campaigns.manager, scope?: Scope): Promise<Campaign> {
    const c = await manager.findOne(Campaign, { where: { id, countyId: user.countyId }, relations: { township: true } });
    if (!c || !isCampaignVisible(c, scope ?? (await this.scope.scopeOf(user)))) throw DomainError.notFound('专项行动');
    return c;
  }

  /** Replaces the campaign's sector mapping (行业排查); only whoever runs the campaign may, and not once it is archived. */
  async setSectors(user: AuthUser, id: string, sectors: SectorDto[], request: IdempotentRequest): Promise<CampaignResponse> {
    const caller = await this.scope.caller(user);
    return this.idempotency.run(user, request, async (tx) => {
      const c = await this.findOrThrow(user, id, tx, caller.scope);
      if (!isCampaignRunner({ countyId: c.countyId, townshipId: c.townshipId }, caller.actor)) {
        throw DomainError.forbidden(c.townshipId ? '只有本乡镇的分管负责人可以设置该专项行动的行业分工' : '只有县巩固办可以设置专项行动的行业分工');
      }
      // An archived campaign is read-only (its machine is done).
      if (campaignSnapshot(c).status !== 'active') throw transitionRefused('invalid_state', c.state, []);
      const departments = await tx.find(OrgUnit, { where: { countyId: user.countyId, kind: 'department' } });
      const checked = checkedSectors(sectors, c.problemTypes, departments);
      // A new version, so that cached definitions (CampaignDefinitions) are never stale.
      await tx.update(Campaign, { id: c.id }, { sectors: checked, version: () => 'version + 1' } as QueryDeepPartialEntity<Campaign>);
      // Who may record what is access control: the change is audited with the mapping before and after.
      await this.audit.record(user, 'campaign.sectors_changed', 'campaign', c.id, { before: c.sectors, after: checked }, tx);
      return mapCampaign(await tx.findOneOrFail(Campaign, { where: { id: c.id }, relations: { township: true } }), this.clock.today());
    });
  }

  async availableActions(user: AuthUser, c: Campaign): Promise<CampaignAction[]> {
    const actor = await this.scope.workflowActor(user);
    // The real count: ADVANCE_PHASE is not available while open items keep the campaign out of summary.
    const blockingItemCount = CAMPAIGN_PHASED_STATES.includes(c.state as CampaignStateName) ? await this.blockingItemCount(this.campaigns.manager, c.id) : 0;
    return availableCampaignEvents(campaignSnapshot(c), actor, this.env(), { blockingItemCount }).filter(isCampaignAction);
  }

  /** START from draft, ADVANCE_PHASE while running; signed by the county office. */
  advance(user: AuthUser, id: string, dto: CampaignEventDto, request: IdempotentRequest): Promise<CampaignResponse> {
    return this.transition(user, id, dto, request, async (c, tx) => {
      if (advanceEventType(campaignSnapshot(c)) === 'START') return { type: 'START' };
      return { type: 'ADVANCE_PHASE', blockingItemCount: await this.blockingItemCount(tx, c.id) };
    });
  }

  archive(user: AuthUser, id: string, dto: CampaignEventDto, request: IdempotentRequest): Promise<CampaignResponse> {
    return this.transition(user, id, dto, request, async () => ({ type: 'ARCHIVE' }));
  }

  /** Items that keep a campaign from entering its summary phase: open and not carried over as long-term. */
  private async blockingItemCount(tx: EntityManager, campaignId: string): Promise<number> {
    return tx.count(ProblemItem, { where: { campaignId, state: In(OPEN_STATES as string[]), longTerm: false } });
  }

  private env() {
    return { now: this.clock.now().toISOString(), phase: null };
  }

  /** Loads the campaign in the caller's county (404 otherwise) and runs the event through the workflow engine. */
  private async transition(
    user: AuthUser,
    id: string,
    dto: CampaignEventDto,
    request: IdempotentRequest,
    buildEvent: (c: Campaign, tx: EntityManager) => Promise<Omit<CampaignEvent, 'actor' | 'env'>>,
  ): Promise<CampaignResponse> {
    const caller = await this.scope.caller(user);
    return this.idempotency.run(user, request, async (tx) => {
      const c = await this.findOrThrow(user, id, tx, caller.scope);
      const event = { ...(await buildEvent(c, tx)), actor: caller.actor, env: this.env() } as CampaignEvent;
      const t = await this.runner.run({ ...caller, tx }, CAMPAIGN_LIFECYCLE, c, event, { comment: dto.comment ?? null });
      return mapCampaign({ ...t.after, township: c.township }, this.clock.today());
    });
  }

  async signatureChain(user: AuthUser, id: string) {
    const c = await this.findOrThrow(user, id);
    return this.signatures.chain(c.id);
  }
}

/** A sector mapping as given: every code of the taxonomy, every department of the county (400 naming the entry otherwise). */
function checkedSectors(
  sectors: SectorDto[],
  problemTypes: readonly ProblemTypeNode[],
  departments: ReadonlyArray<{ id: string; name: string }>,
): CampaignSector[] {
  const codes = new Set(flattenProblemTypes(problemTypes).map((t) => t.code));
  const departmentIds = new Set(departments.map((d) => d.id));
  const merged = new Map<string, Set<string>>();
  sectors.forEach((s, i) => {
    if (!codes.has(s.problemTypeCode)) {
      throw DomainError.validation(`sectors.${i}.problemTypeCode`, `sectors.${i}.problemTypeCode「${s.problemTypeCode}」不是该专项行动的问题类型`);
    }
    const unknown = s.departmentIds.find((d) => !departmentIds.has(d));
    if (unknown) throw DomainError.validation(`sectors.${i}.departmentIds`, `sectors.${i}.departmentIds 中的「${unknown}」不是本县的县直部门`);
    const set = merged.get(s.problemTypeCode) ?? new Set<string>();
    s.departmentIds.forEach((d) => set.add(d));
    merged.set(s.problemTypeCode, set);
  });
  return [...merged].filter(([, ids]) => ids.size > 0).map(([problemTypeCode, ids]) => ({ problemTypeCode, departmentIds: [...ids] }));
}
