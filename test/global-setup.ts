import { adminQuery, ensureServiceRoles, migrate, serverUrl, TEMPLATE_ENV, withDatabase } from './db';

/** Creates the migrated template database that each e2e file clones (real PostgreSQL only). */
export default async function globalSetup(): Promise<void> {
  if (!serverUrl) return;
  await ensureServiceRoles();
  const template = `qingling_t${Date.now().toString(36)}${process.pid}`;
  await adminQuery(`CREATE DATABASE "${template}"`);
  await migrate(withDatabase(serverUrl, template));
  process.env[TEMPLATE_ENV] = template;
}
