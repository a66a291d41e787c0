import type { AuthUser } from './auth-user';
import { CurrentUserResponse, SessionResponse } from './auth.response';
import type { PasswordPolicy } from './password-policy.service';
import { ROLE_LABELS } from './roles';
import type { Session } from './session.entity';

export function mapCurrentUser(
  user: AuthUser,
  policy: PasswordPolicy,
  secondFactor: Pick<CurrentUserResponse, 'totpEnabled' | 'totpEnrolmentRequired'>,
): CurrentUserResponse {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    roleLabels: user.roles.map((r) => ROLE_LABELS[r]),
    orgUnit: { id: user.orgUnitId, kind: user.orgUnitKind, name: user.orgUnitName },
    countyId: user.countyId,
    passwordChangeRequired: policy.changeRequired(user),
    passwordRules: policy.rules(user.countyId),
    ...secondFactor,
  };
}

export function mapSession(s: Session & { current: boolean }): SessionResponse {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.current,
  };
}
