import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import type { Role } from '../auth/roles';
import { Clock } from '../common/clock';
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
  | { kind: 'inspectorsOf'; townshipId: string }
  /** Whoever holds, on day `on` (YYYY-MM-DD), an active delegation (委派) from a user the inner audiences name. */
  | { kind: 'delegatesOf'; of: Audience[]; on: string };

export interface OutgoingNotification {
  countyId: string;
  itemId: string | null;
  /** The workflow effect (or job) that sent it, e.g. `notifyRectifier`, `deadlineSoon`. */
  kind: string;
  message: string;
  audiences: Audience[];
  /** Left out even when an audience includes them: whoever acted is not told of their own action. */
  exceptUserId?: string;
}

/**
 * The notifications of one transition (or one reminder), in order of
 * precedence: a person several of them reach gets only the first (a leader
 * who is also the investigator reads "待您审核", not two messages).
 */
export type NoticeGroup = readonly OutgoingNotification[];

/**
 * Messages to users. The workflow engine decides whom to tell (its effect
 * handlers name audiences) and writes the notifications in the transaction of
 * the transition they follow, so they exist exactly when the change does.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly clock: Clock,
  ) {}

  /** The notifications of many transitions (a batch), in as few INSERT … SELECT statements as there are counties. */
  async insertAllWithin(tx: EntityManager, groups: readonly NoticeGroup[]): Promise<void> {
    const byCounty = new Map<string, NoticeGroup[]>();
    for (const g of groups) {
      if (g.length === 0) continue;
      const list = byCounty.get(g[0].countyId);
      if (list) list.push(g);
      else byCounty.set(g[0].countyId, [g]);
    }
    for (const list of byCounty.values()) {
      const params = new Params();
      const sql = notificationsInsert(list, params);
      if (sql) await tx.query(sql, params.values);
    }
  }

  list(user: AuthUser, unreadOnly = false): Promise<Notification[]> {
    return this.notifications.find({
      where: { userId: user.id, ...(unreadOnly ? { readAt: IsNull() } : {}) },
      order: { createdAt: 'DESC' },
      take: 100,
    });
  }

  /** How many of my notifications are unread (all of them, not only the 100 the list shows). */
  unreadCount(user: AuthUser): Promise<number> {
    return this.notifications.count({ where: { userId: user.id, readAt: IsNull() } });
  }

  /** Marks one of my notifications read; someone else's (or an unknown id) is 404. Reading twice keeps the first time. */
  async markRead(user: AuthUser, id: string): Promise<void> {
    const result = await this.notifications.update({ id, userId: user.id, readAt: IsNull() }, { readAt: this.clock.now() });
    if (result.affected) return;
    if (!(await this.notifications.exists({ where: { id, userId: user.id } }))) throw DomainError.notFound('消息');
  }

  /** Marks all my unread notifications read; answers how many were marked. */
  async markAllRead(user: AuthUser): Promise<number> {
    const result = await this.notifications.update({ userId: user.id, readAt: IsNull() }, { readAt: this.clock.now() });
    return result.affected ?? 0;
  }
}

/** Who an audience names, as a condition on `users u` (null: nobody). */
function audienceCondition(audiences: readonly Audience[], params: Params, u = 'u'): string | null {
  const conditions: string[] = [];
  for (const a of audiences) {
    switch (a.kind) {
      case 'users':
        if (a.userIds.length) conditions.push(`${u}.id = ANY(${params.add(a.userIds)}::uuid[])`);
        break;
      case 'unitRoles':
        conditions.push(`(${u}.active AND ${u}.org_unit_id = ${params.add(a.orgUnitId)} AND ${u}.roles && ${params.add(a.roles)}::text[])`);
        break;
      case 'countyRoles':
        conditions.push(`(${u}.active AND ${u}.roles && ${params.add(a.roles)}::text[])`);
        break;
      case 'inspectorsOf':
        conditions.push(
          `(${u}.active AND 'inspector' = ANY(${u}.roles) AND ${u}.org_unit_id IN (SELECT c.group_id FROM supervision_coverage c WHERE c.township_id = ${params.add(a.townshipId)}))`,
        );
        break;
      case 'delegatesOf': {
        // Active delegates of the users the inner audience names: they do the delegator's duties, so they hear of them.
        const inner = audienceCondition(a.of, params, 'p');
        if (inner) {
          conditions.push(
            `(${u}.active AND ${u}.id IN (SELECT d.delegate_id FROM delegations d JOIN users p ON p.id = d.delegator_id WHERE d.county_id = ${u}.county_id AND d.ended_at IS NULL AND ${params.add(a.on)}::date BETWEEN d.starts_on AND d.ends_on AND ${inner}))`,
          );
        }
        break;
      }
    }
  }
  return conditions.length ? conditions.join(' OR ') : null;
}

/**
 * The INSERT … SELECT of the notifications of one county's transitions (one
 * row per recipient and transition: within a group the first notification
 * that reaches a person wins), over item, kind, message, audience slot and
 * the person left out, as arrays; null when the audiences name nobody.
 * `onlyIf`, a condition of the same statement (the transition's own CTE),
 * lets the sign-off write its notifications in the statement that moves the
 * item.
 */
export function notificationsInsert(groups: readonly NoticeGroup[], params: Params, onlyIf?: string): string | null {
  const all = groups.flatMap((g, group) => g.map((n) => ({ n, group })));
  if (all.length === 0) return null;
  const county = params.add(all[0].n.countyId);
  const slots = new Map<string, number>();
  const slotConditions: string[] = [];
  const slotOf = all.map(({ n }) => {
    const key = JSON.stringify(n.audiences);
    let slot = slots.get(key);
    if (slot === undefined) {
      const condition = audienceCondition(n.audiences, params);
      slot = slotConditions.length;
      slots.set(key, slot);
      slotConditions.push(condition ? `(n.slot = ${slot} AND (${condition}))` : 'FALSE');
    }
    return slot;
  });
  const reaching = slotConditions.filter((c) => c !== 'FALSE');
  if (reaching.length === 0) return null;
  const arrays = [
    `${params.add(all.map(({ group }) => group))}::int[]`,
    `${params.add(all.map(({ n }) => n.itemId))}::uuid[]`,
    `${params.add(all.map(({ n }) => n.kind))}::text[]`,
    `${params.add(all.map(({ n }) => n.message))}::text[]`,
    `${params.add(slotOf)}::int[]`,
    `${params.add(all.map(({ n }) => n.exceptUserId ?? null))}::uuid[]`,
  ];
  const guard = onlyIf ? ` AND ${onlyIf}` : '';
  return `INSERT INTO notifications (county_id, user_id, item_id, kind, message)
         SELECT DISTINCT ON (n.grp, u.id) ${county}::uuid, u.id, n.item_id, n.kind, n.message
         FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS n(grp, item_id, kind, message, slot, except_id, ord)
         CROSS JOIN users u WHERE u.county_id = ${county}::uuid AND u.id IS DISTINCT FROM n.except_id AND (${reaching.join(' OR ')})${guard}
         ORDER BY n.grp, u.id, n.ord`;
}
