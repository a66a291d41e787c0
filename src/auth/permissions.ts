import type { Role } from './roles';

/**
 * Who may call each route: the route-level authorization of the API, one line per
 * operation, keyed `METHOD /api/path/{param}` exactly as the OpenAPI document
 * (/api/docs-json) names it.
 *
 * "Allowed" means the route lets the caller in: the answer is not 401
 * UNAUTHENTICATED and not 403 FORBIDDEN. It says nothing about records: an allowed
 * caller still gets 404 for a record outside their scope, 409 for an action their
 * role cannot take in the record's state, 400 for a bad body — those are the
 * service's checks, not the route's.
 *
 * - `'public'`: no access token needed (@Public()).
 * - `'any-authenticated'`: any logged-in user holding a role, whatever it is (no
 *   @Roles()). A user holding no role yet may call only the routes marked
 *   @AllowedBeforePasswordChange() (who am I, change my password): RolesGuard.
 * - `{ roles }`: only users holding one of these roles (@Roles(...roles)); every
 *   other role gets 403 FORBIDDEN.
 *
 * test/permissions.e2e-spec.ts keeps this table true: every operation of the
 * OpenAPI document must be here and every entry must be in the document; each
 * entry must equal the route's @Public()/@Roles() metadata; and every operation is
 * called with no token and with a token of every role in ROLES, each answer checked
 * against this table.
 */
/**
 * The roles this table was last reviewed for. A role added to ROLES is at once
 * let into every 'any-authenticated' route, so the test fails until someone has gone
 * over the table for it and added it here.
 */
export const PERMISSIONS_REVIEWED_FOR: readonly Role[] = [
  'investigator',
  'township_leader',
  'county_office',
  'department_staff',
  'inspector',
  'admin',
  'security_admin',
  'auditor',
];

export type RouteAccess = 'public' | 'any-authenticated' | { readonly roles: readonly Role[] };

export const PERMISSIONS = {
  // health
  'GET /api/health': 'public',
  'GET /api/health/live': 'public',

  // auth
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'any-authenticated',
  'POST /api/auth/change-password': 'any-authenticated',
  'GET /api/auth/scope': 'any-authenticated',
  'GET /api/auth/sessions': 'any-authenticated',
  'DELETE /api/auth/sessions/{id}': 'any-authenticated',
  // step-up signing: only those who sign get a signing grant
  'POST /api/auth/signing-grant': { roles: ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'] },
  // second factor (TOTP): each user's own; whether it may be turned off is the service's check (TOTP_REQUIRED_ROLES)
  'GET /api/auth/totp': 'any-authenticated',
  'POST /api/auth/totp/enrol': 'any-authenticated',
  'POST /api/auth/totp/confirm': 'any-authenticated',
  'DELETE /api/auth/totp': 'any-authenticated',
  'POST /api/auth/totp/recovery-codes': 'any-authenticated',

  // admin: org units, users, supervision coverage
  'POST /api/admin/org-units': { roles: ['admin'] },
  'GET /api/admin/org-units': { roles: ['admin'] },
  'PUT /api/admin/org-units/{id}/coverage': { roles: ['admin'] },
  'GET /api/admin/org-units/{id}/coverage': { roles: ['admin'] },
  'POST /api/admin/users': { roles: ['admin'] },
  'GET /api/admin/users': { roles: ['admin'] },
  'POST /api/admin/users/{id}/reset-password': { roles: ['admin'] },
  'PATCH /api/admin/users/{id}': { roles: ['admin'] },
  'POST /api/admin/users/{id}/deactivate': { roles: ['admin'] },
  'POST /api/admin/users/{id}/reactivate': { roles: ['admin'] },

  // 三权分立: roles, unlocking, password policy are the security admin's; role grants in two hands (admin proposes, security admin approves)
  'POST /api/role-grants': { roles: ['admin'] },
  'GET /api/role-grants': { roles: ['admin', 'security_admin'] },
  'POST /api/role-grants/{id}/approve': { roles: ['security_admin'] },
  'POST /api/role-grants/{id}/reject': { roles: ['security_admin'] },
  'GET /api/users': { roles: ['security_admin'] },
  'PUT /api/users/{id}/roles': { roles: ['security_admin'] },
  'POST /api/users/{id}/unlock': { roles: ['security_admin'] },
  'POST /api/users/{id}/reset-password': { roles: ['security_admin'] },
  'GET /api/security/password-policy': { roles: ['security_admin'] },
  'PUT /api/security/password-policy': { roles: ['security_admin'] },

  // audit log: the auditor's alone — the admins whose actions it records do not read it (GB/T 22239 8.1.5.2)
  'GET /api/audit-events': { roles: ['auditor'] },
  'GET /api/audit-events/export.xlsx': { roles: ['auditor'] },
  // signature chains' daily anchors: the county office files them, the auditor checks them
  'GET /api/anchors': { roles: ['county_office', 'auditor'] },
  'GET /api/anchors/export': { roles: ['county_office', 'auditor'] },

  // workflows
  'GET /api/workflows': 'any-authenticated',
  'GET /api/workflows/{id}': 'any-authenticated',

  // directory
  // reviewers, and their delegates (委派); anyone else without a delegation gets an empty list
  'GET /api/directory/rectifiers': { roles: ['township_leader', 'county_office', 'investigator', 'department_staff', 'inspector'] },
  'GET /api/directory/departments': 'any-authenticated',
  'GET /api/directory/recording-units': { roles: ['investigator', 'department_staff'] },

  // campaigns
  'GET /api/campaign-presets': 'any-authenticated',
  'POST /api/campaigns': { roles: ['county_office', 'township_leader'] },
  'GET /api/campaigns': 'any-authenticated',
  'GET /api/campaigns/{id}': 'any-authenticated',
  'POST /api/campaigns/{id}/advance': { roles: ['county_office', 'township_leader'] },
  'POST /api/campaigns/{id}/archive': { roles: ['county_office', 'township_leader'] },
  'PUT /api/campaigns/{id}/sectors': { roles: ['county_office', 'township_leader'] },
  'GET /api/campaigns/{id}/signatures': 'any-authenticated',

  // items
  'POST /api/items': { roles: ['investigator', 'department_staff'] },
  'GET /api/items': 'any-authenticated',
  'POST /api/items/household-lookup': { roles: ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'] },
  'GET /api/inbox': 'any-authenticated',
  'GET /api/items/{id}': 'any-authenticated',
  // writing to items is for the roles that sign: the 三员 (admin, security admin, auditor) are turned away here, not only by the workflow
  'PATCH /api/items/{id}': { roles: ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'] },
  'POST /api/items/{id}/events': { roles: ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'] },
  'POST /api/items/batch-events': { roles: ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'] },
  'GET /api/items/{id}/signatures': 'any-authenticated',
  'GET /api/items/{id}/signatures/verify': 'any-authenticated',

  // evidence: only roles that sign upload (administration and audit never sign)
  'POST /api/attachments': { roles: ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'] },
  'GET /api/attachments/{id}': 'any-authenticated',

  // ledger
  'GET /api/campaigns/{id}/ledger.xlsx': 'any-authenticated',
  'GET /api/campaigns/{id}/ledger-template.xlsx': 'any-authenticated',
  'POST /api/campaigns/{id}/ledger': { roles: ['investigator', 'department_staff', 'township_leader', 'county_office'] },

  // reports
  'GET /api/campaigns/{id}/stats': 'any-authenticated',
  'GET /api/campaigns/{id}/stats.xlsx': 'any-authenticated',
  'GET /api/campaigns/{id}/series': 'any-authenticated',
  'GET /api/campaigns/{id}/series.xlsx': 'any-authenticated',
  'GET /api/campaigns/{id}/ranking': 'any-authenticated',
  'GET /api/campaigns/{id}/ranking.xlsx': 'any-authenticated',
  'POST /api/campaigns/{id}/notices': { roles: ['county_office'] },
  'GET /api/notices': 'any-authenticated',
  'GET /api/notices/{id}': 'any-authenticated',
  'GET /api/notices/{id}/notice.xlsx': 'any-authenticated',
  // 督办通知书 签收 and 回复: the receiving unit's leader (township) or staff (department); the service checks the unit
  'POST /api/notices/{id}/acknowledge': { roles: ['township_leader', 'department_staff'] },
  'POST /api/notices/{id}/reply': { roles: ['township_leader', 'department_staff'] },
  'POST /api/campaigns/{id}/summary-reports': { roles: ['township_leader'] },
  'GET /api/campaigns/{id}/summary-reports': 'any-authenticated',

  // 抽查复核 and 谁签字谁负责: draws are signed by the county office or a supervision group; reading is scoped by the service
  'POST /api/campaigns/{id}/spot-check-draws': { roles: ['county_office', 'inspector'] },
  'GET /api/campaigns/{id}/spot-check-draws': 'any-authenticated',
  'GET /api/spot-check-draws/{id}': 'any-authenticated',
  'GET /api/spot-checks/worklist': 'any-authenticated',
  'GET /api/campaigns/{id}/spot-check-coverage': 'any-authenticated',
  'GET /api/campaigns/{id}/spot-check-coverage.xlsx': 'any-authenticated',
  'GET /api/campaigns/{id}/accountability': 'any-authenticated',
  'GET /api/campaigns/{id}/accountability.xlsx': 'any-authenticated',

  // notifications
  'GET /api/notifications': 'any-authenticated',
  'POST /api/notifications/{id}/read': 'any-authenticated',
  'POST /api/notifications/read-all': 'any-authenticated',
  'GET /api/notifications/unread-count': 'any-authenticated',

  // 委派: reviewers hand their review and acceptance duties to a colleague of their unit; everyone sees those they gave or hold
  'POST /api/delegations': { roles: ['township_leader', 'county_office'] },
  'GET /api/delegations': 'any-authenticated',
  'GET /api/delegations/candidates': { roles: ['township_leader', 'county_office'] },
  'POST /api/delegations/{id}/end': { roles: ['township_leader', 'county_office'] },
} as const satisfies Record<string, RouteAccess>;

export type RouteKey = keyof typeof PERMISSIONS;
