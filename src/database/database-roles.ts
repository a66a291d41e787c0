/**
 * `npm run db:roles`: makes the database and its roles on an external
 * PostgreSQL, once, with an administrator's connection (DATABASE_ADMIN_URL):
 *   - the owner (the user of DATABASE_OWNER_URL): logs in, owns the database
 *     and everything the migrations create;
 *   - `qingling_service`, a group role without login, to which the
 *     migrations grant what the service may do;
 *   - the service's login role (the user of DATABASE_URL), a member of
 *     `qingling_service` only: no superuser, no ownership, no CREATEROLE.
 * Passwords are taken from the two URLs. Running it again changes nothing
 * but the passwords.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { SERVICE_ROLE } from '../../migrations/1763880000000-DatabaseRoles';
import { loadConfig } from '../config/app-config';

interface Login {
  user: string;
  password: string | null;
  database: string;
}

function loginOf(url: string, what: string): Login {
  const u = new URL(url);
  const user = decodeURIComponent(u.username);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(user)) throw new Error(`${what}: the user name must be lower-case letters, digits and _ (got "${user}")`);
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) throw new Error(`${what}: name the database (letters, digits, _ and -)`);
  return { user, password: u.password ? decodeURIComponent(u.password) : null, database };
}

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Creates (or updates the passwords of) the owner and the service login role and the database; answers what it did. */
export async function setupDatabaseRoles(adminUrl: string, ownerUrl: string, serviceUrl: string): Promise<string[]> {
  const owner = loginOf(ownerUrl, 'DATABASE_OWNER_URL');
  const service = loginOf(serviceUrl, 'DATABASE_URL');
  if (owner.user === service.user) throw new Error('DATABASE_URL and DATABASE_OWNER_URL must use different roles');
  if (owner.database !== service.database) throw new Error('DATABASE_URL and DATABASE_OWNER_URL must name the same database');
  const done: string[] = [];
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = async (role: string) => (await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
    const password = (l: Login) => (l.password === null ? 'PASSWORD NULL' : `PASSWORD ${quoteLiteral(l.password)}`);
    if (!(await exists(SERVICE_ROLE))) {
      await admin.query(`CREATE ROLE ${SERVICE_ROLE} NOLOGIN`);
      done.push(`created role ${SERVICE_ROLE}`);
    }
    for (const [login, attributes] of [
      [owner, 'LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB'],
      [service, 'LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB INHERIT'],
    ] as const) {
      const verb = (await exists(login.user)) ? 'ALTER' : 'CREATE';
      await admin.query(`${verb} ROLE ${login.user} ${attributes} ${password(login)}`);
      done.push(`${verb === 'CREATE' ? 'created' : 'updated'} role ${login.user}`);
    }
    await admin.query(`GRANT ${SERVICE_ROLE} TO ${service.user}`);
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [owner.database])).rowCount === 0) {
      await admin.query(`CREATE DATABASE "${owner.database}" OWNER ${owner.user}`);
      done.push(`created database ${owner.database} owned by ${owner.user}`);
    }
  } finally {
    await admin.end();
  }
  // In the database: nobody but the owner creates objects; the public schema is the owner's.
  const inDb = new Client({ connectionString: withDatabase(adminUrl, owner.database) });
  await inDb.connect();
  try {
    await inDb.query(`ALTER SCHEMA public OWNER TO ${owner.user}`);
    await inDb.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await inDb.query(`REVOKE ALL ON DATABASE "${owner.database}" FROM PUBLIC`);
    await inDb.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${owner.database}" TO ${owner.user}, ${service.user}`);
  } finally {
    await inDb.end();
  }
  return done;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** What the service's own connection may do: a role that is superuser or owns tables is not least privilege. */
export interface ServiceRoleCheck {
  role: string;
  superuser: boolean;
  ownedTables: number;
}

export async function checkServiceRole(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<ServiceRoleCheck> {
  const [row] = await query(
    `SELECT current_user AS role, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND pg_has_role(current_user, tableowner, 'USAGE')) AS owned`,
  );
  return { role: row.role as string, superuser: row.superuser === true, ownedTables: row.owned as number };
}

if (require.main === module) {
  const config = loadConfig(process.env);
  if (!config.DATABASE_ADMIN_URL || !config.DATABASE_OWNER_URL || !config.DATABASE_URL) {
    console.error('set DATABASE_ADMIN_URL (a role that may create roles and databases), DATABASE_OWNER_URL and DATABASE_URL');
    process.exit(2);
  }
  setupDatabaseRoles(config.DATABASE_ADMIN_URL, config.DATABASE_OWNER_URL, config.DATABASE_URL)
    .then((done) => console.log(done.length ? done.join('\n') : 'roles and database already in place'))
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
