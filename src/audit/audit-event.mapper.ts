import type { User } from '../users/user.entity';
import { AuditEvent } from './audit-event.entity';
import { AuditEventResponse } from './audit-event.response';

export function mapAuditEvent(e: AuditEvent, actor: User | null = null): AuditEventResponse {
  return {
    id: e.id,
    actorId: e.actorId,
    actor: actor ? { id: actor.id, username: actor.username, displayName: actor.displayName } : null,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    details: e.details,
    requestId: e.requestId,
    orgUnitId: e.orgUnitId,
    result: e.result,
    sourceIp: e.sourceIp,
    createdAt: e.createdAt.toISOString(),
  };
}
