import { useQuery } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../../api/client';

export type RoleGrant = Schemas['RoleGrantResponse'];
export type SecurityUser = Schemas['UserResponse'];
export type PasswordPolicy = Schemas['PasswordPolicyResponse'];

/** Role grants of the county (admin and security admin); `status` omitted: all, newest first. */
export function useRoleGrants(status?: 'pending') {
  return useQuery({
    queryKey: ['role-grants', status ?? 'all'],
    queryFn: () => ok(api.GET('/api/role-grants', { params: { query: status ? { status } : {} } })),
  });
}

/** The county's users as the security admin sees them (roles, pending roles, locks). */
export function useSecurityUsers() {
  return useQuery({ queryKey: ['security', 'users'], queryFn: () => ok(api.GET('/api/users')) });
}

export function usePasswordPolicy() {
  return useQuery({ queryKey: ['security', 'password-policy'], queryFn: () => ok(api.GET('/api/security/password-policy')) });
}
