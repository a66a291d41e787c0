import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import type { Response, Test } from 'supertest';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, rectificationCampaign, seededRandom } from './factories';

/**
 * Seeded fuzzing of the item, campaign, auth, ledger and report routes
 * (issue 10: 42 of 500 fuzzed requests answered 500). Every request is a
 * valid request with a few hostile mutations: fields replaced by hostile
 * values (NUL, lone surrogates, impossible dates, huge or deeply nested
 * values, wrong types, unknown ids), fields dropped or added, raw bodies
 * that are not JSON, too deep or too large, odd headers; files that are
 * damaged workbooks. Whatever the mutation, the answer is never a 5xx, and a
 * refused request (4xx) writes nothing: the main tables' row counts are the
 * same before and after it. A request that happens to be valid may succeed.
 *
 * The generator is seeded (SEED): a failure lists the route, the request and
 * the answer, and reruns identically. Change SEED to explore other inputs.
 */
const SEED = 20_261_130;

type Rng = () => number;

const rng: (seed: number) => Rng = seededRandom;

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: Rng, p: number): boolean => r() < p;

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udbff\ud800',
  '\ud83c\udfe0',
  '\u202e反转',
  '\t\r\n',
  "'; DROP TABLE problem_items;--",
  '%00',
  '%',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '\\',
  '"',
  'x'.repeat(5_000),
  '漏'.repeat(60_000),
  '2030-02-31',
  '2021-02-29',
  '2030-04-31',
  '0000-00-00',
  '9999-12-31',
  '+275760-09-13',
  '2021-06-25T24:00:00Z',
  '2021-06-25T08:00:00',
  '1e309',
  'NaN',
  'true',
  'null',
  '__proto__',
  'CONFIRM',
  'ACCEPT',
  '00000000-0000-0000-0000-000000000000',
  '------------------------------------',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
  '34152219800101123X',
  '341522198002301230',
];

const HOSTILE_NUMBERS = [0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, 4_294_967_296, 2_147_483_648, 1e-7];

/** Arrays inside arrays, up to `depth` (the body parser refuses JSON deeper than 32; values built here reach it). */
const nested = (depth: number, leaf: unknown): unknown => (depth <= 0 ? leaf : [nested(depth - 1, leaf)]);

function hostileValue(r: Rng, ids: readonly string[], depth = 0): unknown {
  const k = r();
  if (k < 0.45) return pick(r, HOSTILE_STRINGS);
  if (k < 0.55) return pick(r, HOSTILE_NUMBERS);
  if (k < 0.6) return pick(r, [true, false, null]);
  if (k < 0.72) return pick(r, [...ids, randomUUIDFrom(r)]);
  if (k < 0.8 && depth < 3) return Array.from({ length: Math.floor(r() * 4) }, () => hostileValue(r, ids, depth + 1));
  if (k < 0.86) return Array.from({ length: pick(r, [201, 1_000]) }, () => pick(r, ids));
  if (k < 0.93 && depth < 3) return { [pick(r, ['a', '__proto__', 'constructor', 'type', '\u0000'])]: hostileValue(r, ids, depth + 1) };
  return nested(Math.floor(r() * 40), pick(r, HOSTILE_STRINGS));
}

function randomUUIDFrom(r: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Dates that have the format and do not exist, or are not dates at all. */
const BAD_DATES = [
  '2030-02-31',
  '2021-02-29',
  '2030-04-31',
  '2030-13-01',
  '2030-00-10',
  '0000-00-00',
  '2030-02-31T00:00:00Z',
  '2021-06-25T24:00:00Z',
  '20300101',
  '2030-1-1',
];

/** Fields whose hostile values are better aimed: dates that do not exist, cursors that were forged. */
function aimedValue(r: Rng, field: string, ids: readonly string[]): unknown {
  if (['from', 'to', 'before', 'deadline', 'newDeadline', 'startDate', 'endDate'].includes(field) && chance(r, 0.5)) return pick(r, BAD_DATES);
  if (field === 'cursor' && chance(r, 0.6)) {
    const b64 = (x: string) => Buffer.from(x).toString('base64url');
    return pick(r, [
      b64(`2030-02-31T00:00:00.000Z|${pick(r, ids)}`),
      b64(`2021-06-25T00:00:00.000Z|${'-'.repeat(36)}`),
      b64(`+275760-09-13T00:00:00.000Z|${pick(r, ids)}`),
      b64('x|y|z'),
      b64(`2021-06-25T00:00:00.000Z|${pick(r, ids)}\u0000`),
      'AAAA',
    ]);
  }
  return hostileValue(r, ids);
}

/** Fields a mutation may touch besides the base payload's own. */
const EXTRA_FIELDS = ['type', 'itemIds', 'deadline', 'newDeadline', 'evidence', 'state', 'id', 'countyId', 'version', '__proto__', 'constructor', 'a.b', ''];

/** One to three mutations of a valid body; sometimes the whole body is replaced. */
function mutateBody(r: Rng, base: Record<string, unknown>, ids: readonly string[]): unknown {
  if (chance(r, 0.08)) return hostileValue(r, ids);
  const body: Record<string, unknown> = { ...base };
  const keys = Object.keys(base);
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const k = r();
    const field = keys.length && k < 0.75 ? pick(r, keys) : pick(r, EXTRA_FIELDS);
    if (k < 0.12 && field in body) delete body[field];
    else body[field] = aimedValue(r, field, ids);
  }
  return body;
}

/** Raw bodies JSON.stringify cannot make: not JSON, too deep, too large, duplicate keys, lying headers. */
const RAW_BODIES: Array<(r: Rng) => { text: string | Buffer; contentType?: string; encoding?: string }> = [
  (r) => ({ text: `${'['.repeat(1 + Math.floor(r() * 5_000))}` }),
  (r) => {
    const depth = 20 + Math.floor(r() * 30);
    return { text: `{"type":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}` };
  },
  () => ({ text: '{"type":' }),
  () => ({ text: '{"type":"CONFIRM","type":"ACCEPT","type":"REOPEN"}' }),
  () => ({ text: `{"description":"${'x'.repeat(1_100 * 1024)}"}` }),
  () => ({ text: gzipSync(JSON.stringify({ description: 'x'.repeat(2 * 1024 * 1024) })), encoding: 'gzip' }),
  () => ({ text: 'not gzip at all', encoding: 'gzip' }),
  () => ({ text: '{}', encoding: 'compress' }),
  () => ({ text: '"just a string"' }),
  () => ({ text: 'null' }),
  () => ({ text: '{"a":"\\ud800","b":"\\u0000"}' }),
  () => ({
    text: 'a[b][c][d][e][f][g][h][i][j][k][l][m][n][o][p][q][r][s][t][u][v][w][x][y][z][aa][bb][cc][dd][ee][ff][gg][hh]=1',
    contentType: 'application/x-www-form-urlencoded',
  }),
  () => ({ text: 'type=CONFIRM&deadline=2030-02-31&x=%00', contentType: 'application/x-www-form-urlencoded' }),
  () => ({ text: '{"type":"CONFIRM"}', contentType: 'text/plain' }),
  () => ({ text: '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\nCONFIRM\r\n--x--\r\n', contentType: 'multipart/form-data; boundary=x' }),
  () => ({ text: '{"type":"CONFIRM"}', contentType: 'application/json; charset=utf-7' }),
];

/** A query string value encoded as a client would send it, lone surrogates included (as the UTF-8 bytes a sloppy encoder writes). */
function encode(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return Array.from(s)
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff)
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
      return encodeURIComponent(ch);
    })
    .join('');
}

/**
 * Query values: mostly short (an URL over 16 KB is answered 431 by Node's
 * HTTP parser before the service sees it), sometimes anything.
 */
function hostileQueryValue(r: Rng, field: string, ids: readonly string[]): unknown {
  if (chance(r, 0.15)) return hostileValue(r, ids);
  if (['from', 'to', 'before', 'cursor'].includes(field) && chance(r, 0.5)) return aimedValue(r, field, ids);
  return pick(r, [...HOSTILE_STRINGS.filter((s) => s.length < 200), ...HOSTILE_NUMBERS, ...ids.slice(0, 5), randomUUIDFrom(r)]);
}

const RAW_QUERY_JUNK = ['%', '%zz', '%E0%A4%A', '%00', '&&&', '=', 'a=1&a=2&a=3', '%C0%80', `limit=${'9'.repeat(400)}`];

function mutateQuery(r: Rng, base: Record<string, unknown>, ids: readonly string[]): string {
  const params = { ...base };
  const keys = Object.keys(base);
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const field =
      keys.length && chance(r, 0.75) ? pick(r, keys) : pick(r, ['limit', 'cursor', 'state', 'from', 'to', 'interval', 'townshipId', 'q', 'submit', 'x']);
    if (chance(r, 0.1)) delete params[field];
    else params[field] = hostileQueryValue(r, field, ids);
  }
  const parts = Object.entries(params).map(([k, v]) => `${encode(k)}=${encode(v)}`);
  if (chance(r, 0.15)) parts.push(pick(r, RAW_QUERY_JUNK));
  return parts.join('&');
}

/** A path segment: a real id, an unknown one, or something that is no id at all. */
function pathId(r: Rng, real: readonly string[]): string {
  return chance(r, 0.7) ? pick(r, real) : pick(r, [randomUUIDFrom(r), 'not-a-uuid', '%00', '..%2F..', 'x'.repeat(300), '%E0%A4%A', encode('\ud800')]);
}

const IDEMPOTENCY_KEYS = ['short', 'a'.repeat(129), 'has space in it', 'ééééééééé', 'aaaaaaaa, bbbbbbbb', '\u00ff'.repeat(10), 'ok-key-00000001'];

interface Spec {
  method: 'get' | 'post' | 'patch';
  path: string;
  user?: string;
  body?: unknown;
  raw?: { text: string | Buffer; contentType?: string; encoding?: string };
  idempotencyKey?: string;
  file?: { data: Buffer; name: string; field: string; submit?: string };
}

interface World {
  campaign: string;
  draftCampaign: string;
  drafts: string[];
  reviewing: string[];
  rectifying: string[];
  ids: string[];
  ledger: Buffer;
  /** A real `nextCursor` of GET /api/items. */
  cursor: string;
}

type Route = { name: string; runs: number; make: (r: Rng, w: World) => Spec };

/** A JSON route: mostly mutated bodies, sometimes raw bytes, sometimes an odd Idempotency-Key. */
function jsonSpec(r: Rng, w: World, spec: Omit<Spec, 'body'> & { base: Record<string, unknown> }): Spec {
  const { base, ...rest } = spec;
  const out: Spec = { ...rest, body: mutateBody(r, base, w.ids) };
  if (chance(r, 0.15)) out.raw = pick(r, RAW_BODIES)(r);
  if (chance(r, 0.1)) out.idempotencyKey = pick(r, IDEMPOTENCY_KEYS);
  return out;
}

const EVENT_BASES: Array<Record<string, unknown>> = [
  { type: 'SUBMIT' },
  { type: 'CONFIRM', measures: '维修', deadline: '2099-06-30' },
  { type: 'RETURN', reason: '信息不全' },
  { type: 'DISMISS', reason: '不属实' },
  { type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline: '2099-07-31' },
  { type: 'APPROVE_EXTENSION' },
  { type: 'ESCALATE', reason: '镇村无力解决' },
  { type: 'SUBMIT_RECTIFICATION', comment: '已整改', evidence: [] },
  { type: 'REOPEN', reason: '未整改到位', deadline: '2099-08-31' },
  { type: 'MARK_LONG_TERM', plan: '分年度实施' },
];

const ROUTES: Route[] = [
  {
    name: 'POST /api/items',
    runs: 250,
    make: (r, w) =>
      jsonSpec(r, w, {
        method: 'post',
        path: '/api/items',
        user: pick(r, ['cadre', 'cadre', 'dept', 'county']),
        base: {
          campaignId: w.campaign,
          orgUnitId: pick(r, w.ids),
          problemTypeCode: 'HQ-01',
          description: '住房漏雨',
          householdName: '张三',
          householdIdNumber: '11010519491231002X',
        },
      }),
  },
  {
    name: 'PATCH /api/items/:id',
    runs: 200,
    make: (r, w) =>
      jsonSpec(r, w, {
        method: 'patch',
        path: `/api/items/${pathId(r, w.drafts)}`,
        user: 'cadre',
        base: { description: '住房漏雨（修改）', remark: '备注', measures: '修' },
      }),
  },
  {
    name: 'POST /api/items/:id/events',
    runs: 250,
    make: (r, w) => {
      const base = { ...pick(r, EVENT_BASES) };
      if (base.type === 'CONFIRM' || base.type === 'ESCALATE') base.rectifierId = pick(r, w.ids);
      if (base.type === 'ESCALATE') base.toOrgUnitId = pick(r, w.ids);
      const item = pathId(r, [...w.drafts, ...w.reviewing, ...w.rectifying]);
      return jsonSpec(r, w, {
        method: 'post',
        path: `/api/items/${item}/events`,
        user: pick(r, ['cadre', 'leader', 'county', 'inspector', 'dept', 'auditor']),
        base,
      });
    },
  },
  {
    name: 'POST /api/items/batch-events',
    runs: 200,
    make: (r, w) =>
      jsonSpec(r, w, {
        method: 'post',
        path: '/api/items/batch-events',
        user: pick(r, ['leader', 'county']),
        base: {
          type: pick(r, ['CONFIRM', 'RETURN', 'ACCEPT', 'APPROVE_EXTENSION']),
          itemIds: [...w.reviewing],
          measures: '维修',
          rectifierId: pick(r, w.ids),
          deadline: '2099-06-30',
          reason: '退回',
        },
      }),
  },
  {
    name: 'GET /api/items',
    runs: 200,
    make: (r, w) => ({
      method: 'get',
      path: `/api/items?${mutateQuery(r, { campaignId: w.campaign, state: 'draft,pending_review', limit: 5, q: '漏雨', overdue: 'false', cursor: w.cursor }, w.ids)}`,
      user: pick(r, ['county', 'cadre', 'inspector']),
    }),
  },
  {
    name: 'POST /api/items/household-lookup',
    runs: 120,
    make: (r, w) =>
      jsonSpec(r, w, {
        method: 'post',
        path: '/api/items/household-lookup',
        user: pick(r, ['county', 'cadre', 'leader']),
        base: { idNumber: '11010519491231002X', campaignId: w.campaign },
      }),
  },
  {
    name: 'POST /api/campaigns',
    runs: 200,
    make: (r, w) =>
      jsonSpec(r, w, {
        method: 'post',
        path: '/api/campaigns',
        user: 'county',
        base: {
          title: '专项行动',
          docNumber: '霍扶组〔2021〕5号',
          year: 2021,
          phases: [{ kind: 'investigation', name: '排查', startDate: '2021-06-10', endDate: '2021-06-15' }],
          problemTypes: [{ code: 'T1', name: '类型', children: [{ code: 'T1.1', name: '子类' }] }],
        },
      }),
  },
  {
    name: 'POST /api/campaigns/:id/advance|archive',
    runs: 100,
    make: (r, w) =>
      jsonSpec(r, w, {
        method: 'post',
        path: `/api/campaigns/${pathId(r, [w.draftCampaign])}/${pick(r, ['advance', 'archive'])}`,
        user: pick(r, ['county', 'leader']),
        base: { comment: '推进' },
      }),
  },
  {
    name: 'POST /api/auth/login|refresh|logout',
    runs: 200,
    make: (r, w) => {
      const route = pick(r, ['login', 'login', 'refresh', 'logout']);
      // No demo user name with a wrong password: that is a failed login, recorded on purpose (auth-lockout spec).
      const base = route === 'login' ? { username: pick(r, ['nobody', 'z'.repeat(64), '用户']), password: 'Wrong@2021' } : { refreshToken: 'not-a-token' };
      return jsonSpec(r, w, { method: 'post', path: `/api/auth/${route}`, base });
    },
  },
  {
    name: 'POST /api/campaigns/:id/ledger',
    runs: 200,
    make: (r, w) => {
      const k = r();
      let data: Buffer;
      if (k < 0.35) {
        data = Buffer.from(w.ledger);
        for (let n = 1 + Math.floor(r() * 12); n > 0; n--) data[Math.floor(r() * data.length)] = Math.floor(r() * 256);
      } else if (k < 0.55) data = w.ledger.subarray(0, Math.floor(r() * w.ledger.length));
      else if (k < 0.7) data = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(Array.from({ length: 200 }, () => Math.floor(r() * 256)))]);
      else if (k < 0.8) data = Buffer.from(pick(r, ['', '%PDF-1.4', '\u00d0\u00cf\u0011\u00e0', 'name,id\n张三,1\n']), 'latin1');
      else data = w.ledger;
      const submit = chance(r, 0.5) ? String(pick(r, ['true', 'false', 'yes', '\u0000', '', '1'])) : undefined;
      return {
        method: 'post',
        path: `/api/campaigns/${pathId(r, [w.campaign])}/ledger${chance(r, 0.3) ? `?${mutateQuery(r, { submit: 'true' }, w.ids)}` : ''}`,
        user: pick(r, ['cadre', 'cadre', 'dept', 'leader']),
        file: {
          data,
          name: pick(r, ['台账.xlsx', 'a.xls', '', 'x'.repeat(300), '\u00ff\u00fe.xlsx']),
          field: chance(r, 0.9) ? 'file' : pick(r, ['files', 'File', 'upload']),
          submit,
        },
        idempotencyKey: chance(r, 0.2) ? pick(r, IDEMPOTENCY_KEYS) : undefined,
      };
    },
  },
  {
    name: 'GET /api/campaigns/:id/ledger.xlsx|stats|series|ranking',
    runs: 200,
    make: (r, w) => {
      const what = pick(r, [
        'ledger.xlsx',
        'ledger-template.xlsx',
        'stats',
        'stats.xlsx',
        'series',
        'series.xlsx',
        'ranking',
        'ranking.xlsx',
        'summary-reports',
      ]);
      const base = { interval: 'week', from: '2021-06-01', to: chinaDay(0), townshipId: pick(r, w.ids), state: 'rectifying', overdue: 'true' };
      return {
        method: 'get',
        path: `/api/campaigns/${pathId(r, [w.campaign])}/${what}?${mutateQuery(r, base, w.ids)}`,
        user: pick(r, ['county', 'leader', 'cadre', 'auditor']),
      };
    },
  },
  {
    name: 'POST /api/campaigns/:id/notices|summary-reports',
    runs: 200,
    make: (r, w) => {
      const notice = chance(r, 0.6);
      return jsonSpec(r, w, {
        method: 'post',
        path: `/api/campaigns/${pathId(r, [w.campaign])}/${notice ? 'notices' : 'summary-reports'}`,
        user: notice ? 'county' : 'leader',
        base: notice ? { recipientOrgUnitId: pick(r, w.ids), deadline: '2099-06-30', note: '限期整改' } : { text: '总结报告正文' },
      });
    },
  },
  {
    name: 'POST /api/campaigns/:id/spot-check-draws',
    runs: 100,
    make: (r, w) =>
      jsonSpec(r, w, {
        method: 'post',
        path: `/api/campaigns/${pathId(r, [w.campaign])}/spot-check-draws`,
        user: pick(r, ['inspector', 'county']),
        base: { mode: pick(r, ['percent', 'count']), value: 10, round: 1, townshipIds: [pick(r, w.ids)] },
      }),
  },
  {
    name: 'GET 抽查复核 and 签字责任 reports',
    runs: 100,
    make: (r, w) => {
      const what = pick(r, ['spot-check-draws', 'spot-check-coverage', 'spot-check-coverage.xlsx', 'accountability', 'accountability.xlsx']);
      const base = { from: '2021-06-01', to: chinaDay(0), townshipId: pick(r, w.ids) };
      return {
        method: 'get',
        path: chance(r, 0.2)
          ? `/api/spot-checks/worklist?${mutateQuery(r, { campaignId: w.campaign }, w.ids)}`
          : `/api/campaigns/${pathId(r, [w.campaign])}/${what}?${mutateQuery(r, base, w.ids)}`,
        user: pick(r, ['county', 'leader', 'inspector', 'auditor']),
      };
    },
  },
];

describe('fuzzed requests: never a 5xx, never a partial write', () => {
  let t: TestApp;
  let db: Client;
  let world: World;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const campaign = await rectificationCampaign(t, '模糊测试');
    const draftCampaign = (
      await t.http
        .post('/api/campaigns')
        .set('authorization', await bearer(t, 'county'))
        .send({ preset: 'shenqiu', title: '草稿专项', docNumber: '沈扶〔2021〕1号' })
        .expect(201)
    ).body.id as string;
    const drafts = [(await createDraft(t, campaign)).id, (await createDraft(t, campaign)).id] as string[];
    const reviewing: string[] = [];
    const rectifying: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { id } = await createDraft(t, campaign);
      await t.http
        .post(`/api/items/${id}/events`)
        .set('authorization', await bearer(t, 'cadre'))
        .send({ type: 'SUBMIT' })
        .expect(200);
      if (i < 2) reviewing.push(id);
      else {
        await t.http
          .post(`/api/items/${id}/events`)
          .set('authorization', await bearer(t, 'leader'))
          .send({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: chinaDay(20) })
          .expect(200);
        rectifying.push(id);
      }
    }
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['乡镇', '行政村', '户主姓名', '身份证号码', '问题类型', '具体问题', '整改措施', '整改责任人', '整改时限', '备注']);
    ws.addRow(['城关镇', '大同村', '', '', '三保障和饮水安全', '村道破损', '修路', '张明', '2099-06-30', '']);
    world = {
      campaign,
      draftCampaign,
      drafts,
      reviewing,
      rectifying,
      ids: [...Object.values(t.demo.userIds), ...Object.values(t.demo.orgUnits).map((u) => u.id), campaign, ...drafts, ...reviewing, ...rectifying],
      ledger: Buffer.from(await wb.xlsx.writeBuffer()),
      cursor: (
        await t.http
          .get('/api/items?limit=1')
          .set('authorization', await bearer(t, 'county'))
          .expect(200)
      ).body.nextCursor,
    };
    for (const u of ['cadre', 'leader', 'county', 'inspector', 'dept', 'auditor']) tokens.set(u, await bearer(t, u));
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** The main tables' row counts: a refused request leaves every one of them as it was. */
  const TABLES = [
    'problem_items',
    'signatures',
    'campaigns',
    'audit_events',
    'idempotency_records',
    'notifications',
    'attachments',
    'sessions',
    'refresh_tokens',
    'summary_reports',
    'supervision_notices',
    'spot_check_draws',
    'spot_check_draw_items',
    'users',
  ];
  // A refused request writes nothing but its own security record (a 403 is audited as access.denied; tokens are fetched by logging in).
  const rowsOf = (x: string) => (x === 'audit_events' ? `audit_events WHERE action NOT IN ('access.denied', 'auth.login')` : x);
  const COUNTS = `SELECT ${TABLES.map((x) => `(SELECT count(*)::int FROM ${rowsOf(x)}) AS ${x}`).join(', ')}`;
  const counts = async (): Promise<Record<string, number>> => (await db.query(COUNTS)).rows[0] as Record<string, number>;

  const send = (spec: Spec): Test => {
    let req = t.http[spec.method](spec.path);
    if (spec.user) req = req.set('authorization', tokens.get(spec.user)!);
    if (spec.idempotencyKey) req = req.set('Idempotency-Key', spec.idempotencyKey);
    if (spec.file) {
      if (spec.file.submit !== undefined) req = req.field('submit', spec.file.submit);
      return req.attach(spec.file.field, spec.file.data, spec.file.name);
    }
    if (spec.raw) {
      req = req.set('content-type', spec.raw.contentType ?? 'application/json');
      if (spec.raw.encoding) req = req.set('content-encoding', spec.raw.encoding);
      return req.serialize((b: unknown) => b as string).send(spec.raw.text as string);
    }
    if (spec.method === 'get') return req;
    // superagent sends objects as JSON but cannot send a bare number or boolean: those go as the JSON text they are.
    if (typeof spec.body === 'object' && spec.body !== null) return req.send(spec.body);
    return req
      .set('content-type', 'application/json')
      .serialize((b: unknown) => b as string)
      .send(JSON.stringify(spec.body) ?? '');
  };

  const describeSpec = (spec: Spec): string => {
    const body = spec.raw
      ? `raw ${spec.raw.contentType ?? 'json'} ${spec.raw.encoding ?? ''} ${String(spec.raw.text).slice(0, 120)}`
      : JSON.stringify(spec.body)?.slice(0, 300);
    return `${spec.method.toUpperCase()} ${spec.path.slice(0, 200)} as ${spec.user ?? '-'} key=${spec.idempotencyKey ?? '-'} ${spec.file ? `file ${spec.file.field} ${spec.file.data.length} B` : body}`;
  };

  it.each(ROUTES.map((route, i) => [route.name, route, i] as const))('%s', async (_name, route, i) => {
    const r = rng(SEED + i);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let n = 0; n < route.runs; n++) {
      const spec = route.make(r, world);
      const before = await counts();
      let res: Response;
      try {
        res = await send(spec);
      } catch (e) {
        failures.push(`#${n} ${describeSpec(spec)} → no answer: ${String(e)}`);
        continue;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) failures.push(`#${n} ${describeSpec(spec)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      // 431: Node's HTTP parser refuses a request line over 16 KB before any of our code runs (no body to shape).
      else if (res.status >= 400 && res.status !== 431) {
        const after = await counts();
        const changed = TABLES.filter((x) => after[x] !== before[x]);
        if (changed.length) failures.push(`#${n} ${describeSpec(spec)} → ${res.status} but wrote ${changed.join(', ')}`);
        if (typeof res.body?.code !== 'string' || !/[\u4e00-\u9fff]/.test(String(res.body?.message)))
          failures.push(`#${n} ${describeSpec(spec)} → ${res.status} not in the error shape`);
      }
    }
    expect(failures).toEqual([]);
    // The generator must reach refusals, not only answers the route gives anyway.
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  });

  it('the service still answers normally after the fuzzing', async () => {
    await t.http.get('/api/items').set('authorization', tokens.get('county')!).expect(200);
    const created = await t.http
      .post('/api/items')
      .set('authorization', tokens.get('cadre')!)
      .send({ campaignId: world.campaign, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: `模糊测试之后 ${randomUUID()}` });
    expect(created.status).toBe(201);
  });
});
