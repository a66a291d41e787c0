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
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { ProblemItem } from '../items/problem-item.entity';
import { ScopeService } from '../orgs/scope.service';
import { SignaturesService } from '../signatures/signatures.service';
import { toStored } from '../workflow-engine/snapshots';
import { WorkflowRunner } from '../workflow-engine/workflow-runner';
import { CAMPAIGN_LIFECYCLE } from './campaign-lifecycle';
import { Campaign } from './campaign.entity';
import { campaignSnapshot } from './campaign-snapshot';
import { mapCampaign } from './campaign.mapper';
import { CampaignAction, CampaignResponse, isCampaignAction } from './campaign.response';
import { CampaignEventDto, CreateCampaignDto, ProblemTypeDto } from './dto/create-campaign.dto';
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
  ) {}

  presets(): readonly CampaignPreset[] {
    return CAMPAIGN_PRESETS;
  }

  async create(user: AuthUser, dto: CreateCampaignDto, request: IdempotentRequest): Promise<CampaignResponse> {
    // The route allows only county_office too; advancing and archiving are the campaign machine's guards.
    if (!hasRole(user, 'county_office')) throw DomainError.forbidden('只有县巩固办可以新建专项行动');
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
      const id = randomUUID();
      const snapshot = createCampaignSnapshot({ id, countyId: user.countyId, phases });
      const row = tx.create(Campaign, {
        id,
        countyId: user.countyId,
        title: dto.title.trim(),
        docNumber: dto.docNumber.trim(),
        presetKey: preset?.key ?? null,
        phases,
        problemTypes,
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
      return mapCampaign(await tx.findOneOrFail(Campaign, { where: { id } }));
    });
  }

  list(user: AuthUser): Promise<Campaign[]> {
    return this.campaigns.find({ where: { countyId: user.countyId }, order: { createdAt: 'DESC' } });
  }

  /** Campaigns are county-wide: every user of the county sees them; other counties get 404. */
  async findOrThrow(user: AuthUser, id: string, manager: EntityManager = this.campaigns.manager): Promise<Campaign> {
    const c = await manager.findOne(Campaign, { where: { id, countyId: user.countyId } });
    if (!c) throw DomainError.notFound('专项行动');
    return c;
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
      const c = await this.findOrThrow(user, id, tx);
      const event = { ...(await buildEvent(c, tx)), actor: caller.actor, env: this.env() } as CampaignEvent;
      const t = await this.runner.run({ ...caller, tx }, CAMPAIGN_LIFECYCLE, c, event, { comment: dto.comment ?? null });
      return mapCampaign(t.after);
    });
  }

  async signatureChain(user: AuthUser, id: string) {
    const c = await this.findOrThrow(user, id);
    return this.signatures.chain(c.id);
  }
}
