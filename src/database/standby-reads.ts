import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor, OnModuleDestroy, UseInterceptors } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { catchError, finalize, from, mergeMap, Observable } from 'rxjs';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { isDatabaseUnavailable } from './database-errors';
import { standbyDataSourceOptions } from './data-source-options';

/** The cookie and header that carry a client's last write position (read-your-writes). */
export const LSN_COOKIE = 'qingling_lsn';
export const LSN_HEADER = 'x-qingling-lsn';

const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** A WAL position `X/Y` as one number, for comparing; undefined for anything else. */
export function lsnValue(lsn: unknown): bigint | undefined {
  if (typeof lsn !== 'string' || !LSN.test(lsn)) return undefined;
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** The write position the client says it must see: header first (API clients), then the cookie (the console). */
export function requiredLsn(req: Request): string | undefined {
  const header = req.headers[LSN_HEADER];
  const cookie: unknown = (req.cookies as Record<string, unknown> | undefined)?.[LSN_COOKIE];
  for (const v of [header, cookie]) if (lsnValue(v) !== undefined) return v as string;
  return undefined;
}

interface Standby {
  url: string;
  /** Host and port only, for logs (never the password). */
  name: string;
  ds: DataSource | null;
  connecting: Promise<DataSource> | null;
  /** Not tried again before this (ms since epoch) after a failure. */
  downUntil: number;
}

/** A read of one request on one standby. */
export interface StandbyScope {
  manager: EntityManager;
  standby: Standby;
  queryRunner: QueryRunner;
}

const scopes = new AsyncLocalStorage<{ manager: EntityManager }>();

/**
 * Reads that may come from a streaming standby. Routes opt in with
 * @ReadsFromStandby() (lists, the inbox, reports, exports); the services they
 * call take their manager from `manager()`, which inside such a route is a
 * standby's and anywhere else the primary's. Writes never go to a standby
 * (`writer()`); transactions are always the primary's.
 *
 * Read-your-writes holds across instances without shared state: every
 * successful write answers with the primary's WAL position after its commit
 * (WriteLsnInterceptor), the client sends it back (cookie or header), and a
 * standby serves that client only once its replay position has passed it;
 * until then its reads go to the primary. Every such request first asks its
 * standby how far it has replayed (one round trip, which is also the health
 * check): a standby that cannot be reached or refuses us, or is no longer in
 * recovery, is left for REPLICA_RETRY_SECONDS and the reads go to another
 * standby or the primary; it is tried again after. A standby lost in the
 * middle of a request has it answered again from the primary, if no byte of
 * the answer was sent yet.
 */
@Injectable()
export class StandbyReads implements OnModuleDestroy {
  private readonly logger = new Logger('StandbyReads');
  private readonly standbys: Standby[];
  private next = 0;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    private readonly config: AppConfig,
  ) {
    this.standbys = config.replicaUrls.map((url) => {
      const u = new URL(url);
      return { url, name: `${u.hostname}:${u.port || 5432}`, ds: null, connecting: null, downUntil: 0 };
    });
  }

  get enabled(): boolean {
    return this.standbys.length > 0;
  }

  /** The manager reads use: the current standby scope's, else the primary's. */
  manager(): EntityManager {
    return scopes.getStore()?.manager ?? this.primary.manager;
  }

  /** `manager` if it may write, else the primary's: an audit record written while reading from a standby goes to the primary. */
  writer(manager: EntityManager): EntityManager {
    return manager.connection === this.primary ? manager : this.primary.manager;
  }

  /** Runs `work` with `manager()` answering `manager`. */
  within<T>(manager: EntityManager, work: () => T): T {
    return scopes.run({ manager }, work);
  }

  /**
   * A standby that has replayed at least `minLsn` (when given), with a
   * connection checked out for the request; null when none is usable, and the
   * request reads from the primary.
   */
  async open(minLsn?: string): Promise<StandbyScope | null> {
    const need = lsnValue(minLsn);
    for (let n = 0; n < this.standbys.length; n++) {
      const standby = this.standbys[(this.next + n) % this.standbys.length];
      if (standby.downUntil > Date.now()) continue;
      let queryRunner: QueryRunner | undefined;
      try {
        const ds = await this.connect(standby);
        queryRunner = ds.createQueryRunner();
        // One round trip that checks out the connection, proves it is a standby, and says how far it has replayed.
        const [row] = (await queryRunner.query('SELECT pg_last_wal_replay_lsn()::text AS lsn')) as Array<{ lsn: string | null }>;
        const replayed = lsnValue(row?.lsn);
        if (replayed === undefined) {
          this.markDown(standby, 'is not in recovery (promoted, or not a standby)');
          await queryRunner.release();
          continue;
        }
        if (need !== undefined && replayed < need) {
          await queryRunner.release();
          continue; // behind this client's last write: another standby, or the primary
        }
        this.next = (this.next + n + 1) % this.standbys.length;
        return { manager: queryRunner.manager, standby, queryRunner };
      } catch (e) {
        // Unreachable, or refusing us (a wrong password in DATABASE_REPLICA_URLS too): the primary answers instead of an error.
        await queryRunner?.release().catch(() => undefined);
        this.markDown(standby, e instanceof Error ? e.message : String(e));
      }
    }
    return null;
  }

  async close(scope: StandbyScope): Promise<void> {
    await scope.queryRunner.release().catch(() => undefined);
  }

  /**
   * Whether a read that failed with `error` on a standby should be answered
   * again from the primary: the standby went away (it is then left alone for
   * a while), or cancelled the query because replay needed its rows.
   */
  retryOnPrimary(scope: StandbyScope, error: unknown): boolean {
    if (isDatabaseUnavailable(error)) {
      this.markDown(scope.standby, error instanceof Error ? error.message : String(error));
      return true;
    }
    return conflictWithRecovery(error);
  }

  /** The primary's WAL position now: after a commit, at or past that commit's record. */
  async primaryLsn(): Promise<string> {
    const [row] = (await this.primary.query('SELECT pg_current_wal_lsn()::text AS lsn')) as Array<{ lsn: string }>;
    return row.lsn;
  }

  private markDown(standby: Standby, why: string): void {
    if (standby.downUntil <= Date.now())
      this.logger.warn(`standby ${standby.name} ${why}; reading from the primary, trying it again in ${this.config.REPLICA_RETRY_SECONDS} s`);
    standby.downUntil = Date.now() + this.config.REPLICA_RETRY_SECONDS * 1000;
  }

  /** Connects lazily, so that a standby down while the service starts only delays its use. */
  private async connect(standby: Standby): Promise<DataSource> {
    if (standby.ds?.isInitialized) return standby.ds;
    standby.connecting ??= new DataSource(standbyDataSourceOptions(standby.url)).initialize().finally(() => (standby.connecting = null));
    standby.ds = await standby.connecting;
    return standby.ds;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.standbys.map((s) => (s.ds?.isInitialized ? s.ds.destroy() : undefined)));
  }
}

/** 40001 with "conflict with recovery": a hot standby cancelled the query to replay (the primary has no such conflict). */
function conflictWithRecovery(error: unknown): boolean {
  const e = (error as { driverError?: unknown }).driverError ?? error;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return code === '40001' && typeof message === 'string' && message.includes('conflict with recovery');
}

/**
 * Serves the route from a standby (see StandbyReads). Only for routes whose
 * answers may lag the primary by the replication delay — the caller's own
 * writes excepted — and that write nothing but audit records.
 */
@Injectable()
export class StandbyReadInterceptor implements NestInterceptor {
  constructor(private readonly reads: StandbyReads) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reads.enabled) return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    return from(this.reads.open(requiredLsn(req))).pipe(
      mergeMap((scope) => {
        if (!scope) return next.handle();
        // next.handle() binds the handler to the async context it is called in.
        return this.reads
          .within(scope.manager, () => next.handle())
          .pipe(
            catchError((e: unknown) => {
              if (res.headersSent || !this.reads.retryOnPrimary(scope, e)) throw e;
              return this.reads.within(this.reads.writer(scope.manager), () => next.handle());
            }),
            finalize(() => void this.reads.close(scope)),
          );
      }),
    );
  }
}

/** The route reads from a streaming standby when DATABASE_REPLICA_URLS is set. */
export const ReadsFromStandby = (): MethodDecorator & ClassDecorator => UseInterceptors(StandbyReadInterceptor);

/**
 * Read-your-writes, the writing half: a successful write (any method but
 * GET/HEAD/OPTIONS) answers with the primary's WAL position after it, as the
 * header X-Qingling-Lsn and the cookie qingling_lsn (httpOnly, scoped to
 * /api, REPLICA_READ_YOUR_WRITES_SECONDS long), which the client's next reads
 * carry to whichever instance serves them.
 */
@Injectable()
export class WriteLsnInterceptor implements NestInterceptor {
  constructor(
    private readonly reads: StandbyReads,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reads.enabled || context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next.handle();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        if (res.headersSent) return value;
        // Unknown (the primary did not answer right after the commit): the highest position there is, so this
        // client reads from the primary for the whole window rather than risk not seeing what it just wrote.
        const lsn = await this.reads.primaryLsn().catch(() => 'FFFFFFFF/FFFFFFFF');
        res.setHeader(LSN_HEADER, lsn);
        res.cookie(LSN_COOKIE, lsn, {
          httpOnly: true,
          sameSite: 'strict',
          secure: req.secure,
          path: '/api',
          maxAge: this.config.REPLICA_READ_YOUR_WRITES_SECONDS * 1000,
        });
        return value;
      }),
    );
  }
}
