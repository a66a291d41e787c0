import { Injectable } from '@nestjs/common';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { applyEvent, resolveMachine, type WorkflowEventBase } from '../../workflows';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { EntitySql, Params } from '../database/entity-sql';
import { Audience, notificationsInsert, NotificationsService, type NoticeGroup, type OutgoingNotification } from '../notifications/notifications.service';
import { EvidenceRef, Signature } from '../signatures/signature.entity';
import { signatureAuditRow } from '../signatures/signature-audit';
import { SignaturesService, SignatureInput } from '../signatures/signatures.service';
import { mergeTallies, TALLY_ROWS_PER_UPSERT, tallyUpsertSql, type TallyRow } from '../reports/report-tally';
import type { RequestContext } from './request-context';
import { fromStored, toStored, transitionRefused, versionConflict } from './snapshots';

/** The columns every row of a signed lifecycle carries for the engine. */
export interface LifecycleRow {
  id: string;
  countyId: string;
  workflowId: string;
  workflowVersion: number;
  /** Optimistic concurrency: every transition is `UPDATE … WHERE id = $1 AND version = $2`. */
  version: number;
  /** Projection of the snapshot's top-level state. */
  state: string;
  snapshot: Record<string, unknown>;
  /** The head of the row's signature chain, moved in the same UPDATE as the snapshot. */
  chainSeq: number;
  chainHead: string | null;
}

export type WorkflowEvent = EventObject & WorkflowEventBase;

/** One accepted event on one row, as the engine applied it. */
export interface Transition<TRow extends LifecycleRow, TSnapshot, TEvent extends WorkflowEvent> {
  event: TEvent;
  /** The row as loaded. */
  row: TRow;
  /** The row as stored now (the loaded one when `deleted`). */
  after: TRow;
  before: TSnapshot;
  next: TSnapshot;
  stateAfter: string;
  /** The machine reached a state that removes the row. */
  deleted: boolean;
  signature: Signature | null;
  /** What the transition adds to the report tallies (merged, in key order). */
  tallies: TallyRow[];
  /** The effect action types the machine returned, in order. */
  effects: string[];
  now: Date;
}

/** What an effect handler sees: the transition, the transaction, and the outbox of notifications. */
export interface EffectRun<TRow extends LifecycleRow, TSnapshot, TEvent extends WorkflowEvent> {
  ctx: RequestContext;
  transition: Transition<TRow, TSnapshot, TEvent>;
  /** Queues a notification to an audience; the engine writes them all in one statement before it returns. */
  notify(audience: Audience): void;
}

export type EffectHandlers<TEffect extends string, TRow extends LifecycleRow, TSnapshot, TEvent extends WorkflowEvent> = Readonly<
  Record<TEffect, (run: EffectRun<TRow, TSnapshot, TEvent>) => void | Promise<void>>
>;

/**
 * What a feature tells the engine about its lifecycle: the table, the
 * projections of the snapshot it keeps in columns, who signs in which role,
 * what the signature records, and a handler for each effect the machine can
 * return. Everything else (machine resolution, refusal, the conditional
 * update, the signature, running the effects) is the engine's, the same for
 * every lifecycle.
 */
export interface Lifecycle<TRow extends LifecycleRow, TSnapshot extends AnyMachineSnapshot, TEvent extends WorkflowEvent, TEffect extends string> {
  subjectType: SignatureInput['subjectType'];
  entity: EntityTarget<TRow>;
  stateName(snapshot: TSnapshot): string;
  /** The signature an event writes, or null for unsigned events. */
  signatureKind(type: TEvent['type']): string | null;
  /** Why the machine refused `event` (a refusal reason code). */
  explainRefusal(before: TSnapshot, event: TEvent): string | null;
  /** What the caller could do instead, for the 409 answer. */
  availableActions(before: TSnapshot, event: TEvent): string[];
  /** Columns mirrored from the next snapshot, written in the same UPDATE. */
  projections(next: TSnapshot, row: TRow, now: Date): Partial<TRow>;
  /** Whether reaching `state` removes the row (only unsigned rows may be removed). */
  removes?(state: string): boolean;
  /** The role the signer acts in, recorded in the signature. */
  signerRole(user: AuthUser, event: TEvent, before: TSnapshot): string;
  /** The signature's comment and payload (what was signed besides the state change). */
  signed(event: TEvent, before: TSnapshot, next: TSnapshot): { comment: string | null; payload: Record<string, unknown> };
  effects: EffectHandlers<TEffect, TRow, TSnapshot, TEvent>;
  /** The text of the notification an effect sends (what happened, what the receiver is to do), and the item it is about. */
  notice(t: Transition<TRow, TSnapshot, TEvent>, effect: TEffect): { itemId: string | null; message: string };
  /**
   * The user the signer acts for (委派: a delegate signing in the delegator's
   * place), or null when the signer acts in their own right.
   */
  onBehalfOf?(event: TEvent, before: TSnapshot): { id: string; name: string } | null;
  /**
   * What a recorded change (a signature, or an unsigned change of state)
   * does to the report tallies: the row's columns that carry the folded
   * status, and the rows to add, written in the transition's own statement.
   */
  tally?(row: TRow, change: RecordedChange): { columns: Partial<TRow>; rows: TallyRow[] };
}

/** A change of a row as its history records it: what the reports replay. */
export interface RecordedChange {
  eventType: string;
  stateAfter: string;
  at: Date;
  /** The signature's payload ({} for an unsigned change). */
  payload: Record<string, unknown>;
}

export interface RunOptions<TRow> {
  /** Columns the feature changes with the event (an EDIT's fields), written in the same UPDATE. */
  fields?: Partial<TRow>;
  /** Evidence the signature references. */
  evidence?: EvidenceRef[];
  /** The signer's note when the event itself carries none (a campaign step's comment). */
  comment?: string | null;
  /** Report tallies the feature moves besides the event's own (a returned item's problem type edited). */
  tallies?: TallyRow[];
}

/**
 * The one code path of every signed lifecycle (problem items, campaigns): the
 * machine the row was written with decides (pure `transition()`); a refusal
 * is a typed 409 with the reason and what the caller may do instead; the new
 * snapshot is written with `UPDATE … WHERE id AND version` (a lost race is a
 * 409 and the caller's transaction rolls back); the signature is appended to
 * the subject's hash chain; the effects the machine returned run through the
 * lifecycle's handlers, and their notifications are inserted, all in the
 * caller's transaction.
 */
@Injectable()
export class WorkflowRunner {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private readonly entitySql = new Map<EntityTarget<ObjectLiteral>, EntitySql<ObjectLiteral>>();

  async run<TRow extends LifecycleRow, TSnapshot extends AnyMachineSnapshot, TEvent extends WorkflowEvent, TEffect extends string>(
    ctx: RequestContext,
    lifecycle: Lifecycle<TRow, TSnapshot, TEvent, TEffect>,
    row: TRow,
    event: TEvent,
    options: RunOptions<TRow> = {},
  ): Promise<Transition<TRow, TSnapshot, TEvent>> {
    const step = this.step(ctx, lifecycle, row, event, options);
    // The effects only name whom to tell: they run first, so the notifications go into the transition's statement.
    const notice = await this.effectsOf(ctx, lifecycle, step);
    const unsigned = !step.deleted && !step.signature && step.stateAfter !== row.state;
    // Every signature is an audit event too (等保 安全审计), written in the same statement; so is an unsigned change of state.
    const audit = step.signature
      ? this.signatureAudit(ctx, step.signature)
      : unsigned
        ? this.audit.row(ctx.user, unsignedTransitionAction(lifecycle.subjectType, event.type), lifecycle.subjectType, row.id, unsignedDetails(step))
        : null;
    if ((await this.write(ctx, lifecycle.entity, step, notice, audit)) !== 1) throw versionConflict();
    return step;
  }

  /**
   * All the writes of a transition as one statement, so that it is atomic
   * without a transaction of its own and costs one round trip: the
   * conditional versioned UPDATE of the row (snapshot, projections, fields,
   * chain head) or its DELETE, and, only if that touched the row, the
   * signature, the notifications and the audit record of an unsigned change.
   * Answers how many rows it touched (0: another writer came first). The SQL
   * is written here, not built by a query builder on every request.
   */
  private async write<TRow extends LifecycleRow, TSnapshot, TEvent extends WorkflowEvent>(
    ctx: RequestContext,
    entity: EntityTarget<TRow>,
    step: Transition<TRow, TSnapshot, TEvent> & { columns: Partial<TRow> },
    notice: NoticeGroup,
    audit: AuditEvent | null,
  ): Promise<number> {
    const params = new Params();
    const rows = this.sql(ctx, entity);
    const guard = `"id" = ${params.add(step.row.id)} AND "version" = ${params.add(step.row.version)}`;
    const ctes = step.deleted
      ? [`moved AS (DELETE FROM ${rows.table} WHERE ${guard} RETURNING 1)`]
      : [
          `moved AS (UPDATE ${rows.table} SET ${[...rows.assignments(step.columns, params), '"version" = "version" + 1'].join(', ')} WHERE ${guard} RETURNING 1)`,
        ];
    if (step.signature) ctes.push(`signed AS (${this.sql(ctx, Signature).insertFrom(step.signature, 'moved', params)})`);
    if (audit) ctes.push(`audited AS (${this.sql(ctx, AuditEvent).insertFrom(audit, 'moved', params)})`);
    if (step.tallies.length) ctes.push(`tallied AS (${tallyUpsertSql(step.tallies, params, 'EXISTS (SELECT 1 FROM moved)')})`);
    const told = notificationsInsert([notice], params, 'EXISTS (SELECT 1 FROM moved)');
    if (told) ctes.push(`told AS (${told})`);
    const result: Array<{ moved: number }> = await ctx.tx.query(`WITH ${ctes.join(', ')} SELECT count(*)::int AS moved FROM moved`, params.values);
    return result[0].moved;
  }

  /** The hand-written SQL of an entity, made once per process. */
  private sql<T extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<T>): EntitySql<T> {
    let sql = this.entitySql.get(entity) as EntitySql<T> | undefined;
    if (!sql) {
      sql = new EntitySql(ctx.tx.connection, entity);
      this.entitySql.set(entity, sql);
    }
    return sql;
  }

  /**
   * Rows that do not exist yet, each with the events it goes through on
   * creation (the ledger import's drafts, edited and submitted), written
   * set-based: every event is the same step as `run` takes — the machine,
   * the refusal, the projections, the signature chained from the row's head,
   * the effect handlers — applied in memory; then the rows as they end up,
   * their signatures and their notifications go in with multi-row INSERTs,
   * in the caller's transaction. The rows come in as they would be inserted
   * (version 1, empty chain); the answer is each row as stored.
   */
  async insertAll<TRow extends LifecycleRow, TSnapshot extends AnyMachineSnapshot, TEvent extends WorkflowEvent, TEffect extends string>(
    ctx: RequestContext,
    lifecycle: Lifecycle<TRow, TSnapshot, TEvent, TEffect>,
    batch: ReadonlyArray<{ row: TRow; events: readonly TEvent[] }>,
  ): Promise<TRow[]> {
    const rows: TRow[] = [];
    const signatures: Signature[] = [];
    const tallies: TallyRow[] = [];
    const notices: NoticeGroup[] = [];
    for (const { row: created, events } of batch) {
      let row = created;
      for (const event of events) {
        const step = this.step(ctx, lifecycle, row, event, {});
        if (step.deleted) throw new Error(`${lifecycle.subjectType} ${row.id}: ${event.type} removes a row that is being created`);
        if (step.signature) signatures.push(step.signature);
        else if (step.stateAfter !== row.state) await this.recordUnsigned(ctx, lifecycle, step);
        tallies.push(...step.tallies);
        notices.push(await this.effectsOf(ctx, lifecycle, step));
        row = step.after;
      }
      rows.push(row);
    }
    await insertChunked(ctx.tx, lifecycle.entity, rows, ROWS_PER_INSERT);
    await insertChunked(ctx.tx, Signature, signatures, ROWS_PER_INSERT);
    await insertChunked(
      ctx.tx,
      AuditEvent,
      signatures.map((sig) => this.signatureAudit(ctx, sig)),
      ROWS_PER_INSERT,
    );
    await this.notifications.insertAllWithin(ctx.tx, notices);
    const merged = mergeTallies(tallies);
    for (let from = 0; from < merged.length; from += TALLY_ROWS_PER_UPSERT) {
      const params = new Params();
      await ctx.tx.query(tallyUpsertSql(merged.slice(from, from + TALLY_ROWS_PER_UPSERT), params), params.values);
    }
    return rows;
  }

  /**
   * One event on one row, in memory: the machine the row was written with
   * decides, a refusal is the typed 409, and the answer holds what is to be
   * written (the columns, the signature made from the row's chain head).
   */
  private step<TRow extends LifecycleRow, TSnapshot extends AnyMachineSnapshot, TEvent extends WorkflowEvent, TEffect extends string>(
    ctx: RequestContext,
    lifecycle: Lifecycle<TRow, TSnapshot, TEvent, TEffect>,
    row: TRow,
    event: TEvent,
    options: RunOptions<TRow>,
  ): Transition<TRow, TSnapshot, TEvent> & { columns: Partial<TRow> } {
    const machine = resolveMachine(row.workflowId, row.workflowVersion);
    const before = fromStored(machine, row.snapshot) as TSnapshot;
    const result = applyEvent(machine, before, event as never);
    if (!result.accepted) {
      throw transitionRefused(lifecycle.explainRefusal(before, event), row.state, lifecycle.availableActions(before, event));
    }
    const next = result.snapshot as TSnapshot;
    const stateAfter = lifecycle.stateName(next);
    const now = this.clock.now();
    const base = { event, row, before, next, stateAfter, now, effects: result.actions.map((a) => a.type) };

    if (lifecycle.removes?.(stateAfter)) return { ...base, after: row, deleted: true, signature: null, tallies: [], columns: {} };

    // The signature is made first: its seq and hash move the row's chain head in the same UPDATE.
    const kind = lifecycle.signatureKind(event.type);
    const signature = kind ? this.sign(ctx, lifecycle, row, event, { kind, before, next, stateAfter, now }, options) : null;
    // What the history records (a signature, an unsigned change of state) is what the reports count.
    const recorded = signature !== null || stateAfter !== row.state;
    const tally = recorded
      ? lifecycle.tally?.({ ...row, ...options.fields }, { eventType: event.type, stateAfter, at: now, payload: signature?.payload ?? {} })
      : undefined;
    const tallies = tally || options.tallies ? mergeTallies([...(tally?.rows ?? []), ...(options.tallies ?? [])]) : [];
    const columns = {
      ...options.fields,
      ...tally?.columns,
      ...lifecycle.projections(next, row, now),
      snapshot: toStored(next) as unknown as Record<string, unknown>,
      ...(signature ? { chainSeq: signature.seq, chainHead: signature.hash } : {}),
    } as Partial<TRow>;
    const after = { ...row, ...columns, version: row.version + 1 } as TRow;
    return { ...base, after, deleted: false, signature, tallies, columns };
  }

  /** An unsigned change of state (WITHDRAW) is still recorded, outside the chain, so histories replay it. */
  private signatureAudit(ctx: RequestContext, sig: Signature): AuditEvent {
    return signatureAuditRow(this.audit, ctx.user, sig);
  }

  private async recordUnsigned<TRow extends LifecycleRow, TSnapshot, TEvent extends WorkflowEvent>(
    ctx: RequestContext,
    lifecycle: { subjectType: string },
    t: Transition<TRow, TSnapshot, TEvent>,
  ): Promise<void> {
    await this.audit.record(
      ctx.user,
      unsignedTransitionAction(lifecycle.subjectType, t.event.type),
      lifecycle.subjectType,
      t.row.id,
      unsignedDetails(t),
      ctx.tx,
    );
  }

  private sign<TRow extends LifecycleRow, TSnapshot extends AnyMachineSnapshot, TEvent extends WorkflowEvent, TEffect extends string>(
    ctx: RequestContext,
    lifecycle: Lifecycle<TRow, TSnapshot, TEvent, TEffect>,
    row: TRow,
    event: TEvent,
    t: { kind: string; before: TSnapshot; next: TSnapshot; stateAfter: string; now: Date },
    options: RunOptions<TRow>,
  ): Signature {
    const { comment, payload } = lifecycle.signed(event, t.before, t.next);
    const onBehalfOf = lifecycle.onBehalfOf?.(event, t.before) ?? null;
    return this.signatures.next(
      { seq: row.chainSeq, hash: row.chainHead },
      {
        countyId: row.countyId,
        subjectType: lifecycle.subjectType,
        subjectId: row.id,
        kind: t.kind,
        eventType: event.type,
        signer: {
          id: ctx.user.id,
          name: ctx.user.displayName,
          role: lifecycle.signerRole(ctx.user, event, t.before),
          orgUnitId: ctx.user.orgUnitId,
          orgUnitName: ctx.user.orgUnitName,
        },
        onBehalfOf,
        comment: options.comment !== undefined ? options.comment : comment,
        payload,
        evidence: options.evidence ?? [],
        stateBefore: row.state,
        stateAfter: t.stateAfter,
        signedAt: t.now,
      },
    );
  }

  /**
   * Runs the handlers of the effects the machine returned; the notifications
   * they ask for, one per effect that named an audience, in the machine's
   * order (which is their precedence), never to the caller themself.
   */
  private async effectsOf<TRow extends LifecycleRow, TSnapshot extends AnyMachineSnapshot, TEvent extends WorkflowEvent, TEffect extends string>(
    ctx: RequestContext,
    lifecycle: Lifecycle<TRow, TSnapshot, TEvent, TEffect>,
    transition: Transition<TRow, TSnapshot, TEvent>,
  ): Promise<OutgoingNotification[]> {
    const out: OutgoingNotification[] = [];
    for (const type of transition.effects as TEffect[]) {
      const handler = (lifecycle.effects as Record<string, EffectHandlers<TEffect, TRow, TSnapshot, TEvent>[TEffect] | undefined>)[type];
      if (!handler) throw new Error(`no handler for the ${lifecycle.subjectType} effect ${type}`);
      const audiences: Audience[] = [];
      await handler({ ctx, transition, notify: (a) => audiences.push(a) });
      if (audiences.length === 0) continue;
      const { itemId, message } = lifecycle.notice(transition, type);
      out.push({ countyId: transition.row.countyId, itemId, kind: type, message, audiences, exceptUserId: ctx.user.id });
    }
    return out;
  }
}

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters for the widest row (problem items, about 40 columns). */
const ROWS_PER_INSERT = 500;

/**
 * Inserts `rows` as they are (ids included) in multi-row INSERTs of `size`,
 * nothing read back. The columns and the conversion of each value (jsonb,
 * dates) are the entity's, as TypeORM's own insert has them; the statement is
 * built here because TypeORM's builder checks every new parameter against
 * all earlier ones, which grows with the square of the rows.
 */
async function insertChunked<T extends ObjectLiteral>(tx: EntityManager, entity: EntityTarget<T>, rows: readonly T[], size: number): Promise<void> {
  if (rows.length === 0) return;
  const metadata = tx.connection.getMetadata(entity);
  const driver = tx.connection.driver;
  // One column per database name: a relation's join column may repeat a foreign-key column the entity declares itself.
  const byName = new Map<string, ColumnMetadata>();
  for (const c of metadata.columns) if (c.isInsert && !c.isVirtual && (!byName.has(c.databaseName) || !c.relationMetadata)) byName.set(c.databaseName, c);
  const columns = [...byName.values()];
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  for (let from = 0; from < rows.length; from += size) {
    const params: unknown[] = [];
    const tuples = rows.slice(from, from + size).map((row) => {
      const values = columns.map((c) => {
        const value: unknown = row[c.propertyName];
        if (value === undefined) return 'DEFAULT';
        params.push(driver.preparePersistentValue(value, c));
        return `$${params.length}`;
      });
      return `(${values.join(', ')})`;
    });
    await tx.query(`INSERT INTO ${driver.escape(metadata.tablePath)} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
}

/** What the audit record of an unsigned state change holds. */
function unsignedDetails(t: Transition<LifecycleRow, unknown, WorkflowEvent>): Record<string, unknown> {
  return { eventType: t.event.type, stateBefore: t.row.state, stateAfter: t.stateAfter, at: t.now.toISOString() };
}

/** The audit action recording an unsigned state change, e.g. `item.withdraw`. */
export function unsignedTransitionAction(subjectType: string, eventType: string): string {
  return `${subjectType}.${eventType.toLowerCase()}`;
}
