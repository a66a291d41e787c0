import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { PERMISSIONS, PERMISSIONS_REVIEWED_FOR, type RouteAccess } from '../src/auth/permissions';
import { ROLES, type Role } from '../src/auth/roles';
import { IS_PUBLIC } from '../src/common/decorators/public.decorator';
import { REQUIRED_ROLES } from '../src/common/decorators/roles.decorator';
import { createTestApp, TestApp } from './app';

/**
 * The permission table (src/auth/permissions.ts) against the running service: every
 * operation of the OpenAPI document, called with no token and with a token of every
 * role, must answer as the table says — and the table must say what the routes'
 * @Public()/@Roles() decorators say.
 */

/** A demo user holding each role (and only that role). */
const USER_OF_ROLE: Record<Role, string> = {
  investigator: 'cadre',
  township_leader: 'leader',
  county_office: 'county',
  department_staff: 'dept',
  inspector: 'inspector',
  admin: 'admin',
  security_admin: 'security',
  auditor: 'auditor',
};

/** Valid in form, matches no record: authorization is decided before any lookup. */
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Caller = Role | 'anonymous';

function allows(access: RouteAccess, caller: Caller): boolean {
  if (access === 'public') return true;
  if (caller === 'anonymous') return false;
  return access === 'any-authenticated' || access.roles.includes(caller);
}

/** 'allowed' unless the route itself turned the caller away (a 401 from the route's own check of a body, like a bad refresh token, is an answer). */
function verdict(res: { status: number; body: { code?: string } }): 'allowed' | 'unauthenticated' | 'forbidden' | 'error' {
  if (res.status >= 500) return 'error';
  if (res.status === 401 && res.body.code === 'UNAUTHENTICATED') return 'unauthenticated';
  if (res.status === 403) return 'forbidden';
  return 'allowed';
}

/** `METHOD /api/path/{param}` of every route handler Nest knows, with its @Public()/@Roles(). */
function declaredAccess(t: TestApp): Map<string, RouteAccess> {
  const reflector = new Reflector();
  const join = (...parts: Array<string | undefined>) =>
    '/' +
    parts
      .flatMap((p) => (p ?? '').split('/'))
      .filter(Boolean)
      .map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s))
      .join('/');
  const routes = new Map<string, RouteAccess>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const targets = [handler, controller];
        const roles = reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
        const access: RouteAccess = reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
          ? 'public'
          : roles?.length
            ? { roles: [...roles].sort() }
            : 'any-authenticated';
        routes.set(`${method} ${join('api', base, path)}`, access);
      }
    }
  }
  return routes;
}

const sorted = (access: RouteAccess): RouteAccess => (typeof access === 'string' ? access : { roles: [...access.roles].sort() });

describe('permission table (src/auth/permissions.ts)', () => {
  let t: TestApp;
  let operations: string[];
  beforeAll(async () => {
    t = await createTestApp();
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
  });
  afterAll(() => t.close());

  it('has been reviewed for every role, and the walk has a user of every role', () => {
    expect([...PERMISSIONS_REVIEWED_FOR].sort()).toEqual([...ROLES].sort());
    expect(Object.keys(USER_OF_ROLE).sort()).toEqual([...ROLES].sort());
  });

  it('lists exactly the operations of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect({ missingFromTable: operations.filter((op) => !(op in PERMISSIONS)) }).toEqual({ missingFromTable: [] });
    expect({ notInDocument: Object.keys(PERMISSIONS).filter((op) => !operations.includes(op)) }).toEqual({ notInDocument: [] });
  });

  it("says what each route's @Public()/@Roles() says", () => {
    const declared = declaredAccess(t);
    expect([...declared.keys()].sort()).toEqual(Object.keys(PERMISSIONS).sort());
    const differing = Object.entries(PERMISSIONS as Record<string, RouteAccess>)
      .filter(([op, access]) => JSON.stringify(sorted(access)) !== JSON.stringify(declared.get(op)))
      .map(([op, access]) => ({ op, table: access, declared: declared.get(op) }));
    expect(differing).toEqual([]);
  });

  it('answers every operation, for no token and a token of every role, as the table says — and never 5xx', async () => {
    const tokens = new Map<Caller, string | undefined>([['anonymous', undefined]]);
    for (const role of ROLES) tokens.set(role, await t.token(USER_OF_ROLE[role]));
    const wrong: Array<{ op: string; caller: Caller; expected: string; status: number; code?: string }> = [];
    let calls = 0;
    for (const op of operations) {
      const access = (PERMISSIONS as Record<string, RouteAccess>)[op];
      if (!access) continue; // reported by the test above
      const [method, template] = op.split(' ');
      const url = template.replace(/\{[^}]+\}/g, NO_SUCH_ID);
      await Promise.all(
        [...tokens].map(async ([caller, token]) => {
          let req = (t.http as unknown as Record<string, (url: string) => import('supertest').Test>)[method.toLowerCase()](url);
          if (token) req = req.set('authorization', `Bearer ${token}`);
          const res = method === 'GET' ? await req : await req.send({});
          calls++;
          const got = verdict(res);
          const expected = got === 'error' ? 'no 5xx' : allows(access, caller) ? 'allowed' : caller === 'anonymous' ? 'unauthenticated' : 'forbidden';
          if (got !== expected) wrong.push({ op, caller, expected, status: res.status, code: (res.body as { code?: string }).code });
        }),
      );
    }
    expect(calls).toBe(operations.length * (ROLES.length + 1));
    expect(wrong).toEqual([]);
  });
});
