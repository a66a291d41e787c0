import { createTestApp, TestApp } from './app';

describe('health and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('readiness includes the database; liveness answers without it', async () => {
    const ready = await t.http.get('/api/health').expect(200);
    expect(ready.body).toEqual(expect.objectContaining({ status: 'ok', info: { database: { status: 'up' } } }));
    const live = await t.http.get('/api/health/live').expect(200);
    expect(live.body.status).toBe('ok');
  });

  it('serves the OpenAPI document generated from the code, with bearer auth', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/admin/users', '/api/health']));
    expect(res.body.components.securitySchemes.bearer).toBeDefined();
    await t.http.get('/api/docs').expect(200);
  });

  it('answers unknown routes with the common error shape', async () => {
    const res = await t.http
      .get('/api/nope')
      .set('authorization', `Bearer ${await t.token('county')}`)
      .expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: '请求的资源不存在', details: [] });
  });
});
