import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { ROLES } from '../auth/roles';

/** Role names TOTP_REQUIRED_ROLES accepts: ours, and security_admin (三权分立), which may not be in ROLES yet. */
const TOTP_ROLE_NAMES: readonly string[] = [...new Set<string>([...ROLES, 'security_admin'])];
const DEFAULT_TOTP_REQUIRED_ROLES: readonly string[] = ['county_office', 'admin', 'security_admin'];

/** `a, b,c` → ['a', 'b', 'c']; `none` → []. */
function parseRoleList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length === 1 && names[0] === 'none' ? [] : names;
}

/**
 * The service's whole configuration, read from the environment once at start-up
 * (see loadConfig). Nothing else in the code base reads process.env.
 */
export class AppConfig {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** External PostgreSQL. When absent the service runs on embedded PGlite. */
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  /**
   * The schema owner's connection (e.g. role `qingling_owner`): migrations
   * run with it, at start-up and in `npm run migrate`. Unset: migrations use
   * DATABASE_URL, which then must be the owner. In production the service's
   * own role (DATABASE_URL) may be neither superuser nor owner.
   */
  @IsOptional()
  @IsString()
  DATABASE_OWNER_URL?: string;

  /** A role that may create roles and databases, used by `npm run db:roles` only. */
  @IsOptional()
  @IsString()
  DATABASE_ADMIN_URL?: string;

  /**
   * Streaming standbys of DATABASE_URL's primary, comma-separated
   * postgres:// URLs. Lists, the inbox, reports and exports then read from
   * one of them (see src/database/standby-reads.ts); everything else, and a
   * client's reads until a standby has replayed that client's last write,
   * goes to the primary. Unset: one server, as before.
   */
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  )
  @Matches(/^postgres(ql)?:\/\/[^\s,]+$/, { each: true, message: 'DATABASE_REPLICA_URLS must be postgres:// URLs, comma-separated' })
  DATABASE_REPLICA_URLS?: string[];

  /**
   * Read-your-writes: after a write, the client is given the primary's WAL
   * position (cookie qingling_lsn, header X-Qingling-Lsn) for this many
   * seconds; while it holds one, its reads go to a standby only once that
   * standby has replayed past it, else to the primary.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 300 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(86400)
  REPLICA_READ_YOUR_WRITES_SECONDS = 300;

  /** A standby that failed (unreachable, not in recovery) is left alone this long, then tried again. */
  @Transform(({ value }) => (value === undefined || value === '' ? 10 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(3600)
  REPLICA_RETRY_SECONDS = 10;

  /** Where embedded PGlite keeps its files; `memory://` keeps nothing. */
  @IsString()
  PGLITE_DATA_DIR = './data/pglite';

  /** Load the demo county. Defaults to true on embedded PGlite, false otherwise. */
  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : value === 'true' || value === true))
  @IsBoolean()
  DEMO_DATA?: boolean;

  /** HMAC secret for access tokens. Required with an external database. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 900 : Number(value)))
  @IsInt()
  @Min(10)
  JWT_ACCESS_TTL_SECONDS = 900;

  /**
   * The key every signature link is sealed with (HMAC-SHA-256), at least 32
   * characters; required in production. Embedded demo mode makes one and
   * keeps it in the data directory.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  CHAIN_KEY?: string;

  /**
   * Resident ID numbers are encrypted at rest with this (AES-256-GCM, key
   * derived by HKDF), at least 32 characters; required in production.
   * Embedded demo mode makes one and keeps it in the data directory.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  ID_ENCRYPTION_KEY?: string;

  /** The id stored with each number encrypted with ID_ENCRYPTION_KEY, so that keys can be rotated (npm run rotate:id-key). */
  @Matches(/^[A-Za-z0-9._-]{1,32}$/)
  ID_ENCRYPTION_KEY_ID = 'k1';

  /** Earlier ID encryption keys, still needed to read what they encrypted until rotation: `id:key,id:key`. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,32}:[^,]{32,}(,[A-Za-z0-9._-]{1,32}:[^,]{32,})*$/, {
    message: 'ID_ENCRYPTION_KEYS_RETIRED must be id:key pairs (keys of at least 32 characters), comma-separated',
  })
  ID_ENCRYPTION_KEYS_RETIRED?: string;

  /** Key of the resident ID index (HMAC-SHA-256) used for exact search and duplicate detection, at least 32 characters; required in production. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  ID_INDEX_KEY?: string;

  /** Audit events are kept this many months (at least 6, as 等保 asks; the database refuses to delete younger ones), then purged, the purge itself audited. */
  @Transform(({ value }) => (value === undefined || value === '' ? 6 : Number(value)))
  @IsInt()
  @Min(6)
  AUDIT_RETENTION_MONTHS = 6;

  /** The id stored with each link sealed with CHAIN_KEY, so that keys can be rotated. */
  @Matches(/^[A-Za-z0-9._-]{1,32}$/)
  CHAIN_KEY_ID = 'k1';

  /** Earlier chain keys, still needed to verify the links they sealed: `id:key,id:key`. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,32}:[^,]{32,}(,[A-Za-z0-9._-]{1,32}:[^,]{32,})*$/, {
    message: 'CHAIN_KEYS_RETIRED must be id:key pairs (keys of at least 32 characters), comma-separated',
  })
  CHAIN_KEYS_RETIRED?: string;

  @Transform(({ value }) => (value === undefined || value === '' ? 30 : Number(value)))
  @IsInt()
  @Min(1)
  REFRESH_TTL_DAYS = 30;

  /** A session with no request for this long ends (known to within a minute: last use is recorded at most once a minute). */
  @Transform(({ value }) => (value === undefined || value === '' ? 30 : Number(value)))
  @IsInt()
  @Min(1)
  SESSION_IDLE_MINUTES = 30;

  /** A session ends this long after login, however active; refreshing does not extend it. */
  @Transform(({ value }) => (value === undefined || value === '' ? 12 : Number(value)))
  @IsInt()
  @Min(1)
  SESSION_MAX_HOURS = 12;

  @IsString()
  JWT_ISSUER = 'qingling';

  @IsString()
  JWT_AUDIENCE = 'qingling-api';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /**
   * Login attempts allowed per client address per minute. Generous: a whole
   * township office may share one address; per-account lockout does the real work.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 60;

  /**
   * How often each instance runs the reminders job (deadlines, phases past
   * their end); runs are exclusive across instances and send each reminder
   * once, so any period of at most a few hours does. 0 turns the schedule off.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 60 : Number(value)))
  @IsInt()
  @Min(0)
  REMINDERS_INTERVAL_MINUTES = 60;

  /** Consecutive failed logins that lock an account. */
  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  /** How long a locked account stays locked. */
  @Transform(({ value }) => (value === undefined || value === '' ? 30 : Number(value)))
  @IsInt()
  @Min(1)
  LOGIN_LOCK_MINUTES = 30;

  /** Password policy: minimum length (three of upper, lower, digit, symbol are always required). */
  @Transform(({ value }) => (value === undefined || value === '' ? 8 : Number(value)))
  @IsInt()
  @Min(8)
  @Max(64)
  PASSWORD_MIN_LENGTH = 8;

  /** Days after which a password must be changed; 0 turns expiry off. */
  @Transform(({ value }) => (value === undefined || value === '' ? 90 : Number(value)))
  @IsInt()
  @Min(0)
  PASSWORD_MAX_AGE_DAYS = 90;

  /** How many recent passwords (the current one included) a change may not reuse. */
  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(24)
  PASSWORD_HISTORY = 5;

  /** A password an admin sets (new user, reset) must be changed by its user before anything else. */
  @Transform(({ value }) => (value === undefined || value === '' ? true : value === 'true' || value === true))
  @IsBoolean()
  PASSWORD_CHANGE_ON_ADMIN_SET = true;

  /**
   * Signing proves presence (等保 step-up): every signed event carries a
   * signing grant obtained by entering the password again
   * (POST /api/auth/signing-grant). Off only for test set-ups that sign with
   * bearer tokens alone. Anything but true/false is an error, so a typo never
   * turns it off.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? true : value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  SIGNING_STEP_UP = true;

  /** How long a signing grant lasts (it never outlives its session). */
  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt()
  @Min(1)
  @Max(60)
  SIGNING_GRANT_MINUTES = 5;

  /**
   * Roles whose users must log in with a second factor (TOTP): a comma-separated
   * list, or `none`. Unset: county_office, admin and security_admin — but none in
   * demo mode, so the demo accounts stay usable without an authenticator app.
   * Read `totpRequiredRoles`.
   */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? parseRoleList(value) : value))
  @IsIn(TOTP_ROLE_NAMES, { each: true })
  TOTP_REQUIRED_ROLES?: string[];

  /**
   * Key material (32+ characters) for the TOTP secrets at rest (AES-256-GCM,
   * key derived by HKDF). Unset: derived from JWT_SECRET — set it separately
   * where JWT_SECRET may be rotated, or enrolled authenticators become unreadable.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  TOTP_ENCRYPTION_KEY?: string;

  @IsString()
  UPLOAD_DIR = './data/uploads';

  @Transform(({ value }) => (value === undefined || value === '' ? 10 : Number(value)))
  @IsInt()
  @Min(1)
  UPLOAD_MAX_MB = 10;

  /** Uploads no signature cites within this many hours are deleted (file and row). */
  @Transform(({ value }) => (value === undefined || value === '' ? 24 : Number(value)))
  @IsInt()
  @Min(1)
  ATTACHMENT_ORPHAN_HOURS = 24;

  @Transform(({ value }) => (value === undefined || value === '' ? 20 : Number(value)))
  @IsInt()
  @Min(1)
  LEDGER_IMPORT_MAX_MB = 20;

  /** Largest JSON or form body accepted (413 above it, before anything reads it). */
  @Transform(({ value }) => (value === undefined || value === '' ? 1024 : Number(value)))
  @IsInt()
  @Min(16)
  @Max(65536)
  JSON_BODY_MAX_KB = 1024;

  /** The built web console (served at `/`). */
  @IsString()
  WEB_DIR = './dist/web';

  /**
   * Express `trust proxy`: set it (e.g. `loopback` or `1`) behind a TLS-terminating
   * reverse proxy so client addresses and https are taken from X-Forwarded-*;
   * the console's refresh cookie is then marked Secure.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }

  /** Where migrations run: the owner's connection when one is configured. */
  get migrationUrl(): string | undefined {
    return this.DATABASE_OWNER_URL ?? this.DATABASE_URL;
  }

  /** The standbys reads may go to; empty on a single server and on the embedded database. */
  get replicaUrls(): readonly string[] {
    return this.DATABASE_REPLICA_URLS ?? [];
  }

  get demoData(): boolean {
    return this.DEMO_DATA ?? this.embedded;
  }

  /** Roles that must use a second factor (TOTP_REQUIRED_ROLES; see there for the default). */
  get totpRequiredRoles(): readonly string[] {
    return this.TOTP_REQUIRED_ROLES ?? (this.demoData ? [] : DEFAULT_TOTP_REQUIRED_ROLES);
  }
}

export class ConfigError extends Error {}

/** Validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig());
  const picked: Record<string, string> = {};
  for (const key of [
    ...known,
    'DATABASE_URL',
    'DATABASE_OWNER_URL',
    'DATABASE_ADMIN_URL',
    'DATABASE_REPLICA_URLS',
    'DEMO_DATA',
    'JWT_SECRET',
    'TRUST_PROXY',
    'TOTP_REQUIRED_ROLES',
    'TOTP_ENCRYPTION_KEY',
    'CHAIN_KEY',
    'CHAIN_KEYS_RETIRED',
    'ID_ENCRYPTION_KEY',
    'ID_ENCRYPTION_KEYS_RETIRED',
    'ID_INDEX_KEY',
  ]) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  if (config.embedded && config.DATABASE_REPLICA_URLS?.length)
    throw new ConfigError('Invalid configuration:\n  DATABASE_REPLICA_URLS needs DATABASE_URL (the embedded database has no standby)');
  if (config.NODE_ENV === 'production') {
    const required = ['JWT_SECRET', 'CHAIN_KEY', 'ID_ENCRYPTION_KEY', 'ID_INDEX_KEY'] as const;
    const missing = config.embedded ? [] : required.filter((k) => !config[k]);
    if (missing.length) throw new ConfigError(`Invalid configuration:\n  ${missing.map((k) => `${k} is required in production`).join('\n  ')}`);
  }
  return config;
}
