import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  applyEvent,
  availableEvents,
  createProblemItemSnapshot,
  currentPhaseKind,
  EVENT_PHASES,
  explainRefusal,
  hasPendingExtension,
  PROBLEM_ITEM_WORKFLOW,
  resolveMachine,
  SIGNATURE_KIND_BY_EVENT,
  stateName,
  type ProblemItemEvent,
  type ProblemItemEventType,
  type ProblemItemSnapshot,
  type WorkflowActor,
  type WorkflowEnv,
} from '../../workflows';
import { AttachmentsService } from '../attachments/attachments.service';
import { AuditService } from '../audit/audit.service';
import { AuthUser, hasRole } from '../auth/auth-user';
import { Campaign } from '../campaigns/campaign.entity';
import { campaignSnapshot } from '../campaigns/campaign-snapshot';
import { flattenProblemTypes } from '../campaigns/presets';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { AfterCommit } from '../database/unit-of-work';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgUnit } from '../orgs/org-unit.entity';
import { inScope, Scope, ScopeService } from '../orgs/scope.service';
import { EvidenceRef } from '../signatures/signature.entity';
import { SignaturesService } from '../signatures/signatures.service';
import { User } from '../users/user.entity';
import { fromStored, toStored, transitionRefused, versionConflict } from '../workflow-engine/snapshots';
import { CreateItemDto, ItemEventDto, ListItemsQuery, UpdateItemDto } from './dto/item.dto';
import { ITEM_STATE_LABELS, mapItem } from './item.mapper';
import { DiscardedItemResponse, ItemPageResponse, ItemWithActionsResponse } from './item.response';
import { ProblemItem } from './problem-item.entity';

/** Payload fields each event must carry; checked before the machine so a missing one is a 400 naming it. */
const REQUIRED: Partial<Record<ProblemItemEventType, Array<keyof ItemEventDto>>> = {
  RETURN: ['reason'],
  DISMISS: ['reason'],
  DENY_EXTENSION: ['reason'],
  REJECT_RECTIFICATION: ['reason'],
  REOPEN: ['reason'],
  REPORT_PROGRESS: ['comment'],
  SUBMIT_RECTIFICATION: ['comment', 'evidence'],
  REQUEST_EXTENSION: ['reason', 'newDeadline'],
  ESCALATE: ['toOrgUnitId', 'reason'],
  MARK_LONG_TERM: ['plan'],
};

/** The role a signature records for the signer, by event. */
const SIGNER_ROLE: Partial<Record<ProblemItemEventType, (u: AuthUser) => string>> = {
  SUBMIT: (u) => (hasRole(u, 'investigator') ? 'investigator' : u.roles[0]),
  SUBMIT_RECTIFICATION: () => 'rectifier',
  REQUEST_EXTENSION: () => 'rectifier',
  SPOT_CHECK_PASS: () => 'inspector',
  REOPEN: () => 'inspector',
};

const REVIEWER_ROLE = (u: AuthUser): string => (hasRole(u, 'county_office') ? 'county_office' : 'township_leader');

/** Roles that may record problems (排查): village/township cadres and 行业排查 by departments. */
const INVESTIGATING_ROLES = ['investigator', 'department_staff'] as const;

const PHASES_FOR_NEW_ITEMS = EVENT_PHASES.SUBMIT;

/**
 * Actions that are always open to someone while an item waits on another
 * person (a leader may escalate any rectifying item, a rectifier may note
 * progress): on their own they do not put an item in the inbox.
 */
const HOUSEKEEPING_ACTIONS: readonly ProblemItemEventType[] = ['EDIT', 'REPORT_PROGRESS', 'ESCALATE', 'MARK_LONG_TERM'];

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

export interface LoadedItem {
  item: ProblemItem;
  snapshot: ProblemItemSnapshot;
  campaign: Campaign;
}

export interface ItemDetails {
  items: ProblemItem[];
  typeName: (item: ProblemItem) => string | null;
}

export interface ItemPage {
  items: ProblemItem[];
  nextCursor: string | null;
}

/** An event as a caller gives it; the engine adds the actor and the environment. */
export type EventInput = Omit<ProblemItemEvent, 'actor' | 'env'> & Record<string, unknown>;

type TransitionBuilder = (
  loaded: LoadedItem,
  tx: EntityManager,
) => Promise<{ event: EventInput; evidence?: EvidenceRef[]; fields: QueryDeepPartialEntity<ProblemItem> }>;

/** What a new draft carries besides where it is; the ledger import adds the planned 整改责任人/时限 and the row fingerprint. */
export interface DraftFields {
  problemTypeCode: string;
  description: string;
  householdName?: string | null;
  householdIdNumber?: string | null;
  remark?: string | null;
  plannedRectifierName?: string | null;
  plannedDeadline?: string | null;
  importKey?: string | null;
}

@Injectable()
export class ItemsService {
  constructor(
    @InjectRepository(ProblemItem) private readonly items: Repository<ProblemItem>,
    private readonly scope: ScopeService,
    private readonly idempotency: IdempotencyService,
    private readonly signatures: SignaturesService,
    private readonly attachments: AttachmentsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  // ---------------------------------------------------------------- reading

  /** Every item route goes through here: outside the caller's scope an item does not exist (404). */
  async findVisibleOrThrow(user: AuthUser, id: string, manager: EntityManager = this.items.manager, scope?: Scope): Promise<ProblemItem> {
    scope ??= await this.scope.scopeOf(user);
    const qb = manager.createQueryBuilder(ProblemItem, 'i').where('i.id = :id', { id });
    this.applyVisibility(qb, user, scope);
    const item = await qb.getOne();
    if (!item) throw DomainError.notFound('问题');
    return item;
  }

  /**
   * Inside a transaction pass its manager and a scope computed before it
   * began: every query of a transaction must run on its connection.
   */
  async load(user: AuthUser, id: string, manager: EntityManager = this.items.manager, scope?: Scope): Promise<LoadedItem> {
    const item = await this.findVisibleOrThrow(user, id, manager, scope);
    const campaign = await manager.findOneByOrFail(Campaign, { id: item.campaignId });
    return { item, campaign, snapshot: itemSnapshot(item) };
  }

  env(campaign: Campaign): WorkflowEnv {
    return { now: this.clock.now().toISOString(), phase: currentPhaseKind(campaignSnapshot(campaign)) };
  }

  async availableActions(user: AuthUser, loaded: LoadedItem, actor?: WorkflowActor): Promise<ProblemItemEventType[]> {
    return availableEvents(loaded.snapshot, actor ?? (await this.scope.workflowActor(user)), this.env(loaded.campaign));
  }

  /** Loads what the response shows (relations, problem-type names) and records full ID views. */
  async withDetails(user: AuthUser, items: ProblemItem[], manager: EntityManager = this.items.manager, fullIds = seesFullIdNumbers(user)): Promise<ItemDetails> {
    if (items.length === 0) return { items, typeName: () => null };
    const rows = await manager.find(ProblemItem, {
      where: { id: In(items.map((i) => i.id)) },
      relations: { orgUnit: true, township: true, investigator: true, rectifier: true, responsibleOrgUnit: true },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const full = items.map((i) => byId.get(i.id)!);
    if (fullIds) {
      const shown = full.filter((i) => i.householdIdNumber).map((i) => i.id);
      if (shown.length) await this.audit.record(user, 'item.view_full_id', 'item', shown.length === 1 ? shown[0] : null, { itemIds: shown }, manager);
    }
    const campaigns = await manager.find(Campaign, { where: { id: In([...new Set(full.map((i) => i.campaignId))]) } });
    const names = new Map<string, string>();
    for (const c of campaigns) for (const t of flattenProblemTypes(c.problemTypes)) names.set(`${c.id}/${t.code}`, t.name);
    return { items: full, typeName: (i) => names.get(`${i.campaignId}/${i.problemTypeCode}`) ?? null };
  }

  /**
   * The response of a write, built inside its transaction. ID numbers stay
   * masked here: the answer is also stored for idempotent replays, and full
   * numbers are only for GET, where each view is audited.
   */
  private async present(user: AuthUser, loaded: LoadedItem, tx: EntityManager, actor?: WorkflowActor): Promise<ItemWithActionsResponse> {
    const details = await this.withDetails(user, [loaded.item], tx, false);
    const item = details.items[0];
    return mapItem(item, {
      fullIdNumber: false,
      overdue: this.isOverdue(item),
      problemTypeName: details.typeName(item),
      availableActions: await this.availableActions(user, loaded, actor),
    });
  }

  /** One item as GET shows it, with the caller's available actions. */
  async getOne(user: AuthUser, id: string): Promise<ItemWithActionsResponse> {
    const loaded = await this.load(user, id);
    const details = await this.withDetails(user, [loaded.item]);
    const item = details.items[0];
    return mapItem(item, {
      fullIdNumber: seesFullIdNumbers(user),
      overdue: this.isOverdue(item),
      problemTypeName: details.typeName(item),
      availableActions: await this.availableActions(user, loaded),
    });
  }

  async listPage(user: AuthUser, q: ListItemsQuery): Promise<ItemPageResponse> {
    const page = await this.list(user, q);
    const details = await this.withDetails(user, page.items);
    const full = seesFullIdNumbers(user);
    return {
      items: details.items.map((i) => mapItem(i, { fullIdNumber: full, overdue: this.isOverdue(i), problemTypeName: details.typeName(i) })),
      nextCursor: page.nextCursor,
    };
  }

  async inboxView(user: AuthUser): Promise<ItemWithActionsResponse[]> {
    const entries = await this.inbox(user);
    const details = await this.withDetails(user, entries.map((e) => e.item));
    const full = seesFullIdNumbers(user);
    return details.items.map((i, n) =>
      mapItem(i, { fullIdNumber: full, overdue: this.isOverdue(i), problemTypeName: details.typeName(i), availableActions: entries[n].actions }),
    );
  }

  async list(user: AuthUser, q: ListItemsQuery): Promise<ItemPage> {
    const limit = q.limit ?? 50;
    const qb = await this.visibleQuery(user, q);
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      qb.andWhere('(i.created_at, i.id) < (:cAt, :cId)', { cAt: at, cId: id });
    }
    const rows = await qb.orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /**
   * The items the caller can act on now, oldest deadline first. SQL narrows
   * to items where the caller has a relation; the machine decides.
   */
  async inbox(user: AuthUser): Promise<Array<{ item: ProblemItem; actions: ProblemItemEventType[] }>> {
    const scope = await this.scope.scopeOf(user);
    const actor = await this.scope.workflowActor(user);
    const qb = this.items.createQueryBuilder('i').innerJoinAndSelect('i.campaign', 'c').where("c.state = 'running'");
    this.applyVisibility(qb, user, scope);
    qb.andWhere(
      new Brackets((w) => {
        w.orWhere("i.investigator_id = :me AND i.state IN ('draft', 'returned', 'pending_review')", { me: user.id });
        w.orWhere("i.rectifier_id = :me AND i.state = 'rectifying'");
        if (actor.townshipId && hasRole(user, 'township_leader')) {
          w.orWhere("i.township_id = :tw AND i.review_level = 'township' AND i.state IN ('pending_review', 'rectifying', 'pending_acceptance')", { tw: actor.townshipId });
        }
        if (hasRole(user, 'county_office')) {
          w.orWhere("i.review_level = 'county' AND i.state IN ('pending_review', 'rectifying', 'pending_acceptance')");
        }
        if (actor.departmentId) {
          w.orWhere("i.responsible_org_unit_id = :dept AND i.rectifier_id IS NULL AND i.state = 'rectifying'", { dept: actor.departmentId });
        }
        if (hasRole(user, 'inspector') && actor.inspectionTownshipIds.length) {
          w.orWhere("i.township_id IN (:...cov) AND ((i.state = 'closed' AND NOT i.inspected) OR i.state = 'dismissed')", { cov: actor.inspectionTownshipIds });
        }
      }),
    );
    const rows = await qb.orderBy('i.deadline', 'ASC', 'NULLS LAST').addOrderBy('i.created_at', 'ASC').limit(500).getMany();
    const out: Array<{ item: ProblemItem; actions: ProblemItemEventType[] }> = [];
    for (const item of rows) {
      const actions = availableEvents(itemSnapshot(item), actor, this.env(item.campaign!));
      if (actions.some((a) => !HOUSEKEEPING_ACTIONS.includes(a))) out.push({ item, actions });
    }
    return out;
  }

  async signatureChain(user: AuthUser, id: string) {
    const item = await this.findVisibleOrThrow(user, id);
    return this.signatures.chain(item.id);
  }

  async verifyChain(user: AuthUser, id: string) {
    const item = await this.findVisibleOrThrow(user, id);
    return this.signatures.verify(item.id);
  }

  // ---------------------------------------------------------------- writing

  /** A new draft (草稿) of the caller, who becomes its investigator. */
  async create(user: AuthUser, dto: CreateItemDto, request: IdempotentRequest): Promise<ItemWithActionsResponse> {
    assertMayRecord(user);
    const scope = await this.scope.scopeOf(user);
    return this.idempotency.run(user, request, async (tx) => {
      const campaign = await tx.findOne(Campaign, { where: { id: dto.campaignId, countyId: user.countyId } });
      if (!campaign) throw DomainError.validation('campaignId', 'campaignId 所指的专项行动不存在');
      const unit = await tx.findOne(OrgUnit, { where: { id: dto.orgUnitId, countyId: user.countyId } });
      return this.present(user, await this.createWithin(tx, user, scope, campaign, unit, dto), tx);
    });
  }

  /**
   * A new draft inside the caller's transaction, with create()'s checks and
   * numbering; batch writers (the ledger import) call it once per row. `scope`
   * must be computed before the transaction began.
   */
  async createWithin(tx: EntityManager, user: AuthUser, scope: Scope, campaign: Campaign, unit: OrgUnit | null, dto: DraftFields): Promise<LoadedItem> {
    assertOpenForNewItems(campaign);
    assertProblemType(campaign, dto.problemTypeCode);
    const refused = unit ? recordingRefusal(user, scope, unit) : 'out_of_scope';
    if (refused || !unit) throw DomainError.validation('orgUnitId', RECORDING_REFUSAL_MESSAGES[refused ?? 'out_of_scope']);
    // Numbers (序号) come from the campaign row; its row lock serialises concurrent creations.
    const seq: unknown = await tx.query('UPDATE campaigns SET item_seq = item_seq + 1 WHERE id = $1 RETURNING item_seq', [campaign.id]);
    const seqRows = (Array.isArray(seq) && Array.isArray(seq[0]) ? seq[0] : seq) as Array<{ item_seq: number }>;
    const number = seqRows[0].item_seq;
    const id = randomUUID();
    const [, townshipId] = unit.path.split('/').filter(Boolean);
    const inTownship = unit.kind === 'village' || unit.kind === 'township';
    const snapshot = createProblemItemSnapshot({
      id,
      campaignId: campaign.id,
      countyId: user.countyId,
      orgUnitId: unit.id,
      townshipId: inTownship ? townshipId : null,
      reviewLevel: inTownship ? 'township' : 'county',
      investigatorId: user.id,
    });
    const now = this.clock.now();
    const row: QueryDeepPartialEntity<ProblemItem> = {
      id,
      countyId: user.countyId,
      campaignId: campaign.id,
      number,
      orgUnitId: unit.id,
      orgUnitPath: unit.path,
      townshipId: inTownship ? townshipId : null,
      problemTypeCode: dto.problemTypeCode,
      description: dto.description,
      householdName: dto.householdName || null,
      householdIdNumber: dto.householdIdNumber || null,
      remark: dto.remark ?? null,
      plannedRectifierName: dto.plannedRectifierName || null,
      plannedDeadline: dto.plannedDeadline || null,
      importKey: dto.importKey ?? null,
      investigatorId: user.id,
      workflowId: PROBLEM_ITEM_WORKFLOW.id,
      workflowVersion: PROBLEM_ITEM_WORKFLOW.version,
      snapshot: toStored(snapshot) as never,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...projections(snapshot),
    };
    await tx.insert(ProblemItem, row);
    return this.load(user, id, tx, scope);
  }

  /** EDIT while draft or returned: the machine decides whether the caller may. */
  async update(user: AuthUser, id: string, dto: UpdateItemDto, request: IdempotentRequest): Promise<ItemWithActionsResponse> {
    const result = await this.transition(user, id, request, async (loaded) => {
      if (dto.problemTypeCode !== undefined) assertProblemType(loaded.campaign, dto.problemTypeCode);
      return {
        event: { type: 'EDIT', ...(dto.measures !== undefined ? { measures: dto.measures } : {}) },
        fields: {
          ...(dto.problemTypeCode !== undefined ? { problemTypeCode: dto.problemTypeCode } : {}),
          ...(dto.description !== undefined ? { description: dto.description } : {}),
          ...(dto.householdName !== undefined ? { householdName: dto.householdName || null } : {}),
          ...(dto.householdIdNumber !== undefined ? { householdIdNumber: dto.householdIdNumber || null } : {}),
          ...(dto.remark !== undefined ? { remark: dto.remark || null } : {}),
        },
      };
    });
    // EDIT never leaves a draft or returned item, so it never discards one.
    if ('deleted' in result) throw new Error('EDIT discarded an item');
    return result;
  }

  /** Any lifecycle event, signed where the domain says so. */
  async applyEvent(user: AuthUser, id: string, dto: ItemEventDto, request: IdempotentRequest): Promise<ItemWithActionsResponse | DiscardedItemResponse> {
    return this.transition(user, id, request, async (loaded, tx) => {
      const missing = (REQUIRED[dto.type] ?? []).filter((f) => blank(dto[f]));
      if (dto.type === 'CONFIRM' && !loaded.snapshot.context.fixedOnSite) {
        missing.push(...(['measures', 'rectifierId', 'deadline'] as const).filter((f) => blank(dto[f])));
      }
      if (dto.type === 'REOPEN' && loaded.item.state === 'closed' && blank(dto.deadline)) missing.push('deadline');
      if (dto.type === 'SUBMIT' && dto.fixedOnSite && blank(dto.measures) && blank(loaded.snapshot.context.measures)) missing.push('measures');
      if (missing.length) {
        throw new DomainError(
          'VALIDATION_FAILED',
          `请求参数有误：${missing.join('、')}`,
          missing.map((f) => ({ field: f, message: `${f}不能为空` })),
        );
      }
      const today = this.clock.today();
      for (const f of ['deadline', 'newDeadline'] as const) {
        if (dto[f] && dto[f]! <= today) throw DomainError.validation(f, `${f} 必须晚于今天（${today}）`);
      }
      if (dto.newDeadline && loaded.item.deadline && dto.newDeadline <= loaded.item.deadline) {
        throw DomainError.validation('newDeadline', `newDeadline 必须晚于当前整改时限（${loaded.item.deadline}）`);
      }
      if (dto.rectifierId) await this.assertRectifier(tx, user, dto.rectifierId);
      if (dto.toOrgUnitId) await this.assertEscalationTarget(tx, user, dto.toOrgUnitId);
      const evidence = dto.evidence ? await this.attachments.evidenceRefs(user.countyId, dto.evidence, tx) : [];
      const { type, evidence: _ids, ...payload } = dto;
      return {
        event: { type, ...payload, ...(dto.evidence ? { evidence: dto.evidence } : {}) },
        evidence,
        fields: {},
      };
    });
  }

  /**
   * The one code path for every event: load the row, ask the machine, then in
   * the same transaction write the snapshot with a conditional update on the
   * version (a lost race is a 409 and writes nothing), append the signature,
   * and queue the effects the machine returned for after the commit.
   */
  private async transition(
    user: AuthUser,
    id: string,
    request: IdempotentRequest,
    build: TransitionBuilder,
  ): Promise<ItemWithActionsResponse | DiscardedItemResponse> {
    const actor = await this.scope.workflowActor(user);
    const scope = await this.scope.scopeOf(user);
    return this.idempotency.run(user, request, async (tx, afterCommit): Promise<ItemWithActionsResponse | DiscardedItemResponse> => {
      const { loaded, discarded } = await this.transitionWithin(tx, afterCommit, user, actor, scope, id, build);
      if (discarded) {
        return { id: loaded.item.id, number: loaded.item.number, state: 'discarded', stateLabel: ITEM_STATE_LABELS.discarded, deleted: true };
      }
      return this.present(user, loaded, tx, actor);
    });
  }

  /**
   * One event on one item inside the caller's transaction, through the same
   * path as every API event; batch writers (the ledger import) use it. `actor`
   * and `scope` must be computed before the transaction began.
   */
  async applyWithin(tx: EntityManager, afterCommit: AfterCommit, user: AuthUser, actor: WorkflowActor, scope: Scope, id: string, event: EventInput): Promise<LoadedItem> {
    return (await this.transitionWithin(tx, afterCommit, user, actor, scope, id, async () => ({ event, fields: {} }))).loaded;
  }

  private async transitionWithin(
    tx: EntityManager,
    afterCommit: AfterCommit,
    user: AuthUser,
    actor: WorkflowActor,
    scope: Scope,
    id: string,
    build: TransitionBuilder,
  ): Promise<{ loaded: LoadedItem; discarded: boolean }> {
    const loaded = await this.load(user, id, tx, scope);
    const { item, snapshot: before, campaign } = loaded;
    const env = this.env(campaign);
    const spec = await build(loaded, tx);
    const event = { ...spec.event, actor, env } as ProblemItemEvent;
    const machine = resolveMachine('problem-item', item.workflowVersion);
    const result = applyEvent(machine, before, event);
    if (!result.accepted) {
      throw transitionRefused(explainRefusal(before, event), item.state, availableEvents(before, actor, env));
    }
    const next = result.snapshot;
    const stateAfter = stateName(next);
    const guard = { id: item.id, version: item.version };
    if (stateAfter === 'discarded') {
      // 草稿作废: an unsigned draft leaves no trace worth keeping.
      const deleted = await tx.createQueryBuilder().delete().from(ProblemItem).where('id = :id AND version = :version', guard).execute();
      if (deleted.affected !== 1) throw versionConflict();
      return { loaded, discarded: true };
    }
    const now = this.clock.now();
    const updated = await tx
      .createQueryBuilder()
      .update(ProblemItem)
      .set({
        ...spec.fields,
        ...projections(next),
        closedAt: stateAfter === 'closed' ? (item.state === 'closed' ? item.closedAt : now) : null,
        snapshot: toStored(next) as never,
        updatedAt: now,
        version: () => 'version + 1',
      })
      .where('id = :id AND version = :version', guard)
      .execute();
    if (updated.affected !== 1) throw versionConflict();

    const kind = SIGNATURE_KIND_BY_EVENT[event.type];
    if (kind) {
      const { actor: _a, env: _e, type: _t, comment, evidence: _ev, ...payload } = event as ProblemItemEvent & { comment?: string; evidence?: string[] };
      await this.signatures.append(tx, {
        countyId: item.countyId,
        subjectType: 'item',
        subjectId: item.id,
        kind,
        eventType: event.type,
        signer: {
          id: user.id,
          name: user.displayName,
          role: (SIGNER_ROLE[event.type] ?? REVIEWER_ROLE)(user),
          orgUnitId: user.orgUnitId,
          orgUnitName: user.orgUnitName,
        },
        comment: comment ?? null,
        payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown>,
        evidence: spec.evidence ?? [],
        stateBefore: item.state,
        stateAfter,
      });
    }
    const reloaded: LoadedItem = { campaign, snapshot: next, item: await tx.findOneByOrFail(ProblemItem, { id: item.id }) };
    this.queueEffects(afterCommit, result.actions.map((a) => a.type), reloaded.item);
    return { loaded: reloaded, discarded: false };
  }

  private queueEffects(afterCommit: AfterCommit, actions: string[], item: ProblemItem): void {
    if (actions.length) afterCommit(() => this.notifications.notifyForItem(actions, item));
  }

  private async assertRectifier(tx: EntityManager, user: AuthUser, rectifierId: string): Promise<void> {
    const rectifier = await tx.findOne(User, { where: { id: rectifierId, countyId: user.countyId, active: true } });
    if (!rectifier) throw DomainError.validation('rectifierId', 'rectifierId 所指的整改责任人不存在或已停用');
    if (rectifier.roles.some((r) => r === 'admin' || r === 'auditor')) {
      throw DomainError.validation('rectifierId', '系统管理员和审计员不能作为整改责任人');
    }
  }

  private async assertEscalationTarget(tx: EntityManager, user: AuthUser, orgUnitId: string): Promise<void> {
    const unit = await tx.findOne(OrgUnit, { where: { id: orgUnitId, countyId: user.countyId } });
    if (!unit || (unit.kind !== 'department' && unit.kind !== 'county')) {
      throw DomainError.validation('toOrgUnitId', 'toOrgUnitId 必须是本县的县直部门或县本级');
    }
  }

  // ---------------------------------------------------------------- queries

  /** The items GET /api/items would list (scope and filters, unpaged) as a query on alias `i`; the ledger export streams it. */
  async visibleQuery(user: AuthUser, q: ListItemsQuery): Promise<SelectQueryBuilder<ProblemItem>> {
    const scope = await this.scope.scopeOf(user);
    const qb = this.items.createQueryBuilder('i');
    this.applyVisibility(qb, user, scope);
    await this.applyFilters(qb, user, q);
    return qb;
  }

  /** Scope, plus the items a user is personally named on (their own findings and rectifications). */
  applyVisibility(qb: SelectQueryBuilder<ProblemItem>, user: AuthUser, scope: Scope): SelectQueryBuilder<ProblemItem> {
    qb.andWhere('i.county_id = :county', { county: scope.countyId });
    if (scope.wholeCounty) return qb;
    return qb.andWhere(
      new Brackets((w) => {
        w.where(this.scope.pathCondition('i.org_unit_path', scope));
        if (scope.departmentIds.length) w.orWhere('i.responsible_org_unit_id IN (:...depts)', { depts: scope.departmentIds });
        w.orWhere('i.rectifier_id = :viewer OR i.investigator_id = :viewer', { viewer: user.id });
      }),
    );
  }

  private async applyFilters(qb: SelectQueryBuilder<ProblemItem>, user: AuthUser, q: ListItemsQuery): Promise<void> {
    if (q.campaignId) qb.andWhere('i.campaign_id = :campaignId', { campaignId: q.campaignId });
    if (q.orgUnitId) {
      const unit = await this.items.manager.findOne(OrgUnit, { where: { id: q.orgUnitId, countyId: user.countyId } });
      if (!unit) throw DomainError.validation('orgUnitId', 'orgUnitId 所指的单位不存在');
      qb.andWhere('i.org_unit_path LIKE :unitPath', { unitPath: `${unit.path}%` });
    }
    if (q.state?.length) qb.andWhere('i.state IN (:...states)', { states: q.state });
    if (q.problemType) {
      let codes = [q.problemType];
      if (q.campaignId) {
        const campaign = await this.items.manager.findOne(Campaign, { where: { id: q.campaignId, countyId: user.countyId } });
        if (campaign) codes = problemTypeWithDescendants(campaign, q.problemType);
      }
      qb.andWhere('i.problem_type_code IN (:...codes)', { codes });
    }
    if (q.overdue !== undefined) {
      qb.andWhere(q.overdue ? OVERDUE_SQL : `NOT (${OVERDUE_SQL})`, { today: this.clock.today() });
    }
    if (q.rectifierId) qb.andWhere('i.rectifier_id = :rectifierId', { rectifierId: q.rectifierId });
    if (q.reopened !== undefined) qb.andWhere(q.reopened ? 'i.reopen_count > 0' : 'i.reopen_count = 0');
    if (q.q) {
      qb.andWhere(
        "(i.description ILIKE :q OR i.measures ILIKE :q OR i.household_name ILIKE :q OR i.remark ILIKE :q)",
        { q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` },
      );
    }
  }

  isOverdue(item: ProblemItem): boolean {
    return item.state === 'rectifying' && !!item.deadline && item.deadline < this.clock.today();
  }
}

/** Overdue (超期) is computed, never stored: rectifying past its deadline, by China's calendar. */
export const OVERDUE_SQL = "(i.state = 'rectifying' AND i.deadline < :today)";

/** Only investigating roles record problems (排查), in create() and in the ledger import alike. */
export function assertMayRecord(user: AuthUser): void {
  if (!hasRole(user, ...INVESTIGATING_ROLES)) throw DomainError.forbidden('只有排查人员（村、乡镇排查人或县直部门）可以登记问题');
}

/** New items may be recorded only in the phases that allow SUBMIT (排查, 整改, 提升). */
export function assertOpenForNewItems(campaign: Campaign): void {
  const phase = currentPhaseKind(campaignSnapshot(campaign));
  if (!phase || !PHASES_FOR_NEW_ITEMS.includes(phase)) throw transitionRefused('phase_closed', campaign.state, []);
}

export type RecordingRefusal = 'out_of_scope' | 'not_recordable_unit' | 'other_department';

const RECORDING_REFUSAL_MESSAGES: Record<RecordingRefusal, string> = {
  out_of_scope: 'orgUnitId 不在您的排查范围内',
  not_recordable_unit: 'orgUnitId 必须是行政村、乡镇或县直部门',
  other_department: '行业排查的问题只能登记在本部门',
};

/** Why `user` may not record a problem at `unit`, or null: within scope, at a village, a township or their own department. */
export function recordingRefusal(user: AuthUser, scope: Scope, unit: OrgUnit): RecordingRefusal | null {
  if (!inScope(scope, unit.path)) return 'out_of_scope';
  if (!['village', 'township', 'department'].includes(unit.kind)) return 'not_recordable_unit';
  if (unit.kind === 'department' && unit.id !== user.orgUnitId) return 'other_department';
  return null;
}

export function seesFullIdNumbers(user: AuthUser): boolean {
  return hasRole(user, 'county_office');
}

export function itemSnapshot(item: ProblemItem): ProblemItemSnapshot {
  return fromStored(resolveMachine('problem-item', item.workflowVersion), item.snapshot);
}

/** Columns mirrored from the machine context, written with every snapshot. */
function projections(s: ProblemItemSnapshot): QueryDeepPartialEntity<ProblemItem> {
  const c = s.context;
  return {
    state: stateName(s),
    reviewLevel: c.reviewLevel,
    measures: c.measures,
    rectifierId: c.rectifierId,
    responsibleOrgUnitId: c.responsibleOrgUnitId,
    deadline: c.deadline ? c.deadline.slice(0, 10) : null,
    fixedOnSite: c.fixedOnSite,
    extensionRequested: stateName(s) === 'rectifying' && hasPendingExtension(s),
    reopenCount: c.reopenCount,
    inspected: c.inspected,
    longTerm: c.longTerm,
    ...(c.longTermPlan !== null ? { longTermPlan: c.longTermPlan } : {}),
  };
}

function assertProblemType(campaign: Campaign, code: string): void {
  if (!flattenProblemTypes(campaign.problemTypes).some((t) => t.code === code)) {
    throw DomainError.validation('problemTypeCode', `problemTypeCode「${code}」不是该专项行动的问题类型`);
  }
}

function problemTypeWithDescendants(campaign: Campaign, code: string): string[] {
  const flat = flattenProblemTypes(campaign.problemTypes);
  const codes = flat.filter((t) => t.code === code || t.codePath.includes(code)).map((t) => t.code);
  return codes.length ? codes : [code];
}

function encodeCursor(i: ProblemItem): string {
  return Buffer.from(`${i.createdAt.toISOString()}|${i.id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^[0-9a-f-]{36}$/.test(id)) throw DomainError.validation('cursor', 'cursor 无效');
  return [at, id];
}
