import { AuditEvent } from './audit-event.entity';
import { AuditEventResponse } from './audit-event.response';

export function mapAuditEvent(e: AuditEvent): AuditEventResponse {
  return {
    id: e.id,
    actorId: e.actorId,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    details: e.details,
    requestId: e.requestId,
    createdAt: e.createdAt.toISOString(),
  };
}
