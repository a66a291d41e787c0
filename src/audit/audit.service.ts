import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RequestContext } from './request-context';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import { chinaWallTime, Clock } from '../common/clock';
import { ChainKeys } from '../signatures/chain-keys';
import { User } from '../users/user.entity';
import { AuditEvent } from './audit-event.entity';
import { auditSeal } from './audit-seal';
import { ListAuditEventsQuery } from './dto/list-audit-events.query';

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly clock: Clock,
    private readonly keys: ChainKeys,
  ) {}

  /** Appends one audit event, inside the caller's transaction when one is given. */
  async record(
    actor: AuthUser,
    action: string,
    subjectType: string,
    subjectId: string | null,
    details: Record<string, unknown> = {},
    manager: EntityManager = this.events.manager,
  ): Promise<void> {
    await this.insert({ countyId: actor.countyId, actorId: actor.id, orgUnitId: actor.orgUnitId, action, subjectType, subjectId, details }, manager);
  }

  /**
   * Appends an event no signed-in user caused (a failed login, a lock that
   * expired): it belongs to the subject's county and has no actor.
   */
  async recordWithoutActor(
    countyId: string,
    action: string,
    subjectType: string,
    subjectId: string | null,
    details: Record<string, unknown> = {},
    manager: EntityManager = this.events.manager,
  ): Promise<void> {
    await this.insert({ countyId, actorId: null, orgUnitId: null, action, subjectType, subjectId, details }, manager);
  }

  /**
   * Deletes the audit events older than `months` (AUDIT_RETENTION_MONTHS, at
   * least 6: the database refuses younger ones), in one transaction that
   * tells the append-only trigger so, and records the purge of each county
   * as an audit event of its own (what the anchors' check reads). Answers
   * how many rows went.
   */
  async purge(months: number): Promise<number> {
    return this.events.manager.transaction(async (tx) => {
      // The service's role may not DELETE audit rows: this owner's function deletes only those past retention (and never younger than six months).
      const gone: Array<{ county_id: string; deleted: number; before: Date }> = await tx.query(
        `SELECT county_id, deleted, before FROM qingling_purge_audit_events($1)`,
        [months],
      );
      for (const { county_id: countyId, deleted, before } of gone) {
        await this.insert(
          {
            countyId,
            actorId: null,
            orgUnitId: null,
            action: 'audit.purge',
            subjectType: 'audit_log',
            subjectId: null,
            details: { before: before.toISOString(), deleted, retentionMonths: months },
          },
          tx,
        );
      }
      return gone.reduce((sum, g) => sum + g.deleted, 0);
    });
  }

  /**
   * The row `record` would insert, for a caller that writes it in a
   * statement of its own (the workflow engine's transition statement).
   */
  row(actor: AuthUser, action: string, subjectType: string, subjectId: string | null, details: Record<string, unknown> = {}): AuditEvent {
    return this.sealed({ countyId: actor.countyId, actorId: actor.id, orgUnitId: actor.orgUnitId, action, subjectType, subjectId, details });
  }

  private async insert(
    row: Omit<AuditEvent, 'id' | 'county' | 'requestId' | 'createdAt' | 'keyId' | 'seal' | 'result' | 'sourceIp'>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.insert(AuditEvent, this.sealed(row) as QueryDeepPartialEntity<AuditEvent>);
  }

  /** The row with its id, time, request id and seal, as it is stored (details as jsonb gives them back). */
  private sealed(row: Omit<AuditEvent, 'id' | 'county' | 'requestId' | 'createdAt' | 'keyId' | 'seal' | 'result' | 'sourceIp'>): AuditEvent {
    const fields = {
      ...row,
      id: randomUUID(),
      details: JSON.parse(JSON.stringify(row.details ?? {})) as Record<string, unknown>,
      requestId: RequestContext.current() ?? null,
      sourceIp: RequestContext.ip() ?? null,
      result: resultOf(row.action),
      createdAt: this.clock.now(),
      keyId: this.keys.currentId,
    };
    return Object.assign(new AuditEvent(), { ...fields, seal: auditSeal(fields, this.keys) });
  }

  /** The county's events, newest first, with the actor's name; filters are ANDed. */
  async list(countyId: string, q: ListAuditEventsQuery): Promise<Array<{ event: AuditEvent; actor: User | null }>> {
    const events = await this.filtered(countyId, q)
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(q.limit ?? 100)
      .getMany();
    return this.withActors(countyId, events);
  }

  /**
   * Streams every event the filters select (newest first, at most
   * AUDIT_EXPORT_MAX) as an .xlsx into the stream `open` returns, in keyset
   * batches, with real date cells; the export is itself an audit event.
   */
  async exportXlsx(user: AuthUser, q: ListAuditEventsQuery, open: (filename: string) => Writable): Promise<void> {
    await this.record(user, 'audit.export', 'audit_log', null, { filters: { ...q } });
    const units = new Map(
      ((await this.events.query(`SELECT id, name FROM org_units WHERE county_id = $1`, [user.countyId])) as Array<{ id: string; name: string }>).map((u) => [
        u.id,
        u.name,
      ]),
    );
    const out = open(`审计日志-${this.clock.today().replace(/-/g, '')}.xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [
      { header: '时间', width: 20, style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } },
      { header: '操作人', width: 18 },
      { header: '所在单位', width: 16 },
      { header: '操作', width: 26 },
      { header: '结果', width: 8 },
      { header: '对象类型', width: 14 },
      { header: '对象', width: 38 },
      { header: '来源地址', width: 16 },
      { header: '请求编号', width: 38 },
      { header: '详情', width: 60 },
    ];
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    let after: { at: Date; id: string } | null = null;
    let written = 0;
    while (written < AUDIT_EXPORT_MAX) {
      const qb = this.filtered(user.countyId, q);
      if (after) qb.andWhere('(e.created_at, e.id) < (:at, :id)', after);
      const batch = await qb.orderBy('e.created_at', 'DESC').addOrderBy('e.id', 'DESC').limit(1000).getMany();
      if (batch.length === 0) break;
      for (const { event, actor } of await this.withActors(user.countyId, batch)) {
        ws.addRow([
          chinaWallTime(event.createdAt),
          actor?.displayName ?? (event.actorId ? event.actorId : '（系统）'),
          event.orgUnitId ? (units.get(event.orgUnitId) ?? '') : '',
          event.action,
          event.result === 'failure' ? '失败' : '成功',
          event.subjectType,
          event.subjectId ?? '',
          event.sourceIp ?? '',
          event.requestId ?? '',
          JSON.stringify(event.details),
        ]).commit();
      }
      written += batch.length;
      const last = batch.at(-1)!;
      after = { at: last.createdAt, id: last.id };
    }
    ws.commit();
    await wb.commit();
  }

  private filtered(countyId: string, q: ListAuditEventsQuery): SelectQueryBuilder<AuditEvent> {
    const qb = this.events.createQueryBuilder('e').where('e.county_id = :countyId', { countyId });
    if (q.before) qb.andWhere('e.created_at < :before', { before: new Date(q.before) });
    if (q.from) qb.andWhere('e.created_at >= :from', { from: new Date(q.from) });
    if (q.action) {
      if (q.action.endsWith('.')) qb.andWhere("e.action LIKE :prefix ESCAPE '\\'", { prefix: `${q.action.replace(/_/g, '\\_')}%` });
      else qb.andWhere('e.action = :action', { action: q.action });
    }
    if (q.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: q.actorId });
    if (q.subjectId) qb.andWhere('e.subject_id = :subjectId', { subjectId: q.subjectId });
    return qb;
  }

  private async withActors(countyId: string, events: AuditEvent[]): Promise<Array<{ event: AuditEvent; actor: User | null }>> {
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id))];
    const actors = actorIds.length ? await this.events.manager.find(User, { where: { id: In(actorIds), countyId } }) : [];
    const byId = new Map(actors.map((u) => [u.id, u]));
    return events.map((event) => ({ event, actor: event.actorId ? (byId.get(event.actorId) ?? null) : null }));
  }
}

/** The most rows one audit export holds; narrow the period for more. */
export const AUDIT_EXPORT_MAX = 100_000;

/** Actions that record a refused or failed attempt. */
const FAILURES = /(_failed|_refused|_denied|\.denied|_locked)$/;

/** An event's result, from its action: refused and failed attempts are failures (auth.login_failed, access.denied…). */
export function resultOf(action: string): 'success' | 'failure' {
  return FAILURES.test(action) ? 'failure' : 'success';
}
