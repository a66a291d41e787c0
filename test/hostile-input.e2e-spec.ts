import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, rectificationCampaign } from './factories';

/**
 * Hostile input (issue 10) answered 4xx in the common error shape, naming
 * the field, and leaving nothing written: nesting and size limits before
 * validation, text PostgreSQL cannot store, dates that do not exist, forged
 * cursors and idempotency keys; plus the headers every API answer carries.
 */
describe('hostile input', () => {
  let t: TestApp;
  let db: Client;
  let cid: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    cid = await rectificationCampaign(t, '恶意输入测试');
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** Rows of the tables a request could write. */
  const counts = async (): Promise<Record<string, number>> => {
    const tables = ['problem_items', 'signatures', 'campaigns', 'audit_events', 'idempotency_records', 'attachments', 'sessions', 'notifications'];
    const { rows } = await db.query(`SELECT ${tables.map((x) => `(SELECT count(*)::int FROM ${x}) AS ${x}`).join(', ')}`);
    return rows[0] as Record<string, number>;
  };

  /** Runs `send`, expects the status and code, and that no table changed. */
  const refused = async (send: () => Promise<Response>, status: number, code: string): Promise<Response> => {
    const before = await counts();
    const res = await send();
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: status, message: expect.stringMatching(/[\u4e00-\u9fff]/), details: expect.any(Array) }));
    expect(await counts()).toEqual(before);
    return res;
  };

  const fields = (res: Response): string[] => (res.body.details as Array<{ field: string }>).map((d) => d.field);

  /** Bytes as they are: superagent would serialize a Buffer sent as application/json. */
  const asIs = (b: unknown): string => b as string;

  describe('structure and size, before validation', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

    it('JSON nested 10,000 deep is a 400 before login, not a stack overflow', async () => {
      for (const depth of [2_500, 10_000]) {
        const res = await refused(
          () =>
            t.http
              .post('/api/auth/login')
              .set('content-type', 'application/json')
              .send(`{"username":${nested(depth)},"password":"x"}`),
          400,
          'VALIDATION_FAILED',
        );
        expect(res.body.message).toContain('嵌套超过 32 层');
      }
    });

    it('the limit is 32 levels: 33 are refused, 32 reach validation', async () => {
      const auth = await bearer(t, 'cadre');
      const body = (depth: number) => `{"campaignId":"${cid}","description":${nested(depth - 1)}}`;
      const deep = await refused(
        () => t.http.post('/api/items').set('authorization', auth).set('content-type', 'application/json').send(body(33)),
        400,
        'VALIDATION_FAILED',
      );
      expect(deep.body.message).toContain('嵌套');
      const ok = await refused(
        () => t.http.post('/api/items').set('authorization', auth).set('content-type', 'application/json').send(body(32)),
        400,
        'VALIDATION_FAILED',
      );
      expect(fields(ok)).toContain('description');
    });

    it('brackets inside strings do not count as nesting', async () => {
      const res = await t.http
        .post('/api/items')
        .set('authorization', await bearer(t, 'cadre'))
        .send({ campaignId: cid, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: `${'[{'.repeat(100)} 住房漏雨 \\"]` });
      expect(res.status).toBe(201);
    });

    it('a body over the limit is 413 (also when it arrives compressed), one under it reaches validation', async () => {
      const auth = await bearer(t, 'cadre');
      const huge = JSON.stringify({ campaignId: cid, description: 'x'.repeat(1100 * 1024) });
      const res = await refused(
        () => t.http.post('/api/items').set('authorization', auth).set('content-type', 'application/json').send(huge),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expect(res.body.message).toBe('请求体超过大小限制（1024 KB）');
      // 1.1 MB of one letter compresses to about a kilobyte: the limit is on what it inflates to.
      const gz = gzipSync(huge);
      expect(gz.length).toBeLessThan(10_000);
      await refused(
        () =>
          t.http.post('/api/items').set('authorization', auth).set('content-type', 'application/json').set('content-encoding', 'gzip').serialize(asIs).send(gz),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      // 200 KB (over the old 100 KB default) is read and judged by the DTO.
      const long = await refused(
        () =>
          t.http
            .post('/api/items')
            .set('authorization', auth)
            .send({ campaignId: cid, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '漏'.repeat(70_000) }),
        400,
        'VALIDATION_FAILED',
      );
      expect(long.body.details).toEqual([{ field: 'description', message: 'description长度超出限制' }]);
    });

    it('a body that is not UTF-8, or not JSON, is refused in our shape', async () => {
      const auth = await bearer(t, 'cadre');
      await refused(
        () =>
          t.http
            .post('/api/items')
            .set('authorization', auth)
            .set('content-type', 'application/json; charset=utf-16le')
            .serialize(asIs)
            .send(Buffer.from('{"a":1}', 'utf16le')),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      await refused(() => t.http.post('/api/items').set('authorization', auth).set('content-type', 'application/json').send('{"a":'), 400, 'VALIDATION_FAILED');
      await refused(
        () => t.http.post('/api/items').set('authorization', auth).set('content-type', 'application/json').set('content-encoding', 'br2').send('{}'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      const corrupt = await refused(
        () =>
          t.http
            .post('/api/items')
            .set('authorization', auth)
            .set('content-type', 'application/json')
            .set('content-encoding', 'gzip')
            .serialize(asIs)
            .send(Buffer.from('not gzip')),
        400,
        'VALIDATION_FAILED',
      );
      expect(corrupt.body.message).toBe('请求格式有误');
    });
  });

  describe('text the database cannot store', () => {
    it('a NUL or a lone surrogate in any body field is a 400 naming the field', async () => {
      const auth = await bearer(t, 'cadre');
      const item = { campaignId: cid, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '住房漏雨' };
      for (const [field, value] of [
        ['description', 'a\u0000b'],
        ['description', 'a\ud800b'],
        ['remark', '\udc00'],
        ['householdName', '张\u0000'],
      ] as const) {
        const res = await refused(
          () =>
            t.http
              .post('/api/items')
              .set('authorization', auth)
              .send({ ...item, [field]: value }),
          400,
          'VALIDATION_FAILED',
        );
        expect(res.body.details).toEqual([{ field, message: expect.stringContaining(`${field}包含不允许的字符`) }]);
      }
      // A surrogate pair is a real character (an emoji) and is stored.
      const emoji = await t.http
        .post('/api/items')
        .set('authorization', auth)
        .send({ ...item, description: '住房漏雨 \ud83c\udfe0' });
      expect([emoji.status, emoji.body.description]).toEqual([201, '住房漏雨 🏠']);
    });

    it('nested fields and keys are named by their path', async () => {
      const auth = await bearer(t, 'county');
      const phases = [{ kind: 'investigation', name: '排查\u0000' }];
      const res = await refused(
        () => t.http.post('/api/campaigns').set('authorization', auth).send({ title: '专项', docNumber: '1号', phases }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fields(res)).toEqual(['phases.0.name']);
      const key = await refused(
        () => t.http.post('/api/campaigns').set('authorization', auth).send({ title: '专项', docNumber: '1号', 'x\u0000y': 1 }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fields(key)).toEqual(['x\\u0000y']);
    });

    it('before login: a NUL in the user name is a 400, not a query (nothing is recorded)', async () => {
      const res = await refused(() => t.http.post('/api/auth/login').send({ username: 'county\u0000', password: 'Demo@2021' }), 400, 'VALIDATION_FAILED');
      expect(fields(res)).toEqual(['username']);
      await refused(() => t.http.post('/api/auth/login').send({ username: 'county', password: '\ud800' }), 400, 'VALIDATION_FAILED');
    });

    it('in the query string, a cookie, a multipart field and an uploaded file name', async () => {
      const auth = await bearer(t, 'county');
      const q = await refused(() => t.http.get('/api/items?q=%00abc').set('authorization', auth), 400, 'VALIDATION_FAILED');
      expect(fields(q)).toEqual(['q']);
      const cookie = await refused(() => t.http.post('/api/auth/refresh').set('cookie', 'qingling_refresh=%00abc').send({}), 400, 'VALIDATION_FAILED');
      expect(fields(cookie)[0]).toMatch(/^cookie\./);
      const cadre = await bearer(t, 'cadre');
      const form = await refused(
        () =>
          t.http
            .post(`/api/campaigns/${cid}/ledger`)
            .set('authorization', cadre)
            .field('submit', 'tr\u0000ue')
            .attach('file', Buffer.from('PK\u0003\u0004'), 'a.xlsx'),
        400,
        'VALIDATION_FAILED',
      );
      expect(fields(form)).toEqual(['submit']);
      // A raw NUL breaks the part's header (a 400 from the multipart parser); RFC 5987 encoding delivers it into the name.
      await refused(
        () => t.http.post('/api/attachments').set('authorization', cadre).attach('file', Buffer.from('%PDF-1.4 x'), 'proof\u0000.pdf'),
        400,
        'VALIDATION_FAILED',
      );
      const body = Buffer.from(
        [
          '--b0undary',
          `Content-Disposition: form-data; name="file"; filename*=UTF-8''proof%00.pdf`,
          'Content-Type: application/pdf',
          '',
          '%PDF-1.4 x',
          '--b0undary--',
          '',
        ].join('\r\n'),
      );
      const name = await refused(
        () =>
          t.http.post('/api/attachments').set('authorization', cadre).set('content-type', 'multipart/form-data; boundary=b0undary').serialize(asIs).send(body),
        400,
        'VALIDATION_FAILED',
      );
      expect(name.body.details).toEqual([{ field: 'file', message: '文件名包含不允许的字符：空字符（U+0000）' }]);
    });
  });

  describe('dates are checked against the calendar', () => {
    /** An item of 大同村 in rectification (rectifier: cadre, deadline in 10 days). */
    const rectifying = async (): Promise<string> => {
      const { id } = await createDraft(t, cid);
      expect(
        (
          await t.http
            .post(`/api/items/${id}/events`)
            .set('authorization', await bearer(t, 'cadre'))
            .send({ type: 'SUBMIT' })
        ).status,
      ).toBe(200);
      const confirm = await t.http
        .post(`/api/items/${id}/events`)
        .set('authorization', await bearer(t, 'leader'))
        .send({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: chinaDay(10) });
      expect(confirm.status).toBe(200);
      return id;
    };

    it('every date of an item event: 2030-02-31 has the format but does not exist', async () => {
      const { id } = await createDraft(t, cid);
      await t.http
        .post(`/api/items/${id}/events`)
        .set('authorization', await bearer(t, 'cadre'))
        .send({ type: 'SUBMIT' })
        .expect(200);
      const leader = await bearer(t, 'leader');
      const confirm = await refused(
        () =>
          t.http
            .post(`/api/items/${id}/events`)
            .set('authorization', leader)
            .send({ type: 'CONFIRM', measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: '2030-02-31' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(confirm.body.details).toEqual([{ field: 'deadline', message: '整改时限必须是存在的日期（YYYY-MM-DD）' }]);
      const batch = await refused(
        () =>
          t.http
            .post('/api/items/batch-events')
            .set('authorization', leader)
            .send({ type: 'CONFIRM', itemIds: [id], measures: '维修', rectifierId: t.demo.userIds.cadre, deadline: '2031-02-29' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fields(batch)).toEqual(['deadline']);

      const other = await rectifying();
      const cadre = await bearer(t, 'cadre');
      const bad = await refused(
        () =>
          t.http.post(`/api/items/${other}/events`).set('authorization', cadre).send({ type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline: '2030-02-31' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(bad.body.details).toEqual([{ field: 'newDeadline', message: '申请延长至的整改时限必须是存在的日期（YYYY-MM-DD）' }]);
    });

    it('an extension to an impossible date signed before the check can be denied, not approved (never a 500)', async () => {
      const id = await rectifying();
      await t.http
        .post(`/api/items/${id}/events`)
        .set('authorization', await bearer(t, 'cadre'))
        .send({ type: 'REQUEST_EXTENSION', reason: '雨季', newDeadline: chinaDay(30) })
        .expect(200);
      // What an item of the old service holds: the request as signed, with a day that does not exist.
      await db.query(`UPDATE problem_items SET snapshot = jsonb_set(snapshot, '{context,extension,requestedDeadline}', '"2030-02-31"') WHERE id = $1`, [id]);
      const leader = await bearer(t, 'leader');
      for (let attempt = 0; attempt < 2; attempt++) {
        const res = await refused(
          () => t.http.post(`/api/items/${id}/events`).set('authorization', leader).send({ type: 'APPROVE_EXTENSION' }),
          400,
          'VALIDATION_FAILED',
        );
        expect(res.body.details[0].message).toContain('2030-02-31');
      }
      const deny = await t.http.post(`/api/items/${id}/events`).set('authorization', leader).send({ type: 'DENY_EXTENSION', reason: '日期无效' });
      expect(deny.status).toBe(200);
      expect(deny.body.state).toBe('rectifying');
    });

    it('campaign phases, report periods, notice deadlines and audit times', async () => {
      const county = await bearer(t, 'county');
      const phase = await refused(
        () =>
          t.http
            .post('/api/campaigns')
            .set('authorization', county)
            .send({ preset: 'huoqiu', title: '专项', docNumber: '1号', phases: [{ kind: 'investigation', name: '排查', startDate: '2030-02-30' }] }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fields(phase)).toEqual(['phases.0.startDate']);
      for (const path of [`series?from=2030-02-31`, `series?to=2030-04-31`, `ranking?to=2030-02-29`, `series.xlsx?from=2021-13-01`]) {
        const res = await refused(() => t.http.get(`/api/campaigns/${cid}/${path}`).set('authorization', county), 400, 'VALIDATION_FAILED');
        expect(fields(res)).toEqual([path.split('=')[0].split('?')[1]]);
      }
      const notice = await refused(
        () =>
          t.http
            .post(`/api/campaigns/${cid}/notices`)
            .set('authorization', county)
            .send({ recipientOrgUnitId: t.demo.orgUnits.chengguan.id, deadline: '2030-02-31' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(fields(notice)).toEqual(['deadline']);
      const auditor = await bearer(t, 'auditor');
      for (const query of ['from=2030-02-31T00:00:00Z', 'before=2030-02-31', 'before=2021-06-25T24:00:00Z', 'from=yesterday']) {
        const res = await refused(() => t.http.get(`/api/audit-events?${query}`).set('authorization', auditor), 400, 'VALIDATION_FAILED');
        expect(fields(res)).toEqual([query.split('=')[0]]);
      }
      expect((await t.http.get('/api/audit-events?before=2030-02-28T23:59:59%2B08:00').set('authorization', auditor)).status).toBe(200);
    });
  });

  describe('paging cursors and idempotency keys', () => {
    it('a forged or damaged cursor is a 400, the real one pages', async () => {
      const county = await bearer(t, 'county');
      const first = await t.http.get('/api/items?limit=1').set('authorization', county).expect(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      await t.http.get(`/api/items?limit=1&cursor=${first.body.nextCursor}`).set('authorization', county).expect(200);
      const b64 = (s: string) => Buffer.from(s).toString('base64url');
      for (const cursor of [
        b64(`2030-02-31T00:00:00.000Z|${t.demo.userIds.cadre}`),
        b64(`2021-06-25T00:00:00.000Z|${'-'.repeat(36)}`),
        b64('2021-06-25T00:00:00.000Z|x|y'),
        b64(`2021-06-25|${t.demo.userIds.cadre}`),
        'not-a-cursor',
        '%E0%A4%A',
      ]) {
        const res = await refused(() => t.http.get(`/api/items?cursor=${cursor}`).set('authorization', county), 400, 'VALIDATION_FAILED');
        expect(fields(res)).toEqual(['cursor']);
      }
    });

    it('an Idempotency-Key of another shape is a 400 naming the header, wherever it is taken', async () => {
      const cadre = await bearer(t, 'cadre');
      const item = { campaignId: cid, orgUnitId: t.demo.orgUnits.datong.id, problemTypeCode: 'HQ-01', description: '住房漏雨' };
      for (const key of ['short', 'a'.repeat(129), 'has space 12345', 'ééééééééé', 'aaaaaaaa, bbbbbbbb']) {
        const res = await refused(() => t.http.post('/api/items').set('authorization', cadre).set('Idempotency-Key', key).send(item), 400, 'VALIDATION_FAILED');
        expect(fields(res)).toEqual(['Idempotency-Key']);
      }
      const leader = await bearer(t, 'leader');
      await refused(
        () =>
          t.http
            .post('/api/items/batch-events')
            .set('authorization', leader)
            .set('Idempotency-Key', 'bad key!')
            .send({ type: 'ACCEPT', itemIds: [t.demo.userIds.cadre] }),
        400,
        'VALIDATION_FAILED',
      );
      const good = await t.http.post('/api/items').set('authorization', cadre).set('Idempotency-Key', 'good-key:0001').send(item);
      expect(good.status).toBe(201);
    });
  });

  describe('what every API answer carries', () => {
    it('Cache-Control: no-store on every /api answer, errors and downloads included', async () => {
      const county = await bearer(t, 'county');
      const answers: Array<[string, Response]> = [
        ['items', await t.http.get('/api/items').set('authorization', county)],
        ['me', await t.http.get('/api/auth/me').set('authorization', county)],
        ['401', await t.http.get('/api/items')],
        ['404', await t.http.get('/api/nope').set('authorization', county)],
        ['xlsx', await t.http.get(`/api/campaigns/${cid}/ledger.xlsx`).set('authorization', county)],
        ['login', await t.http.post('/api/auth/login').send({ username: 'nobody', password: 'x' })],
        ['health', await t.http.get('/api/health')],
      ];
      // Terminus words its own header for the health check; it says no-store too.
      for (const [what, res] of answers)
        expect([what, res.headers['cache-control']]).toEqual([what, what === 'health' ? expect.stringContaining('no-store') : 'no-store']);
    });
  });

  describe('API documents in production', () => {
    let prod: TestApp;
    beforeAll(async () => {
      prod = await createTestApp({ NODE_ENV: 'production' });
    });
    afterAll(() => prod.close());

    it('Swagger UI and the OpenAPI document only with a valid access token', async () => {
      for (const path of ['/api/docs', '/api/docs/', '/api/docs-json', '/api/docs-yaml', '/api/docs/swagger-ui-init.js']) {
        const anonymous = await prod.http.get(path);
        expect([path, anonymous.status, anonymous.body.code]).toEqual([path, 401, 'UNAUTHENTICATED']);
        const forged = await prod.http.get(path).set('authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x');
        expect([path, forged.status]).toEqual([path, 401]);
      }
      const auth = await bearer(prod, 'cadre');
      const doc = await prod.http.get('/api/docs-json').set('authorization', auth);
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect((await prod.http.get('/api/docs').set('authorization', auth)).status).toBe(200);
      // Outside production (the other app) the documents stay open, as the console's developers use them.
      expect((await t.http.get('/api/docs-json')).status).toBe(200);
    });
  });
});
