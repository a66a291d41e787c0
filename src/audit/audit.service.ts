import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { RequestContext } from './request-context';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { AuthUser } from '../auth/auth-user';
import { AuditEvent } from './audit-event.entity';

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
    const row: Partial<AuditEvent> = {
      countyId: actor.countyId,
      actorId: actor.id,
      action,
      subjectType,
      subjectId,
      details,
      requestId: RequestContext.current() ?? null,
    };
    await manager.insert(AuditEvent, row as QueryDeepPartialEntity<AuditEvent>);
  }

  list(countyId: string, limit: number, before?: Date): Promise<AuditEvent[]> {
    const qb = this.events.createQueryBuilder('e').where('e.county_id = :countyId', { countyId });
    if (before) qb.andWhere('e.created_at < :before', { before });
    return qb.orderBy('e.created_at', 'DESC').limit(limit).getMany();
  }
}
