import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RequestContext } from './request-context';
import { EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { AuthUser } from '../auth/auth-user';
import { User } from '../users/user.entity';
import { AuditEvent } from './audit-event.entity';
import { ListAuditEventsQuery } from './dto/list-audit-events.query';

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Appends one audit event, inside the caller's transaction when one is given. */
  async record(
    actor: AuthUser,
    action: string,
    subjectType: string,
    subjectId: string | null,
    details: Record<string, unknown> = {},
    manager: EntityManager = this.events.manager,
  ): Promise<void> {
    await this.insert({ countyId: actor.countyId, actorId: actor.id, action, subjectType, subjectId, details }, manager);
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
    await this.insert({ countyId, actorId: null, action, subjectType, subjectId, details }, manager);
  }

  /**
   * The row `record` would insert, for a caller that writes it in a
   * statement of its own (the workflow engine's transition statement).
   */
  row(actor: AuthUser, action: string, subjectType: string, subjectId: string | null, details: Record<string, unknown> = {}): AuditEvent {
    return Object.assign(new AuditEvent(), {
      countyId: actor.countyId,
      actorId: actor.id,
      action,
      subjectType,
      subjectId,
      details,
      requestId: RequestContext.current() ?? null,
    });
  }

  private async insert(row: Omit<AuditEvent, 'id' | 'county' | 'requestId' | 'createdAt'>, manager: EntityManager): Promise<void> {
    const full: Partial<AuditEvent> = { ...row, requestId: RequestContext.current() ?? null };
    await manager.insert(AuditEvent, full as QueryDeepPartialEntity<AuditEvent>);
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
