import { passwordRules } from '../auth/password-policy';
import type { CountyPasswordPolicy } from '../auth/password-policy.service';
import { ROLE_LABELS } from '../auth/roles';
import type { RoleGrantView } from '../users/roles.service';
import type { User } from '../users/user.entity';
import { PasswordPolicyResponse, RoleGrantPersonResponse, RoleGrantResponse } from './security.response';

const STATUS_LABELS = { pending: '待批准', approved: '已批准', rejected: '已驳回' } as const;

function person(u: Pick<User, 'id' | 'username' | 'displayName'>): RoleGrantPersonResponse {
  return { id: u.id, username: u.username, displayName: u.displayName };
}

export function mapRoleGrant({ grant: g, user, proposer, decider }: RoleGrantView): RoleGrantResponse {
  return {
    id: g.id,
    user: person(user),
    role: g.role,
    roleLabel: ROLE_LABELS[g.role],
    status: g.status,
    statusLabel: STATUS_LABELS[g.status],
    proposedBy: person(proposer),
    proposedAt: g.proposedAt.toISOString(),
    reason: g.reason,
    decidedBy: decider ? person(decider) : null,
    decidedAt: g.decidedAt ? g.decidedAt.toISOString() : null,
    decisionComment: g.decisionComment,
  };
}

export function mapPasswordPolicy(p: CountyPasswordPolicy): PasswordPolicyResponse {
  return {
    minLength: p.minLength,
    minCharClasses: p.minCharClasses,
    maxAgeDays: p.maxAgeDays,
    historySize: p.historySize,
    source: p.source,
    updatedAt: p.updatedAt ? p.updatedAt.toISOString() : null,
    updatedBy: p.updatedBy,
    rules: passwordRules(p.minLength, p.minCharClasses, p.historySize),
  };
}
