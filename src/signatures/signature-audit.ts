import type { AuditService } from '../audit/audit.service';
import type { AuditEvent } from '../audit/audit-event.entity';
import type { AuthUser } from '../auth/auth-user';
import type { Signature } from './signature.entity';

/** The audit action every signature is recorded under (等保 安全审计: each signature is an audit event as well as a link). */
export const SIGNATURE_AUDIT_ACTION = 'signature.signed';

/** The audit record of a signature: who signed what, as which step, from which state to which (the link itself is in the chain). */
export function signatureAuditRow(audit: AuditService, signer: AuthUser, sig: Signature): AuditEvent {
  return audit.row(signer, SIGNATURE_AUDIT_ACTION, sig.subjectType, sig.subjectId, {
    seq: sig.seq,
    kind: sig.kind,
    event: sig.eventType,
    stateBefore: sig.stateBefore,
    stateAfter: sig.stateAfter,
    ...(sig.onBehalfOfId ? { onBehalfOf: { id: sig.onBehalfOfId, name: sig.onBehalfOfName } } : {}),
  });
}
