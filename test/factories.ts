import { chinaDate, DAY_MS } from '../src/common/clock';
import { DEMO_PASSWORD } from '../src/demo/demo-seed.service';
import type { TestApp } from './app';
import type { Client } from 'pg';
import type { Response as SuperagentResponse } from 'superagent';

/**
 * Small shared helpers for e2e specs. Add to this file; do not change what is
 * here (other spec files import it).
 */

/** `Bearer <token>` of a demo user (or of a user created with DEMO_PASSWORD). */
export async function bearer(t: TestApp, username: string): Promise<string> {
  return `Bearer ${await t.token(username)}`;
}

/** A date `days` from today, by China's calendar (what the service compares deadlines with), as YYYY-MM-DD. */
export function chinaDay(days: number): string {
  return chinaDate(new Date(Date.now() + days * DAY_MS));
}

/** A 霍邱 campaign created by `county` and advanced to 问题整改及动态管理 (rectification): every item event is open. */
export async function rectificationCampaign(t: TestApp, title = '集中排查'): Promise<string> {
  const auth = await bearer(t, 'county');
  const camp = await t.http.post('/api/campaigns').set('authorization', auth).send({ preset: 'huoqiu', title, docNumber: '霍扶组〔2021〕5号' });
  if (camp.status !== 201) throw new Error(`create campaign: ${camp.status} ${JSON.stringify(camp.body)}`);
  // The advances are signed: with step-up signing on they carry the county office's signing grant.
  const signs: Record<string, string> = t.config.SIGNING_STEP_UP ? { 'X-Signing-Grant': await signingGrant(t, 'county') } : {};
  for (let i = 0; i < 3; i++) {
    const adv = await t.http.post(`/api/campaigns/${camp.body.id}/advance`).set('authorization', auth).set(signs).send({});
    if (adv.status !== 200) throw new Error(`advance campaign: ${adv.status} ${JSON.stringify(adv.body)}`);
  }
  return camp.body.id as string;
}

/** A draft item recorded by `username` (default `cadre` at 大同村); answers the created item's body. */
export async function createDraft(t: TestApp, campaignId: string, overrides: Record<string, unknown> = {}, username = 'cadre'): Promise<Record<string, any>> {
  const res = await t.http
    .post('/api/items')
    .set('authorization', await bearer(t, username))
    .send({ campaignId, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '住房漏雨', ...overrides });
  if (res.status !== 201) throw new Error(`create item: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Uploads a minimal PDF as `username`; answers the attachment id. */
export async function uploadPdf(t: TestApp, username: string, name = 'proof.pdf'): Promise<string> {
  const res = await t.http
    .post('/api/attachments')
    .set('authorization', await bearer(t, username))
    .attach('file', Buffer.from(`%PDF-1.4 ${name} ${Math.random()}`), name);
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/**
 * Creates a user as 三权分立 has it (password DEMO_PASSWORD, so `t.token(username)` logs in): the admin
 * creates the account with the roles requested, the security admin (`security`) approves each request;
 * answers the id.
 */
export async function createUser(t: TestApp, user: { username: string; displayName: string; orgUnitId: string; roles: string[] }): Promise<string> {
  const res = await t.http
    .post('/api/admin/users')
    .set('authorization', await bearer(t, 'admin'))
    .send({ ...user, password: DEMO_PASSWORD });
  if (res.status !== 201) throw new Error(`create user ${user.username}: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.id as string;
  const security = await bearer(t, 'security');
  const pending = await t.http.get(`/api/role-grants?status=pending&userId=${id}`).set('authorization', security);
  if (pending.status !== 200 || pending.body.length !== user.roles.length)
    throw new Error(`role grants of ${user.username}: ${pending.status} ${JSON.stringify(pending.body)}`);
  for (const grant of pending.body as Array<{ id: string }>) {
    const approved = await t.http.post(`/api/role-grants/${grant.id}/approve`).set('authorization', security).send({});
    if (approved.status !== 200) throw new Error(`approve ${grant.id}: ${approved.status} ${JSON.stringify(approved.body)}`);
  }
  return id;
}

/**
 * A signing grant (header X-Signing-Grant) for the session of `t.token(username)`: what a signer
 * obtains by entering the password again (step-up, SIGNING_STEP_UP). A new one replaces the last.
 */
export async function signingGrant(t: TestApp, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await t.http
    .post('/api/auth/signing-grant')
    .set('authorization', await bearer(t, username))
    .send({ password });
  if (res.status !== 200) throw new Error(`signing grant for ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.grant as string;
}

/** A lifecycle event of item `id` by `username`, which must be accepted (200); the item as answered. */
export async function itemEvent(t: TestApp, username: string, id: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await t.http
    .post(`/api/items/${id}/events`)
    .set('authorization', await bearer(t, username))
    .send(body);
  expect(res.status).toBe(200);
  return res.body;
}

/** GET /api/items/:id/signatures/verify, as the township leader. */
export async function verifyItemChain(t: TestApp, id: string): Promise<Record<string, any>> {
  return (await t.http.get(`/api/items/${id}/signatures/verify`).set('authorization', await bearer(t, 'leader'))).body;
}

/** Runs SQL as an attacker with the database's powers would: the immutability and append-only triggers bypassed. */
export async function tamperWith(db: Client, ...statements: Array<[string, unknown[]]>): Promise<void> {
  await db.query('BEGIN');
  await db.query('SET LOCAL session_replication_role = replica');
  for (const [sql, params] of statements) await db.query(sql, params);
  await db.query('COMMIT');
}

/** A supertest parser for a binary answer (an .xlsx download): `.buffer(true).parse(binaryBody)` gives the body as one Buffer. */
export function binaryBody(res: SuperagentResponse, done: (err: Error | null, body: Buffer) => void): void {
  // superagent hands a parser the response stream itself, typed as its Response.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere (seeded walks and fuzzing, replayable). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
