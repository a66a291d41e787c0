import { readFileSync } from 'node:fs';
import { OPENAPI_JSON, SCHEMA_TS, serializeDocument, typesFor } from '../src/openapi/generate-api-types';
import { createTestApp, TestApp } from './app';

/**
 * The console's API client is typed from the service's own OpenAPI document.
 * When an API change is not followed by `npm run api:types`, this fails, so the
 * console and the API cannot drift apart unnoticed.
 */
describe('generated console API types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('web/src/api/openapi.json and schema.d.ts match the running service (run `npm run api:types` after an API change)', async () => {
    const served: unknown = (await t.http.get('/api/docs-json').expect(200)).body;
    expect(readFileSync(OPENAPI_JSON, 'utf8')).toBe(serializeDocument(served));
    expect(readFileSync(SCHEMA_TS, 'utf8')).toBe(await typesFor(served));
  });
});
