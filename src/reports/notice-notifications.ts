import { chineseDay } from '../../workflows';
import type { Audience, OutgoingNotification } from '../notifications/notifications.service';
import type { OrgUnit } from '../orgs/org-unit.entity';
import type { SupervisionNotice } from './supervision-notice.entity';

/**
 * What issuing a 督办通知书 tells the receiving unit: a township's 分管负责人,
 * a department's staff — what is overdue, by when, and that they are to
 * acknowledge and reply. Not a delegate (委派 hands over review and
 * acceptance, not the answer to the county office): they could not sign for it.
 */
export function noticeIssuedNotification(notice: SupervisionNotice, recipient: OrgUnit, campaignTitle: string, issuerId: string): OutgoingNotification {
  const leaders: Audience =
    recipient.kind === 'township'
      ? { kind: 'unitRoles', orgUnitId: recipient.id, roles: ['township_leader'] }
      : { kind: 'unitRoles', orgUnitId: recipient.id, roles: ['department_staff'] };
  return {
    countyId: notice.countyId,
    itemId: null,
    kind: 'supervisionNotice',
    message: `督办通知书第 ${notice.number} 号（${campaignTitle}）：${recipient.name}有 ${notice.items.length} 个超期问题，限 ${chineseDay(notice.deadline)}前整改到位，待您签收并回复`,
    audiences: [leaders],
    exceptUserId: issuerId,
  };
}
