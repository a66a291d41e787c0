import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { AuthUser } from '../auth/auth-user';
import { ITEM_STATE_LABELS } from '../items/item.mapper';
import type { ProblemItem } from '../items/problem-item.entity';
import { SupervisionCoverage } from '../orgs/supervision-coverage.entity';
import { User } from '../users/user.entity';
import { Notification } from './notification.entity';

/**
 * The effects of item transitions: the machine names who to tell
 * (notifyReviewer, notifyRectifier, …); this decides which users those are.
 * Runs after the transition has committed.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async notifyForItem(actions: string[], item: ProblemItem): Promise<void> {
    const recipients = new Set<string>();
    for (const action of actions) {
      for (const id of await this.recipients(action, item)) recipients.add(id);
    }
    if (recipients.size === 0) return;
    const message = `问题 #${item.number}「${item.description.slice(0, 40)}」现为${ITEM_STATE_LABELS[item.state] ?? item.state}`;
    await this.notifications.insert(
      [...recipients].map((userId) => ({ countyId: item.countyId, userId, itemId: item.id, kind: actions.join(','), message })),
    );
  }

  private async recipients(action: string, item: ProblemItem): Promise<string[]> {
    const active = this.users.createQueryBuilder('u').select('u.id').where('u.county_id = :county AND u.active', { county: item.countyId });
    switch (action) {
      case 'notifyInvestigator':
        return [item.investigatorId];
      case 'notifyRectifier':
        if (item.rectifierId) return [item.rectifierId];
        if (!item.responsibleOrgUnitId) return [];
        return (await active.andWhere(`u.org_unit_id = :unit AND u.roles && ARRAY['department_staff','county_office']::text[]`, { unit: item.responsibleOrgUnitId }).getMany()).map((u) => u.id);
      case 'notifyReviewer':
        return item.reviewLevel === 'township' && item.townshipId
          ? (await active.andWhere(`u.org_unit_id = :tw AND 'township_leader' = ANY(u.roles)`, { tw: item.townshipId }).getMany()).map((u) => u.id)
          : (await active.andWhere(`'county_office' = ANY(u.roles)`).getMany()).map((u) => u.id);
      case 'notifyInspector':
        if (!item.townshipId) return [];
        return (
          await active
            .innerJoin(SupervisionCoverage, 'c', 'c.group_id = u.org_unit_id')
            .andWhere(`c.township_id = :tw AND 'inspector' = ANY(u.roles)`, { tw: item.townshipId })
            .getMany()
        ).map((u) => u.id);
      default:
        return [];
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
