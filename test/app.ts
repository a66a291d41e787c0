import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AppModule } from '../src/app.module';
import { configureApp } from '../src/app.setup';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { DEMO_PASSWORD, DemoCounty, DemoSeedService } from '../src/demo/demo-seed.service';
import type { RunningDatabase } from '../src/database/embedded-postgres';
import { asServiceRole, createTestDatabase, serverUrl } from './db';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const TEST_CHAIN_KEY = 'test-chain-key-that-is-long-enough-0123456789abcdef';
export const TEST_ID_KEY = 'test-id-encryption-key-that-is-long-enough-0123456789';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  config: AppConfig;
  demo: DemoCounty;
  /** The test database as the superuser (for specs that look behind the service's back or tamper). */
  databaseUrl: string;
  /** The same database as the service's own least-privilege role (what the app connects as on a server). */
  serviceUrl: string;
  /** Logs a demo user in and returns the access token. */
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

/** The configuration every test app runs with (only what a spec passes differs, and its own database). */
export const TEST_ENV: Readonly<Record<string, string>> = {
  LOG_LEVEL: 'silent',
  LOGIN_RATE_LIMIT: '10000',
  // Users created through the admin API log straight in (factories' createUser); the
  // password-policy spec turns the forced change back on.
  PASSWORD_CHANGE_ON_ADMIN_SET: 'false',
  // No role needs a second factor, so county and admin users log in with a password (as in demo mode);
  // test/totp.e2e-spec.ts turns TOTP_REQUIRED_ROLES back on.
  TOTP_REQUIRED_ROLES: 'none',
  // The ~50 specs sign with bearer tokens alone; test/signing-grant.e2e-spec.ts and the browser
  // specs (test/browser/harness.ts) run with step-up signing on, as `npm start` does.
  SIGNING_STEP_UP: 'false',
  JWT_SECRET: TEST_JWT_SECRET,
  CHAIN_KEY: TEST_CHAIN_KEY,
  CHAIN_KEY_ID: 'test-1',
  ID_ENCRYPTION_KEY: TEST_ID_KEY,
  ID_ENCRYPTION_KEY_ID: 'id-1',
  ID_INDEX_KEY: 'test-id-index-key-that-is-long-enough-0123456789',
  UPLOAD_DIR: `./data/test-uploads/${process.pid}`,
  // The reminders job runs when a spec calls it (test/notifications.e2e-spec.ts), never on a timer.
  REMINDERS_INTERVAL_MINUTES: '0',
};

/** A database made elsewhere (another server than TEST_DATABASE_URL's), migrated, with the URL the service connects with. */
export interface GivenDatabase {
  db: RunningDatabase;
  serviceUrl: string;
  /** The demo county another instance already seeded there (a second instance on the same database); unset: seed it. */
  demo?: DemoCounty;
}

/**
 * Boots the real AppModule on its own database (real migrations, demo county
 * seeded through the real services). Only configuration differs from `npm start`.
 */
export async function createTestApp(env: Record<string, string> = {}, given?: GivenDatabase): Promise<TestApp> {
  const db = given?.db ?? (await createTestDatabase());
  const serviceUrl = given?.serviceUrl ?? (serverUrl ? asServiceRole(db.url) : db.url);
  const config = loadConfig({
    ...TEST_ENV,
    ...env,
    DATABASE_URL: serviceUrl,
    DEMO_DATA: 'false',
  });
  // NestFactory (not Test.createTestingModule): modules that hook into the HTTP adapter at
  // start-up, like the console's ServeStaticModule, then see it exactly as under `npm start`.
  const app = configureApp(await NestFactory.create(AppModule.forRoot(config, serviceUrl), { bufferLogs: true, logger: false, abortOnError: false }));
  await app.init();
  const demo = given?.demo ?? (await app.get(DemoSeedService).seed());
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    config,
    demo,
    databaseUrl: db.url,
    serviceUrl,
    async token(username: string) {
      const cached = tokens.get(username);
      if (cached) return cached;
      const res = await http.post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(username, res.body.accessToken);
      return res.body.accessToken as string;
    },
    async close() {
      await app.close();
      await db.stop();
    },
  };
}
