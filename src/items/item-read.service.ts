import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { Brackets, EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import {
  availableEvents,
  CAMPAIGN_PHASED_STATES,
  currentPhaseKind,
  HOUSEKEEPING_EVENTS,
  INITIAL_STATE,
  isOverdue,
  problemItemStateLabel,
  SETTLED_STATES,
  WAITING_ON,
  REVIEWER_TURN_ONLY_ON_EXTENSION,
  type ProblemItemEventType,
  type ProblemItemStateName,
  type ProblemItemSnapshot,
  reviewerActingFor,
  type ReviewLevel,
  type WorkflowActor,
  type WorkflowEnv,
} from '../../workflows';
import { isIsoDate, isIsoDateTime } from '../../workflows/common';
import { AuditService } from '../audit/audit.service';
import { AuthUser, hasRole } from '../auth/auth-user';
import { CampaignDefinitions } from '../campaigns/campaign-definitions';
import { Campaign } from '../campaigns/campaign.entity';
import { campaignSnapshot } from '../campaigns/campaign-snapshot';
import { flattenProblemTypes } from '../campaigns/presets';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { EntitySql } from '../database/entity-sql';
import { StandbyReads } from '../database/standby-reads';
import { unsignedStates } from '../signatures/chain-audit';
import { OrgUnit } from '../orgs/org-unit.entity';
import { Scope, ScopeService } from '../orgs/scope.service';
import { SignaturesService } from '../signatures/signatures.service';
import { User } from '../users/user.entity';
import { HouseholdLookupDto, InboxQuery, ListItemsQuery } from './dto/item.dto';
import { residentIdIndex } from '../common/crypto/resident-id-keys';
import { applyItemVisibility, isVisible, overdueCondition } from './item-conditions';
import { openDuplicateNumbers } from './household-duplicates';
import { itemSnapshot } from './item-lifecycle';
import { mapItem, seesFullIdNumbers } from './item.mapper';
import { DuplicateItemResponse, InboxItemResponse, ItemPageResponse, ItemWithActionsResponse } from './item.response';
import { ProblemItem } from './problem-item.entity';

/** An item as a transition and its answer need it: the row (with the places and people it shows), its snapshot, its campaign. */
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

/**
 * The read side of problem items: who may see which item, one item, the
 * list with its filters, the inbox, and the answer every read and write
 * returns. Writes (ItemWriteService) load through here.
 */
/** An item in a state that waits on the reviewer, and in 整改中 only with an extension requested (REVIEWER_TURN_ONLY_ON_EXTENSION). */
const REVIEWER_WAITS = '(i.state IN (:...reviewerStates) AND (i.state NOT IN (:...extensionOnly) OR i.extension_requested))';

@Injectable()
export class ItemReadService {
  constructor(
    @InjectRepository(ProblemItem) private readonly items: Repository<ProblemItem>,
    private readonly scope: ScopeService,
    private readonly signatures: SignaturesService,
    private readonly campaigns: CampaignDefinitions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly reads: StandbyReads,
  ) {}

  /** The bare row, for routes that only need to know the item is visible: outside the caller's scope it does not exist (404). */
  async findVisibleOrThrow(user: AuthUser, id: string, manager: EntityManager = this.items.manager, scope?: Scope): Promise<ProblemItem> {
    scope ??= await this.scope.scopeOf(user);
    const qb = manager.createQueryBuilder(ProblemItem, 'i').where('i.id = :id', { id });
    applyItemVisibility(qb, user, scope);
    const item = await qb.getOne();
    if (!item) throw DomainError.notFound('问题');
    return item;
  }

  /**
   * The item, the places and people its answer shows, and its campaign's
   * version, in one query (404 outside the caller's scope); the campaign's
   * definition comes from CampaignDefinitions by that version. Inside a
   * transaction pass its manager and a scope computed before it began.
   */
  async loadOrThrow(user: AuthUser, id: string, at: { manager?: EntityManager; scope?: Scope } = {}): Promise<LoadedItem> {
    const manager = at.manager ?? this.items.manager;
    const scope = at.scope ?? (await this.scope.scopeOf(user));
    const sql = this.loadSql(manager);
    const rows: Array<Record<string, unknown>> = await manager.query(sql.text, [id, scope.countyId]);
    const item = rows.length ? sql.hydrate(rows[0]) : null;
    // The visibility of applyItemVisibility, on the one row: outside the caller's scope the item does not exist.
    if (!item || !isVisible(item, user, scope)) throw DomainError.notFound('问题');
    const campaign = await this.campaigns.get(manager, item.campaignId, rows[0].campaign_version as number);
    return { item, snapshot: itemSnapshot(item), campaign };
  }

  /**
   * The statement of loadOrThrow, made once: the item, the units and people
   * its answer shows (users by id and name only) and its campaign's version,
   * written by hand (the sign-off's hot path; a query builder cost more than
   * the query).
   */
  private loadSql(manager: EntityManager): { text: string; hydrate(raw: Record<string, unknown>): ProblemItem } {
    if (this.loadStatement) return this.loadStatement;
    const ds = manager.connection;
    const items = new EntitySql(ds, ProblemItem);
    const units = new EntitySql(ds, OrgUnit);
    const people = new EntitySql(ds, User, ['id', 'displayName']);
    const text = `SELECT ${items.select('i')}, c.version AS campaign_version,
        ${units.select('o')}, ${units.select('tw')}, ${units.select('ro')}, ${units.select('sd')}, ${people.select('inv')}, ${people.select('r')}
      FROM problem_items i
      JOIN campaigns c ON c.id = i.campaign_id
      JOIN org_units o ON o.id = i.org_unit_id
      LEFT JOIN org_units tw ON tw.id = i.township_id
      LEFT JOIN org_units ro ON ro.id = i.responsible_org_unit_id
      LEFT JOIN org_units sd ON sd.id = i.sector_department_id
      JOIN users inv ON inv.id = i.investigator_id
      LEFT JOIN users r ON r.id = i.rectifier_id
      WHERE i.id = $1 AND i.county_id = $2`;
    const hydrate = (raw: Record<string, unknown>): ProblemItem => {
      const item = items.hydrate('i', raw)!;
      item.orgUnit = units.hydrate('o', raw)!;
      item.township = units.hydrate('tw', raw);
      item.responsibleOrgUnit = units.hydrate('ro', raw);
      item.sectorDepartment = units.hydrate('sd', raw);
      item.investigator = people.hydrate('inv', raw)!;
      item.rectifier = people.hydrate('r', raw);
      return item;
    };
    this.loadStatement = { text, hydrate };
    return this.loadStatement;
  }

  private loadStatement: { text: string; hydrate(raw: Record<string, unknown>): ProblemItem } | null = null;

  env(campaign: Campaign): WorkflowEnv {
    return { now: this.clock.now().toISOString(), phase: currentPhaseKind(campaignSnapshot(campaign)) };
  }

  /**
   * The answer for one loaded item, with what `actor` may do now. Full ID
   * numbers only where `fullIds` (GET by the county office), each view
   * audited; a write's answer is masked, as it is also kept for idempotent
   * replays.
   */
  async present(user: AuthUser, loaded: LoadedItem, actor: WorkflowActor, manager: EntityManager, fullIds: boolean): Promise<ItemWithActionsResponse> {
    const { item, campaign } = loaded;
    if (fullIds && item.householdIdNumber) await this.audit.record(user, 'item.view_full_id', 'item', item.id, { itemIds: [item.id] }, manager);
    return mapItem(item, {
      fullIdNumber: fullIds,
      overdue: this.isOverdue(item),
      problemTypeName: this.campaigns.problemTypeName(campaign, item.problemTypeCode),
      availableActions: availableEvents(loaded.snapshot, actor, this.env(campaign)),
      actingFor: actingFor(loaded.snapshot, actor),
    });
  }

  /** One item as GET shows it, with the caller's available actions. */
  async getOne(user: AuthUser, id: string): Promise<ItemWithActionsResponse> {
    const { scope, actor } = await this.scope.caller(user);
    const loaded = await this.loadOrThrow(user, id, { scope });
    return this.present(user, loaded, actor, this.items.manager, seesFullIdNumbers(user));
  }

  /** Loads what list answers show (relations, problem-type names) and records full ID views. */
  async withDetails(
    user: AuthUser,
    items: ProblemItem[],
    manager: EntityManager = this.reads.manager(),
    fullIds = seesFullIdNumbers(user),
  ): Promise<ItemDetails> {
    if (items.length === 0) return { items, typeName: () => null };
    // The units and people the answer names, each read once by id (not six joins per item, which the planner hashed over every unit).
    const unitIds = new Set(items.flatMap((i) => [i.orgUnitId, i.townshipId, i.responsibleOrgUnitId, i.sectorDepartmentId].filter((x): x is string => !!x)));
    const userIds = new Set(items.flatMap((i) => [i.investigatorId, i.rectifierId].filter((x): x is string => !!x)));
    const [units, people] = await Promise.all([
      manager.find(OrgUnit, { where: { id: In([...unitIds]) } }),
      manager.find(User, { where: { id: In([...userIds]) }, select: { id: true, displayName: true } }),
    ]);
    const unit = new Map(units.map((u) => [u.id, u]));
    const person = new Map(people.map((u) => [u.id, u]));
    const of = <T>(m: Map<string, T>, id: string | null): T | null => (id ? (m.get(id) ?? null) : null);
    const full = items.map((i) => ({
      ...i,
      orgUnit: of(unit, i.orgUnitId) ?? undefined,
      township: of(unit, i.townshipId),
      responsibleOrgUnit: of(unit, i.responsibleOrgUnitId),
      sectorDepartment: of(unit, i.sectorDepartmentId),
      investigator: of(person, i.investigatorId) ?? undefined,
      rectifier: of(person, i.rectifierId),
    }));
    if (fullIds) {
      const shown = full.filter((i) => i.householdIdNumber).map((i) => i.id);
      if (shown.length)
        await this.audit.record(user, 'item.view_full_id', 'item', shown.length === 1 ? shown[0] : null, { itemIds: shown }, this.reads.writer(manager));
    }
    const campaigns = await manager.find(Campaign, { where: { id: In([...new Set(full.map((i) => i.campaignId))]) } });
    const names = new Map<string, string>();
    for (const c of campaigns) for (const t of flattenProblemTypes(c.problemTypes)) names.set(`${c.id}/${t.code}`, t.name);
    return { items: full, typeName: (i) => names.get(`${i.campaignId}/${i.problemTypeCode}`) ?? null };
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

  async inboxView(user: AuthUser, page: InboxQuery = {}): Promise<{ items: InboxItemResponse[]; nextCursor: string | null }> {
    const { entries, nextCursor } = await this.inbox(user, page);
    const details = await this.withDetails(
      user,
      entries.map((e) => e.item),
    );
    const duplicates = await openDuplicateNumbers(
      this.reads.manager(),
      entries.filter((e) => e.item.householdIdIndex).map((e) => e.item.id),
    );
    const full = seesFullIdNumbers(user);
    const items = details.items.map((i, n) => ({
      ...mapItem(i, {
        fullIdNumber: full,
        overdue: this.isOverdue(i),
        problemTypeName: details.typeName(i),
        availableActions: entries[n].actions,
        actingFor: entries[n].actingFor,
      }),
      openDuplicates: duplicates.get(i.id)?.length ?? 0,
    }));
    return { items, nextCursor };
  }

  /**
   * The open items (not 已销号/不予认定) the caller can see that repeat a
   * household's problem: same campaign, same ID number (through its keyed
   * index) and problem type, other than `exceptId`.
   */
  async householdDuplicates(
    user: AuthUser,
    scope: Scope,
    of: { campaignId: string; householdIdIndex: string | null; problemTypeCode: string; exceptId?: string },
    manager: EntityManager = this.items.manager,
  ): Promise<DuplicateItemResponse[]> {
    if (!of.householdIdIndex) return [];
    const qb = manager
      .getRepository(ProblemItem)
      .createQueryBuilder('i')
      .leftJoinAndSelect('i.orgUnit', 'u')
      .where('i.campaign_id = :campaign AND i.household_id_index = :household AND i.problem_type_code = :type', {
        campaign: of.campaignId,
        household: of.householdIdIndex,
        type: of.problemTypeCode,
      })
      .andWhere('i.state NOT IN (:...settled)', { settled: SETTLED_STATES });
    if (of.exceptId) qb.andWhere('i.id <> :except', { except: of.exceptId });
    applyItemVisibility(qb, user, scope);
    const rows = await qb.orderBy('i.number', 'ASC').limit(50).getMany();
    return rows.map((i) => ({
      id: i.id,
      number: i.number,
      state: i.state as ProblemItemStateName,
      stateLabel: problemItemStateLabel(i.state),
      description: i.description,
      orgUnitName: i.orgUnit?.name ?? null,
    }));
  }

  /** Every item of one household (by ID number, through its keyed index) the caller can see, newest first; the lookup is audited without the number. */
  async householdItems(user: AuthUser, dto: HouseholdLookupDto): Promise<ItemWithActionsResponse[]> {
    const scope = await this.scope.scopeOf(user);
    const qb = this.items
      .createQueryBuilder('i')
      .where('i.household_id_index = :household', { household: residentIdIndex(dto.idNumber) })
      .orderBy('i.created_at', 'DESC')
      .limit(200);
    if (dto.campaignId) qb.andWhere('i.campaign_id = :campaign', { campaign: dto.campaignId });
    applyItemVisibility(qb, user, scope);
    const found = await qb.getMany();
    await this.audit.record(user, 'item.household_lookup', 'household', null, { found: found.length, itemIds: found.map((i) => i.id) });
    const details = await this.withDetails(user, found);
    return details.items.map((i) =>
      mapItem(i, { fullIdNumber: false, overdue: this.isOverdue(i), problemTypeName: details.typeName(i), availableActions: [] }),
    );
  }

  async list(user: AuthUser, q: ListItemsQuery): Promise<ItemPage> {
    const limit = q.limit ?? 50;
    const qb = await this.visibleQuery(user, q);
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      qb.andWhere('(i.created_at, i.id) < (:cAt, :cId)', { cAt: at, cId: id });
    }
    const rows = await qb
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /**
   * A page of the items the caller can act on now, oldest deadline first
   * (then the oldest found): SQL narrows to items in a state that waits on a
   * party the caller is (WAITING_ON), in that order, and the machine decides,
   * a batch of candidates at a time until the page is full. `nextCursor`:
   * where the next page starts (after the last item of this one), null at the end.
   */
  async inbox(
    user: AuthUser,
    page: InboxQuery = {},
  ): Promise<{
    entries: Array<{ item: ProblemItem; actions: ProblemItemEventType[]; actingFor: { id: string; name: string } | null }>;
    nextCursor: string | null;
  }> {
    const limit = page.limit ?? INBOX_PAGE;
    const { scope, actor } = await this.scope.caller(user);
    let after = page.cursor ? decodeInboxCursor(page.cursor) : null;
    const entries: Array<{ item: ProblemItem; actions: ProblemItemEventType[]; actingFor: { id: string; name: string } | null }> = [];
    // One more than the page, to know whether there is a next one; candidates the machine turns down are skipped.
    // Most candidates are kept (SQL already asks for a state that waits on the caller): a little over the page.
    const batch = limit + 1 + Math.ceil(limit / 5);
    for (let examined = 0; entries.length <= limit && examined < INBOX_MAX_EXAMINED; examined += batch) {
      const rows = await this.inboxCandidates(user, scope, actor, after, batch);
      for (const item of rows) {
        // The campaign's definition by its version, from memory: not its large columns on every row.
        item.campaign = await this.campaigns.get(this.reads.manager(), item.campaignId, item.campaign!.version);
        const snapshot = itemSnapshot(item);
        const actions = availableEvents(snapshot, actor, this.env(item.campaign!));
        if (actions.some((a) => !HOUSEKEEPING_EVENTS.includes(a))) entries.push({ item, actions, actingFor: actingFor(snapshot, actor) });
        if (entries.length > limit) break;
      }
      if (rows.length < batch) break;
      after = inboxPosition(rows[rows.length - 1]);
    }
    const more = entries.length > limit;
    const shown = entries.slice(0, limit);
    const last = shown[shown.length - 1];
    return { entries: shown, nextCursor: more && last ? encodeInboxCursor(inboxPosition(last.item)) : null };
  }

  /** Candidates of the inbox after `after`, in its order: the item's state waits on a party the caller is. */
  private inboxCandidates(user: AuthUser, scope: Scope, actor: WorkflowActor, after: InboxPosition | null, limit: number): Promise<ProblemItem[]> {
    const qb = this.reads
      .manager()
      .createQueryBuilder(ProblemItem, 'i')
      .innerJoin('i.campaign', 'c')
      .addSelect(['c.id', 'c.version'])
      .where('c.state IN (:...phasedStates)', { phasedStates: CAMPAIGN_PHASED_STATES });
    applyItemVisibility(qb, user, scope);
    const waiting = {
      investigatorStates: WAITING_ON.investigator,
      reviewerStates: WAITING_ON.reviewer,
      extensionOnly: REVIEWER_TURN_ONLY_ON_EXTENSION,
      rectifierStates: WAITING_ON.rectifier,
      inspectorStates: WAITING_ON.inspector,
    };
    qb.andWhere(
      new Brackets((w) => {
        w.orWhere('i.investigator_id = :me AND i.state IN (:...investigatorStates)', { me: user.id, ...waiting });
        w.orWhere('i.rectifier_id = :me AND i.state IN (:...rectifierStates)');
        // The reviewer roles the caller holds, in their own right or as a delegate (委派).
        const reviews = new Set([...user.roles, ...(actor.delegators ?? []).flatMap((d) => d.roles)]);
        if (actor.townshipId && reviews.has('township_leader')) {
          w.orWhere(`i.township_id = :tw AND i.review_level = :townshipLevel AND ${REVIEWER_WAITS}`, {
            tw: actor.townshipId,
            townshipLevel: 'township' satisfies ReviewLevel,
          });
        }
        if (reviews.has('county_office')) {
          w.orWhere(`i.review_level = :countyLevel AND ${REVIEWER_WAITS}`, { countyLevel: 'county' satisfies ReviewLevel });
        }
        if (actor.departmentId) {
          // Escalated to the department with nobody named: any of its staff may take it up.
          w.orWhere('i.responsible_org_unit_id = :dept AND i.rectifier_id IS NULL AND i.state IN (:...rectifierStates)', { dept: actor.departmentId });
        }
        if (hasRole(user, 'inspector') && actor.inspectionTownshipIds.length) {
          // Once spot-checked, a closed item no longer waits on the inspectors.
          w.orWhere('i.township_id IN (:...cov) AND i.state IN (:...inspectorStates) AND NOT i.inspected', { cov: actor.inspectionTownshipIds });
        }
      }),
    );
    if (after) {
      // (deadline NULLS LAST, created_at, id) after the position.
      const rest = '(i.created_at, i.id) > (:afterAt, :afterId)';
      qb.andWhere(
        after.deadline === null
          ? `(i.deadline IS NULL AND ${rest})`
          : `(i.deadline > :afterDeadline OR i.deadline IS NULL OR (i.deadline = :afterDeadline AND ${rest}))`,
        { afterDeadline: after.deadline, afterAt: after.createdAt, afterId: after.id },
      );
    }
    return qb.orderBy('i.deadline', 'ASC', 'NULLS LAST').addOrderBy('i.created_at', 'ASC').addOrderBy('i.id', 'ASC').limit(limit).getMany();
  }

  async signatureChain(user: AuthUser, id: string) {
    const item = await this.findVisibleOrThrow(user, id);
    return this.signatures.chain(item.id);
  }

  async verifyChain(user: AuthUser, id: string) {
    const item = await this.findVisibleOrThrow(user, id);
    const verdict = await this.signatures.verify(item.id, {
      head: { seq: item.chainSeq, hash: item.chainHead },
      state: item.state,
      initialState: INITIAL_STATE,
      // WITHDRAW changes the state without a link; the engine audits it (unsignedTransitionAction) with the state it left.
      unsigned: (await unsignedStates((sql, p) => this.items.query(sql, p), [item.id])).get(item.id),
    });
    // A chain that does not verify is a security event (等保 安全审计).
    if (!verdict.valid) await this.audit.record(user, 'signature.verification_failed', 'item', item.id, { firstBroken: verdict.firstBroken });
    return verdict;
  }

  /** The items GET /api/items would list (scope and filters, unpaged) as a query on alias `i`; the ledger export streams it. */
  async visibleQuery(user: AuthUser, q: ListItemsQuery): Promise<SelectQueryBuilder<ProblemItem>> {
    const scope = await this.scope.scopeOf(user);
    const qb = this.reads.manager().createQueryBuilder(ProblemItem, 'i');
    applyItemVisibility(qb, user, scope);
    await this.applyFilters(qb, user, q);
    return qb;
  }

  private async applyFilters(qb: SelectQueryBuilder<ProblemItem>, user: AuthUser, q: ListItemsQuery): Promise<void> {
    if (q.campaignId) qb.andWhere('i.campaign_id = :campaignId', { campaignId: q.campaignId });
    if (q.orgUnitId) {
      const unit = await this.reads.manager().findOne(OrgUnit, { where: { id: q.orgUnitId, countyId: user.countyId } });
      if (!unit) throw DomainError.validation('orgUnitId', 'orgUnitId 所指的单位不存在');
      qb.andWhere('i.org_unit_path LIKE :unitPath', { unitPath: `${unit.path}%` });
    }
    if (q.state?.length) qb.andWhere('i.state IN (:...states)', { states: q.state });
    if (q.problemType) {
      let codes = [q.problemType];
      if (q.campaignId) {
        const campaign = await this.reads.manager().findOne(Campaign, { where: { id: q.campaignId, countyId: user.countyId } });
        if (campaign) codes = problemTypeWithDescendants(campaign, q.problemType);
      }
      qb.andWhere('i.problem_type_code IN (:...codes)', { codes });
    }
    if (q.overdue !== undefined) {
      const overdue = overdueCondition(this.clock.today());
      qb.andWhere(q.overdue ? overdue.sql : `NOT ${overdue.sql}`, overdue.params);
    }
    if (q.rectifierId) qb.andWhere('i.rectifier_id = :rectifierId', { rectifierId: q.rectifierId });
    if (q.reopened !== undefined) qb.andWhere(q.reopened ? 'i.reopen_count > 0' : 'i.reopen_count = 0');
    if (q.q) {
      qb.andWhere('(i.description ILIKE :q OR i.measures ILIKE :q OR i.household_name ILIKE :q OR i.remark ILIKE :q)', {
        q: `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
  }

  /** 超期, by China's calendar (computed, never stored). */
  isOverdue(item: ProblemItem): boolean {
    return isOverdue(item, this.clock.today());
  }
}

function problemTypeWithDescendants(campaign: Campaign, code: string): string[] {
  const flat = flattenProblemTypes(campaign.problemTypes);
  const codes = flat.filter((t) => t.code === code || t.codePath.includes(code)).map((t) => t.code);
  return codes.length ? codes : [code];
}

/** Items of an inbox page unless the caller asks for another number. */
const INBOX_PAGE = 50;

/** Candidates one inbox request looks at, at most: past them it answers what it found, with a cursor to go on. */
const INBOX_MAX_EXAMINED = 1000;

/** Where an item stands in the inbox's order. */
interface InboxPosition {
  deadline: string | null;
  createdAt: string;
  id: string;
}

function inboxPosition(i: ProblemItem): InboxPosition {
  return { deadline: i.deadline, createdAt: i.createdAt.toISOString(), id: i.id };
}

function encodeInboxCursor(p: InboxPosition): string {
  return Buffer.from(`${p.deadline ?? ''}|${p.createdAt}|${p.id}`).toString('base64url');
}

/** The X-Next-Cursor of an inbox page; anything else is a 400, never a query. */
function decodeInboxCursor(cursor: string): InboxPosition {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const [deadline, at, id] = parts;
  if (parts.length !== 3 || (deadline !== '' && !isIsoDate(deadline)) || !isIsoDateTime(at) || !at.includes('T') || !isUUID(id)) {
    throw DomainError.validation('cursor', 'cursor 无效，请从第一页重新查询');
  }
  return { deadline: deadline || null, createdAt: at, id };
}

function encodeCursor(i: ProblemItem): string {
  return Buffer.from(`${i.createdAt.toISOString()}|${i.id}`).toString('base64url');
}

/** `nextCursor` as encodeCursor wrote it; anything else (forged, truncated, an impossible time) is a 400, never a query. */
function decodeCursor(cursor: string): [string, string] {
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const [at, id] = parts;
  if (parts.length !== 2 || !isIsoDateTime(at) || !at.includes('T') || !isUUID(id)) throw DomainError.validation('cursor', 'cursor 无效，请从第一页重新查询');
  return [at, id];
}

/** 委派: the delegator whose reviewer duties the actor holds over this item, as the answer names them. */
function actingFor(snapshot: ProblemItemSnapshot, actor: WorkflowActor): { id: string; name: string } | null {
  const delegator = reviewerActingFor(snapshot.context, actor);
  return delegator ? { id: delegator.userId, name: delegator.displayName } : null;
}
