import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RequestContext } from './request-context';
import { EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
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
    const qb = this.events.createQueryBuilder('e').where('e.county_id = :countyId', { countyId });
    if (q.before) qb.andWhere('e.created_at < :before', { before: new Date(q.before) });
    if (q.from) qb.andWhere('e.created_at >= :from', { from: new Date(q.from) });
    if (q.action) {
      if (q.action.endsWith('.')) qb.andWhere("e.action LIKE :prefix ESCAPE '\\'", { prefix: `${q.action.replace(/_/g, '\\_')}%` });
      else qb.andWhere('e.action = :action', { action: q.action });
    }
    if (q.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: q.actorId });
    if (q.subjectId) qb.andWhere('e.subject_id = :subjectId', { subjectId: q.subjectId });
    const events = await qb
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(q.limit ?? 100)
      .getMany();
    const actorIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id))];
    const actors = actorIds.length ? await this.events.manager.find(User, { where: { id: In(actorIds), countyId } }) : [];
    const byId = new Map(actors.map((u) => [u.id, u]));
    return events.map((event) => ({ event, actor: event.actorId ? (byId.get(event.actorId) ?? null) : null }));
  }
}

/** Actions that record a refused or failed attempt. */
const FAILURES = /(_failed|_refused|_denied|\.denied|_locked)$/;

/** An event's result, from its action: refused and failed attempts are failures (auth.login_failed, access.denied…). */
export function resultOf(action: string): 'success' | 'failure' {
  return FAILURES.test(action) ? 'failure' : 'success';
}
