import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { Role } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Params } from '../database/entity-sql';
import { Notification } from './notification.entity';

/** Who a notification goes to; each audience but `users` means active users only. */
export type Audience =
  /** These users, by id. */
  | { kind: 'users'; userIds: string[] }
  /** Users of one org unit holding any of the roles (a township's leaders, a department's staff). */
  | { kind: 'unitRoles'; orgUnitId: string; roles: Role[] }
  /** Users anywhere in the county holding any of the roles. */
  | { kind: 'countyRoles'; roles: Role[] }
  /** Inspectors of the supervision groups covering a township. */
  | { kind: 'inspectorsOf'; townshipId: string };

export interface OutgoingNotification {
  countyId: string;
  itemId: string | null;
  /** The workflow effects that sent it, comma-separated. */
  kind: string;
  message: string;
  audiences: Audience[];
  /** Left out even when an audience includes them (the signer of a campaign step). */
  exceptUserId?: string;
}

/**
 * Messages to users. The workflow engine decides whom to tell (its effect
 * handlers name audiences) and writes the notifications in the transaction of
 * the transition they follow, so they exist exactly when the change does.
 */
@Injectable()
export class NotificationsService {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

  /** One notification per recipient, every audience resolved in the same single INSERT … SELECT. */
  insertWithin(tx: EntityManager, n: OutgoingNotification): Promise<void> {
    return this.insertAllWithin(tx, [n]);
  }

  /**
   * Many notifications (a batch of transitions), set-based: one INSERT …
   * SELECT per distinct set of audiences, over the notifications' item,
   * kind and message as arrays. A ledger import of one township's rows is one
   * statement however many rows it submits.
   */
  async insertAllWithin(tx: EntityManager, all: readonly OutgoingNotification[]): Promise<void> {
    const groups = new Map<string, OutgoingNotification[]>();
    for (const n of all) {
      const key = JSON.stringify([n.countyId, n.audiences, n.exceptUserId ?? null]);
      const group = groups.get(key);
      if (group) group.push(n);
      else groups.set(key, [n]);
    }
    for (const group of groups.values()) {
      const params = new Params();
      const sql = notificationsInsert(group, params);
      if (sql) await tx.query(sql, params.values);
    }
  }

  list(user: AuthUser): Promise<Notification[]> {
    return this.notifications.find({ where: { userId: user.id }, order: { createdAt: 'DESC' }, take: 100 });
  }

  /** Marks one of my notifications read; someone else's (or an unknown id) is 404. Reading twice keeps the first time. */
  async markRead(user: AuthUser, id: string): Promise<void> {
    const n = await this.notifications.findOne({ where: { id, userId: user.id } });
    if (!n) throw DomainError.notFound('消息');
    if (!n.readAt) await this.notifications.update({ id, userId: user.id, readAt: IsNull() }, { readAt: new Date() });
  }

  async markAllRead(user: AuthUser): Promise<void> {
    await this.notifications.update({ userId: user.id, readAt: IsNull() }, { readAt: new Date() });
  }
}

/**
 * The INSERT … SELECT of notifications that share their county and
 * audiences (one row per recipient and notification), over their item, kind
 * and message as arrays; null when the audiences name nobody. `onlyIf`, a
 * condition of the same statement (the transition's own CTE), lets the
 * sign-off write its notifications in the statement that moves the item.
 */
export function notificationsInsert(group: readonly OutgoingNotification[], params: Params, onlyIf?: string): string | null {
  const [{ countyId, audiences, exceptUserId }] = group;
  const county = params.add(countyId);
  const items = params.add(group.map((n) => n.itemId));
  const kinds = params.add(group.map((n) => n.kind));
  const messages = params.add(group.map((n) => n.message));
  const conditions: string[] = [];
  for (const a of audiences) {
    switch (a.kind) {
      case 'users':
        if (a.userIds.length) conditions.push(`u.id = ANY(${params.add(a.userIds)}::uuid[])`);
        break;
      case 'unitRoles':
        conditions.push(`(u.active AND u.org_unit_id = ${params.add(a.orgUnitId)} AND u.roles && ${params.add(a.roles)}::text[])`);
        break;
      case 'countyRoles':
        conditions.push(`(u.active AND u.roles && ${params.add(a.roles)}::text[])`);
        break;
      case 'inspectorsOf':
        conditions.push(
          `(u.active AND 'inspector' = ANY(u.roles) AND u.org_unit_id IN (SELECT c.group_id FROM supervision_coverage c WHERE c.township_id = ${params.add(a.townshipId)}))`,
        );
        break;
    }
  }
  if (conditions.length === 0) return null;
  const except = exceptUserId ? ` AND u.id <> ${params.add(exceptUserId)}` : '';
  const guard = onlyIf ? ` AND ${onlyIf}` : '';
  return `INSERT INTO notifications (county_id, user_id, item_id, kind, message)
         SELECT ${county}::uuid, u.id, n.item_id, n.kind, n.message
         FROM unnest(${items}::uuid[], ${kinds}::text[], ${messages}::text[]) AS n(item_id, kind, message)
         CROSS JOIN users u WHERE u.county_id = ${county}::uuid AND (${conditions.join(' OR ')})${except}${guard}`;
}
