import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthUser, hasRole } from '../auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { NotificationsService } from '../notifications/notifications.service';
import { NoticeResponse } from './reports.response';
import { mapNotice } from './reports.service';
import { SupervisionNotice } from './supervision-notice.entity';

/**
 * 督办通知书 as the receiving unit handles it: the unit's leader, told when
 * it was issued (noticeIssuedNotification), acknowledges it (签收) and
 * replies (回复). Each step is recorded on the notice with time and user,
 * audited, and the issuer is told.
 */
@Injectable()
export class NoticeReceiptService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** 签收. Acknowledging again answers the notice as first acknowledged. */
  acknowledge(user: AuthUser, id: string, request: IdempotentRequest): Promise<NoticeResponse> {
    return this.idempotency.run(user, request, async (tx) => {
      const notice = await this.receivedOrThrow(tx, user, id);
      if (notice.acknowledgedAt === null) await this.acknowledgeWithin(tx, user, notice);
      return mapNotice(notice);
    });
  }

  /** 回复: once; it acknowledges the notice too if nobody has yet. */
  reply(user: AuthUser, id: string, text: string, request: IdempotentRequest): Promise<NoticeResponse> {
    const reply = text.trim();
    if (!reply) throw DomainError.validation('text', 'text 不能为空');
    return this.idempotency.run(user, request, async (tx) => {
      const notice = await this.receivedOrThrow(tx, user, id);
      if (notice.reply !== null) throw new DomainError('CONFLICT', `督办通知书第 ${notice.number} 号已由${notice.repliedByName}回复`);
      if (notice.acknowledgedAt === null) await this.acknowledgeWithin(tx, user, notice);
      const now = this.clock.now();
      Object.assign(notice, { reply, repliedAt: now, repliedById: user.id, repliedByName: user.displayName });
      await tx.update(SupervisionNotice, { id: notice.id }, { reply, repliedAt: now, repliedById: user.id, repliedByName: user.displayName });
      await this.audit.record(user, 'notice.reply', 'supervision_notice', notice.id, { number: notice.number, length: reply.length }, tx);
      await this.tellCountyOffice(tx, user, notice, 'noticeReplied', `${notice.recipient!.name}已回复督办通知书第 ${notice.number} 号：${reply.slice(0, 60)}`);
      return mapNotice(notice);
    });
  }

  private async acknowledgeWithin(tx: EntityManager, user: AuthUser, notice: SupervisionNotice): Promise<void> {
    const now = this.clock.now();
    Object.assign(notice, { acknowledgedAt: now, acknowledgedById: user.id, acknowledgedByName: user.displayName });
    await tx.update(SupervisionNotice, { id: notice.id }, { acknowledgedAt: now, acknowledgedById: user.id, acknowledgedByName: user.displayName });
    await this.audit.record(user, 'notice.acknowledge', 'supervision_notice', notice.id, { number: notice.number }, tx);
    await this.tellCountyOffice(
      tx,
      user,
      notice,
      'noticeAcknowledged',
      `${notice.recipient!.name}已签收督办通知书第 ${notice.number} 号（${user.displayName}）`,
    );
  }

  private tellCountyOffice(tx: EntityManager, user: AuthUser, notice: SupervisionNotice, kind: string, message: string): Promise<void> {
    return this.notifications.insertAllWithin(tx, [
      [{ countyId: notice.countyId, itemId: null, kind, message, audiences: [{ kind: 'users', userIds: [notice.issuedById] }], exceptUserId: user.id }],
    ]);
  }

  /**
   * The notice, locked, when the caller is who receives it: a township
   * leader of the township, or staff of the department. Anyone else gets 404
   * for a notice they cannot see, 403 for one they see but do not receive.
   */
  private async receivedOrThrow(tx: EntityManager, user: AuthUser, id: string): Promise<SupervisionNotice> {
    const notice = await tx
      .createQueryBuilder(SupervisionNotice, 'n')
      .innerJoinAndSelect('n.recipient', 'o')
      .innerJoinAndSelect('n.campaign', 'c')
      .where('n.id = :id AND n.county_id = :county', { id, county: user.countyId })
      .setLock('pessimistic_write', undefined, ['n'])
      .getOne();
    const recipient = notice?.recipient;
    if (!notice || !recipient || !user.orgUnitPath.startsWith(recipient.path)) throw DomainError.notFound('督办通知书');
    const receives = user.orgUnitId === recipient.id && (recipient.kind === 'township' ? hasRole(user, 'township_leader') : hasRole(user, 'department_staff'));
    if (!receives)
      throw DomainError.forbidden(
        recipient.kind === 'township' ? '只有收件乡镇的分管负责人可以签收、回复督办通知书' : '只有收件部门的工作人员可以签收、回复督办通知书',
      );
    return notice;
  }
}
