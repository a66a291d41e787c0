import { useQuery } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, ok, type Schemas } from '../../api/client';
import { fieldErrorsOf } from '../../lib/api-error';

export type OrgUnit = Schemas['OrgUnitResponse'];
export type User = Schemas['UserResponse'];

export function useOrgUnits() {
  return useQuery({ queryKey: ['admin', 'org-units'], queryFn: () => ok(api.GET('/api/admin/org-units')) });
}

export function useUsers() {
  return useQuery({ queryKey: ['admin', 'users'], queryFn: () => ok(api.GET('/api/admin/users')) });
}

/**
 * Puts the server's field errors beside the fields the form has; returns
 * whether any was placed (the caller shows the message otherwise).
 */
export function placeFieldErrors(form: FormInstance, err: unknown, fields: readonly string[]): boolean {
  const errors = fieldErrorsOf(err);
  const known = Object.keys(errors).filter((f) => fields.includes(f));
  form.setFields(known.map((f) => ({ name: f, errors: [errors[f]] })));
  return known.length > 0;
}
