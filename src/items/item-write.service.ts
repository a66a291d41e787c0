import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  availableEvents,
  currentPhaseKind,
  EVENT_PHASES,
  PROBLEM_ITEM_STATE_LABELS,
  type ProblemItemEvent,
  type ProblemItemEventOf,
  type ProblemItemEventType,
} from '../../workflows';
import { AttachmentsService } from '../attachments/attachments.service';
import { AuthUser, hasRole } from '../auth/auth-user';
import { SIGNING_ROLES } from '../auth/roles';
import { Campaign } from '../campaigns/campaign.entity';
import { campaignSnapshot } from '../campaigns/campaign-snapshot';
import { flattenProblemTypes } from '../campaigns/presets';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { validationFailed } from '../common/pipes/validation.pipe';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { OrgUnit } from '../orgs/org-unit.entity';
import { inScope, Scope, ScopeService } from '../orgs/scope.service';
import { EvidenceRef } from '../signatures/signature.entity';
import { User } from '../users/user.entity';
import { UserDirectory } from '../users/user-directory';
import type { RequestContext } from '../workflow-engine/request-context';
import { transitionRefused } from '../workflow-engine/snapshots';
import { RunOptions, WorkflowRunner } from '../workflow-engine/workflow-runner';
import { CreateItemDto, UpdateItemDto } from './dto/item.dto';
import { ITEM_EVENT_FIELD_LABELS, itemEventProblems, type ItemEventPayload } from './dto/item-event.payloads';
import { draftItem, isSectorRecorder, type DraftFields } from './item-draft';
import { sectorTypeCodes } from '../campaigns/campaign-sectors';
import { isCampaignVisible } from '../campaigns/campaign-visibility';
import { isRectifierUnit, rectifierUnits, rectifierUnitsMessage } from './rectifier-choice';
import { ITEM_LIFECYCLE } from './item-lifecycle';
import { ItemReadService, LoadedItem } from './item-read.service';
import { CreatedItemResponse, DiscardedItemResponse, ItemWithActionsResponse } from './item.response';
import { ProblemItem } from './problem-item.entity';
import { itemEvents } from '../reports/item-histories';
import { historyTallies, negated, tallyOwner, type TallyRow } from '../reports/report-tally';
import { residentIdIndex } from '../common/crypto/resident-id-keys';

/** Roles that may record problems (排查): village/township cadres and 行业排查 by departments. */
const INVESTIGATING_ROLES = ['investigator', 'department_staff'] as const;

const PHASES_FOR_NEW_ITEMS = EVENT_PHASES.SUBMIT;

/**
 * How an event writes: the engine's one transition statement (atomic by
 * itself, so it needs no transaction unless an Idempotency-Key's record
 * shares it), or that and more (evidence marked cited), in a transaction.
 */
const ONE_STATEMENT = 'one statement';
const SEVERAL_STATEMENTS = 'several statements';
type Writes = typeof ONE_STATEMENT | typeof SEVERAL_STATEMENTS;

/** An event as a caller gives it (any type, EDIT included); the engine adds the actor and the environment. */
export type EventInput = { [K in ProblemItemEventType]: Omit<ProblemItemEventOf<K>, 'actor' | 'env'> }[ProblemItemEventType];

/** What a feature adds to an event: the item's own fields it changes, evidence, and the people and units it names (for the answer). */
interface TransitionSpec {
  event: EventInput;
  fields?: Partial<ProblemItem>;
  evidence?: EvidenceRef[];
  named?: { users?: User[]; orgUnits?: OrgUnit[] };
  /** Report tallies moved besides the event's own. */
  tallies?: TallyRow[];
}

/**
 * The write side of problem items: new drafts and every lifecycle event, each
 * in one transaction through the workflow engine, answered from what that
 * transaction already holds.
 */
@Injectable()
export class ItemWriteService {
  constructor(
    private readonly reads: ItemReadService,
    private readonly scope: ScopeService,
    private readonly idempotency: IdempotencyService,
    private readonly attachments: AttachmentsService,
    private readonly runner: WorkflowRunner,
    private readonly directory: UserDirectory,
    private readonly clock: Clock,
  ) {}

  /** A new draft (草稿) of the caller, who becomes its investigator. */
  async create(user: AuthUser, dto: CreateItemDto, request: IdempotentRequest): Promise<CreatedItemResponse> {
    assertMayRecord(user);
    const caller = await this.scope.caller(user);
    return this.idempotency.run(user, request, async (tx) => {
      const campaign = await tx.findOne(Campaign, { where: { id: dto.campaignId, countyId: user.countyId } });
      // Another township's own campaign does not exist for the caller.
      if (!campaign || !isCampaignVisible(campaign, caller.scope)) throw DomainError.validation('campaignId', 'campaignId 所指的专项行动不存在');
      const unit = await tx.findOne(OrgUnit, { where: { id: dto.orgUnitId, countyId: user.countyId } });
      const created = await this.createWithin({ ...caller, tx }, campaign, unit, dto);
      const loaded = await this.reads.loadOrThrow(user, created.item.id, { manager: tx, scope: caller.scope });
      const duplicates = await this.reads.householdDuplicates(user, caller.scope, { ...created.item, exceptId: created.item.id }, tx);
      return { ...(await this.reads.present(user, loaded, caller.actor, tx, false)), duplicates };
    });
  }

  /**
   * A new draft inside the caller's transaction, with create()'s checks and
   * numbering (the ledger import numbers and builds its drafts in batches,
   * with the same draftItem). The answer is the row as inserted (without
   * relations).
   */
  async createWithin(ctx: RequestContext, campaign: Campaign, unit: OrgUnit | null, dto: DraftFields): Promise<LoadedItem> {
    const { user, tx } = ctx;
    assertOpenForNewItems(campaign);
    assertProblemType(campaign, dto.problemTypeCode);
    const refused = unit ? (recordingRefusal(user, ctx.scope, unit) ?? campaignPlaceRefusal(campaign, unit)) : 'out_of_scope';
    if (refused || !unit) throw DomainError.validation('orgUnitId', RECORDING_REFUSAL_MESSAGES[refused ?? 'out_of_scope']);
    assertSectorType(user, campaign, unit, dto.problemTypeCode);
    // Numbers (序号) come from the campaign row; its row lock serialises concurrent creations.
    const seq: unknown = await tx.query('UPDATE campaigns SET item_seq = item_seq + 1 WHERE id = $1 RETURNING item_seq', [campaign.id]);
    const seqRows = (Array.isArray(seq) && Array.isArray(seq[0]) ? seq[0] : seq) as Array<{ item_seq: number }>;
    const { item, snapshot } = draftItem(user, campaign, unit, dto, seqRows[0].item_seq, this.clock.now());
    await tx.insert(ProblemItem, item as QueryDeepPartialEntity<ProblemItem>);
    return { item, snapshot, campaign };
  }

  /** EDIT while draft or returned: the machine decides whether the caller may. */
  async update(user: AuthUser, id: string, dto: UpdateItemDto, request: IdempotentRequest): Promise<ItemWithActionsResponse> {
    const result = await this.transition(user, id, request, ONE_STATEMENT, async (loaded, ctx) => {
      if (dto.problemTypeCode !== undefined) {
        assertProblemType(loaded.campaign, dto.problemTypeCode);
        if (loaded.item.sectorDepartmentId && isHouseholdPlace(loaded.item.orgUnit!)) {
          assertSectorTypeOf(loaded.item.sectorDepartmentId, loaded.campaign, dto.problemTypeCode);
        }
      }
      return {
        event: { type: 'EDIT', ...(dto.measures !== undefined ? { measures: dto.measures } : {}) },
        fields: {
          ...(dto.problemTypeCode !== undefined ? { problemTypeCode: dto.problemTypeCode } : {}),
          ...(dto.description !== undefined ? { description: dto.description } : {}),
          ...(dto.householdName !== undefined ? { householdName: dto.householdName || null } : {}),
          ...(dto.householdIdNumber !== undefined
            ? { householdIdNumber: dto.householdIdNumber || null, householdIdIndex: residentIdIndex(dto.householdIdNumber) }
            : {}),
          ...(dto.remark !== undefined ? { remark: dto.remark || null } : {}),
        },
        tallies: await this.regroupedTallies(ctx, loaded.item, dto.problemTypeCode),
      };
    });
    // EDIT never leaves a draft or returned item, so it never discards one.
    if ('deleted' in result) throw new Error('EDIT discarded an item');
    return result;
  }

  /**
   * A returned item was found already: its figures are counted under its
   * problem type for every day of its history, which the reports show under
   * the type it has now. Editing the type moves that whole history.
   */
  private async regroupedTallies(ctx: RequestContext, item: ProblemItem, problemTypeCode: string | undefined): Promise<TallyRow[]> {
    if (problemTypeCode === undefined || problemTypeCode === item.problemTypeCode || !item.reportStatus?.foundAt) return [];
    const events =
      (await itemEvents((sql, params) => ctx.tx.query(sql, params), { id: item.campaignId, countyId: item.countyId }, [item.id])).get(item.id) ?? [];
    const was = historyTallies(tallyOwner(item), events).rows;
    const is = historyTallies(tallyOwner({ ...item, problemTypeCode }), events).rows;
    return [...negated(was), ...is];
  }

  /** Any lifecycle event, signed where the domain says so; `payload` was read at the edge (ItemEventPipe). */
  async applyEvent(
    user: AuthUser,
    id: string,
    payload: ItemEventPayload,
    request: IdempotentRequest,
  ): Promise<ItemWithActionsResponse | DiscardedItemResponse> {
    // Citing evidence marks the files cited: a second write, so a transaction.
    const writes = payload.type === 'SUBMIT_RECTIFICATION' && payload.evidence.length > 0 ? SEVERAL_STATEMENTS : ONE_STATEMENT;
    return this.transition(user, id, request, writes, async (loaded, ctx) => {
      const problems = itemEventProblems(payload, { state: loaded.item.state, deadline: loaded.item.deadline, context: loaded.snapshot.context });
      if (problems.length) throw validationFailed(problems, ITEM_EVENT_FIELD_LABELS);
      // What the payload names must exist; it is also what the answer shows.
      const users: User[] = [];
      const orgUnits: OrgUnit[] = [];
      if (payload.type === 'ESCALATE') orgUnits.push(await this.escalationTargetOrThrow(ctx, payload.toOrgUnitId));
      if ((payload.type === 'CONFIRM' || payload.type === 'ESCALATE') && payload.rectifierId) {
        // Where the rectifier comes from is the reviewer's choice to check; anyone else hears the machine's refusal (409).
        const reviewing = availableEvents(loaded.snapshot, ctx.actor, this.reads.env(loaded.campaign)).includes(payload.type);
        const place = reviewing ? { item: loaded.item, escalationTarget: payload.type === 'ESCALATE' ? payload.toOrgUnitId : undefined } : null;
        users.push(await this.rectifierOrThrow(ctx, payload.rectifierId, place));
      }
      // Evidence is resolved only for a caller the machine lets rectify, so anyone else hears the machine's refusal (409), not about files.
      const rectifying =
        payload.type === 'SUBMIT_RECTIFICATION' && availableEvents(loaded.snapshot, ctx.actor, this.reads.env(loaded.campaign)).includes(payload.type);
      const evidence = rectifying ? await this.attachments.evidenceRefs(user, loaded.item.id, payload.evidence, ctx.tx) : [];
      return { event: payload, evidence, named: { users, orgUnits } };
    });
  }

  /**
   * Every event of the API: the item is read once (404 outside the caller's
   * scope), the feature checks and resolves the payload, the engine applies
   * it, and the answer is built from the rows at hand.
   */
  private async transition(
    user: AuthUser,
    id: string,
    request: IdempotentRequest,
    writes: Writes,
    build: (loaded: LoadedItem, ctx: RequestContext) => Promise<TransitionSpec>,
  ): Promise<ItemWithActionsResponse | DiscardedItemResponse> {
    const caller = await this.scope.caller(user);
    const singleStatement = writes === ONE_STATEMENT;
    return this.idempotency.run(
      user,
      request,
      async (tx): Promise<ItemWithActionsResponse | DiscardedItemResponse> => {
        const ctx: RequestContext = { ...caller, tx };
        const loaded = await this.reads.loadOrThrow(user, id, { manager: tx, scope: caller.scope });
        const spec = await build(loaded, ctx);
        const t = await this.run(ctx, loaded, spec.event, { fields: spec.fields, evidence: spec.evidence, tallies: spec.tallies });
        if (t.deleted) {
          return { id: t.row.id, number: t.row.number, state: 'discarded', stateLabel: PROBLEM_ITEM_STATE_LABELS.discarded, deleted: true };
        }
        const item = await this.withRelations(ctx, t.after, loaded.item, spec.named);
        return this.reads.present(user, { item, snapshot: t.next, campaign: loaded.campaign }, caller.actor, tx, false);
      },
      { singleStatement },
    );
  }

  private run(ctx: RequestContext, loaded: LoadedItem, input: EventInput, options?: RunOptions<ProblemItem>) {
    const event = { ...input, actor: ctx.actor, env: this.reads.env(loaded.campaign) } as ProblemItemEvent;
    return this.runner.run(ctx, ITEM_LIFECYCLE, loaded.item, event, options);
  }

  /**
   * The rectifier and responsible unit after a transition, for the answer:
   * the ones loaded with the item, those the payload named, the investigator
   * (立行立改), or, only when none of them is it, read.
   */
  private async withRelations(ctx: RequestContext, after: ProblemItem, before: ProblemItem, named: TransitionSpec['named'] = {}): Promise<ProblemItem> {
    const users = [before.rectifier, before.investigator, ...(named.users ?? [])].filter((u): u is User => !!u);
    const units = [before.responsibleOrgUnit, ...(named.orgUnits ?? [])].filter((u): u is OrgUnit => !!u);
    const rectifier = after.rectifierId
      ? (users.find((u) => u.id === after.rectifierId) ?? (await ctx.tx.findOneByOrFail(User, { id: after.rectifierId })))
      : null;
    const responsibleOrgUnit = after.responsibleOrgUnitId
      ? (units.find((u) => u.id === after.responsibleOrgUnitId) ?? (await ctx.tx.findOneByOrFail(OrgUnit, { id: after.responsibleOrgUnitId })))
      : null;
    return { ...after, rectifier, responsibleOrgUnit };
  }

  /**
   * 整改责任人: an active user of the county who holds a signing role
   * (administration and audit never sign), from the places rectifier-choice.ts
   * names, and not the reviewer naming them.
   */
  private async rectifierOrThrow(ctx: RequestContext, rectifierId: string, place: { item: ProblemItem; escalationTarget?: string } | null): Promise<User> {
    if (place && rectifierId === ctx.user.id) {
      throw DomainError.validation('rectifierId', '整改责任人不能是审核人本人：验收须由另一人签字，请指定其他整改责任人');
    }
    const rectifier = await this.directory.activeUser(rectifierId, ctx.tx);
    if (!rectifier || rectifier.countyId !== ctx.user.countyId) throw DomainError.validation('rectifierId', '整改责任人不存在或已停用');
    if (!hasRole(rectifier, ...SIGNING_ROLES))
      throw DomainError.validation('rectifierId', '系统管理员、安全管理员、审计员和未授予角色的账号不能作为整改责任人');
    // The directory's cached user carries their unit's path: no query on the sign-off's hot path.
    if (place && !isRectifierUnit(rectifierUnits(place.item, place.escalationTarget), { id: rectifier.orgUnitId, path: rectifier.orgUnitPath })) {
      const why = rectifierUnitsMessage(place.escalationTarget !== undefined);
      throw DomainError.validation('rectifierId', `${why}（${rectifier.displayName}属于${rectifier.orgUnitName}）`);
    }
    // What the answer shows of them (id and name).
    return Object.assign(new User(), { id: rectifier.id, displayName: rectifier.displayName });
  }

  private async escalationTargetOrThrow(ctx: RequestContext, orgUnitId: string): Promise<OrgUnit> {
    const unit = await ctx.tx.findOne(OrgUnit, { where: { id: orgUnitId, countyId: ctx.user.countyId } });
    if (!unit || (unit.kind !== 'department' && unit.kind !== 'county')) {
      throw DomainError.validation('toOrgUnitId', '上报单位必须是本县的县直部门或县本级');
    }
    return unit;
  }
}

/** Only investigating roles record problems (排查), in create() and in the ledger import alike. */
export function assertMayRecord(user: AuthUser): void {
  if (!hasRole(user, ...INVESTIGATING_ROLES)) throw DomainError.forbidden('只有排查人员（村、乡镇排查人或县直部门）可以登记问题');
}

/** New items may be recorded only in the phases that allow SUBMIT (排查, 整改, 提升). */
export function assertOpenForNewItems(campaign: Campaign): void {
  const phase = currentPhaseKind(campaignSnapshot(campaign));
  if (!phase || !PHASES_FOR_NEW_ITEMS.includes(phase)) throw transitionRefused('phase_closed', campaign.state, []);
}

export type RecordingRefusal = 'out_of_scope' | 'not_recordable_unit' | 'other_department' | 'outside_campaign_township';

const RECORDING_REFUSAL_MESSAGES: Record<RecordingRefusal, string> = {
  out_of_scope: 'orgUnitId 不在您的排查范围内',
  not_recordable_unit: 'orgUnitId 必须是行政村、乡镇或县直部门',
  other_department: '行业排查的问题只能登记在本部门',
  outside_campaign_township: 'orgUnitId 不在该专项行动所属的乡镇内（乡镇的专项行动只登记本乡镇的问题）',
};

/**
 * Why `user` may not record a problem at `unit`, or null: within scope, at a
 * village, a township or their own department. 行业排查: a department's
 * recorder records for households in any village or township of the county.
 */
export function recordingRefusal(user: AuthUser, scope: Scope, unit: OrgUnit): RecordingRefusal | null {
  const sectorPlace = isSectorRecorder(user) && unit.countyId === user.countyId && (unit.kind === 'village' || unit.kind === 'township');
  if (!inScope(scope, unit.path) && !sectorPlace) return 'out_of_scope';
  if (!['village', 'township', 'department'].includes(unit.kind)) return 'not_recordable_unit';
  if (unit.kind === 'department' && unit.id !== user.orgUnitId) return 'other_department';
  return null;
}

/** A township's own campaign records only in that township. */
export function campaignPlaceRefusal(campaign: Campaign, unit: OrgUnit): RecordingRefusal | null {
  return campaign.townshipId && !unit.path.startsWith(`/${campaign.countyId}/${campaign.townshipId}/`) ? 'outside_campaign_township' : null;
}

/** Villages and townships, where households are: 行业排查 there is limited to the department's sector. */
function isHouseholdPlace(unit: Pick<OrgUnit, 'kind'>): boolean {
  return unit.kind === 'village' || unit.kind === 'township';
}

/**
 * Why a department's recorder may not record `code` at `unit` (a village or
 * township, and not their sector in this campaign; see campaign-sectors.ts),
 * or null. At the department itself (its own shortcomings) any type goes.
 */
export function sectorTypeRefusal(user: AuthUser, campaign: Campaign, unit: Pick<OrgUnit, 'kind'>, code: string): string | null {
  if (!isSectorRecorder(user) || !isHouseholdPlace(unit)) return null;
  return sectorTypeCodes(campaign.problemTypes, campaign.sectors ?? [], user.orgUnitId).has(code)
    ? null
    : `问题类型「${code}」不属于本部门在该专项行动中的行业分工（行业排查只登记本行业的问题类型）`;
}

function assertSectorType(user: AuthUser, campaign: Campaign, unit: OrgUnit, code: string): void {
  const why = sectorTypeRefusal(user, campaign, unit, code);
  if (why) throw DomainError.validation('problemTypeCode', `problemTypeCode：${why}`);
}

function assertSectorTypeOf(departmentId: string, campaign: Campaign, code: string): void {
  if (!sectorTypeCodes(campaign.problemTypes, campaign.sectors ?? [], departmentId).has(code)) {
    throw DomainError.validation('problemTypeCode', `problemTypeCode：问题类型「${code}」不属于本部门在该专项行动中的行业分工`);
  }
}

function assertProblemType(campaign: Campaign, code: string): void {
  if (!flattenProblemTypes(campaign.problemTypes).some((t) => t.code === code)) {
    throw DomainError.validation('problemTypeCode', `problemTypeCode「${code}」不是该专项行动的问题类型`);
  }
}
