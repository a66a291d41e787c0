import type { QueryClient } from '@tanstack/react-query';
import { authFetch, newIdempotencyKey } from '../api/client';
import { currentAccessToken, onSessionChange } from '../auth/session';
import { signingGrants } from '../auth/signing-grant';
import { ApiError, messageOf, toApiError } from './api-error';
import { isSigningGrantRefusal, SIGNING_GRANT_HEADER } from './signing-grant';

/**
 * The outbox: writes a village cadre makes without a network are kept on the
 * device and sent later, exactly once.
 *
 *   sendOrQueue(job) sends now when online; when the network fails the job is
 *   kept in IndexedDB with its own Idempotency-Key and sent exactly once later.
 *   `files` are uploaded first (POST /api/attachments) and their ids are put
 *   into body[filesField] (e.g. `evidence`) before the request itself is sent.
 *
 * Exactly once rests on the server (README「幂等」): the key is made once, when the
 * job is made, and every resend carries it, so a resend after a lost answer gets
 * the first answer back instead of a second item or signature. Uploaded
 * attachment ids are stored with the job before the request is sent, so a
 * resend has the very same body (the server also compares bodies per key).
 *
 * A signed job (`signs`) is sent with the page's signing grant (step-up
 * signing, lib/signing-grant.ts), which lives in memory only and for minutes:
 * when there is none at sending time, or the server refuses the one sent, the
 * job waits (flush stops with 'grant') until the user enters the password
 * again; then it is sent with the new grant, under the same Idempotency-Key.
 */
export interface OutboxJob {
  /** What the user sees in the waiting list, e.g. "登记问题：张三 住房漏雨". */
  label: string;
  method: 'POST' | 'PATCH';
  path: string;
  body: Record<string, unknown>;
  files?: File[];
  filesField?: string;
  /** A signature: sent only with a signing grant. */
  signs?: boolean;
}

export type SendResult = { queued: false; data: unknown } | { queued: true };

export interface StoredFile {
  name: string;
  type: string;
  blob: Blob;
}

/** A job as kept in the outbox. */
export interface StoredJob {
  id: string;
  idempotencyKey: string;
  /** The user who made it: only that user's session sends it. */
  ownerId: string | null;
  label: string;
  method: 'POST' | 'PATCH';
  path: string;
  body: Record<string, unknown>;
  filesField?: string;
  /** A signature: sent only with a signing grant (also set once the server asked for one). */
  signs?: boolean;
  files: StoredFile[];
  /** Attachment id per file once uploaded; a resend uploads only the missing ones. */
  uploadedIds: (string | null)[];
  createdAt: number;
  /** Breaks ties between jobs made in the same millisecond. */
  seq: number;
  /** `failed`: the server refused it (4xx) — kept until the user deletes or retries it. */
  status: 'waiting' | 'failed';
  attempts: number;
  lastTriedAt?: number;
  lastError?: string;
}

export interface OutboxStore {
  all(): Promise<StoredJob[]>;
  get(id: string): Promise<StoredJob | undefined>;
  put(job: StoredJob): Promise<void>;
  remove(id: string): Promise<void>;
}

/** What to do with a job after an attempt. */
export type Outcome =
  | 'sent' // remove it
  | 'retry' // keep it, stop this flush, try again later (no network, server trouble)
  | 'login' // keep it, stop, send after the user signs in again
  | 'grant' // keep it, stop, send after the user enters the password again (signing grant)
  | 'failed'; // keep it marked failed with the server's message, go on with the next job

export interface OutboxState {
  /** The current user's jobs, oldest first (waiting and failed). */
  jobs: StoredJob[];
  flushing: boolean;
  sendingId: string | null;
}

export type OutboxEvent =
  | { type: 'state' }
  | { type: 'sent'; job: StoredJob; data: unknown }
  | { type: 'failed'; job: StoredJob; error: ApiError }
  /** A signed job waits for the password (a signing grant). */
  | { type: 'grant-needed'; job: StoredJob };

export interface FlushReport {
  sent: number;
  failed: number;
  /** Why the flush stopped before the queue was empty (null: nothing left to send). */
  stopped: null | 'offline' | 'login' | 'grant' | 'retry' | 'busy';
}

export interface OutboxDeps {
  store: OutboxStore;
  /** Sends a request (authFetch in the browser); throws on network failure. */
  fetch: (req: Request) => Promise<Response>;
  isOnline: () => boolean;
  currentUserId: () => string | null;
  /** The page's signing grant, if it holds one that lasts (signed jobs wait without it). */
  signingGrant?: () => string | null;
  /** The server refused the grant sent (expired, replaced): forget it. */
  onGrantRefused?: () => void;
  newKey?: () => string;
  now?: () => number;
  /** Base for the relative API paths (the page origin in the browser). */
  baseUrl?: string;
  /** Runs a flush under a lock shared by other tabs; resolves undefined when another tab holds it. */
  lock?: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
  /** Called after this tab changed the store (to tell other tabs). */
  onLocalChange?: () => void;
  /** Give up on one request after this long (a hanging connection counts as no network). */
  timeoutMs?: number;
  uploadTimeoutMs?: number;
}

// ---------------------------------------------------------------- pure logic

let seqCounter = 0;

/** Makes the stored form of a job; its Idempotency-Key is made here, once, and never again. */
export function createStoredJob(job: OutboxJob, ids: { id: string; idempotencyKey: string; now: number; ownerId: string | null; seq?: number }): StoredJob {
  const files = (job.files ?? []).map((f) => ({ name: f.name, type: f.type, blob: f as Blob }));
  return {
    id: ids.id,
    idempotencyKey: ids.idempotencyKey,
    ownerId: ids.ownerId,
    label: job.label,
    method: job.method,
    path: job.path,
    body: job.body,
    filesField: files.length ? (job.filesField ?? 'evidence') : job.filesField,
    ...(job.signs ? { signs: true } : {}),
    files,
    uploadedIds: files.map(() => null),
    createdAt: ids.now,
    seq: ids.seq ?? ++seqCounter,
    status: 'waiting',
    attempts: 0,
  };
}

/** What the user reads beside a refused job: the server's field messages when it gave any, else its message. */
export function refusalText(err: unknown): string {
  if (err instanceof ApiError && err.details.length) return [...new Set(err.details.map((d) => d.message))].join('；');
  return messageOf(err);
}

/** Beside a signed job waiting for the password. */
export const GRANT_NOTE = '签字须确认：请输入登录密码后发送';

function isNetwork(err: unknown): boolean {
  return !(err instanceof ApiError) || err.code === 'NETWORK' || err.status === 0;
}

/**
 * What a failed attempt means. No answer, a gateway saying the service is
 * unreachable (502/503/504), a timeout, rate limiting or a server error:
 * try again later. 401: after the user signs in again. Any other 4xx is a
 * refusal only the user can resolve, so it is shown, never silently dropped.
 */
export function outcomeOf(err: unknown): Exclude<Outcome, 'sent'> {
  if (isNetwork(err)) return 'retry';
  const { status } = err as ApiError;
  if (status === 401) return 'login';
  if (isSigningGrantRefusal(err)) return 'grant';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

/** A direct send that ended like this is kept for later rather than reported to the page. */
function queueInsteadOfThrow(err: unknown): boolean {
  if (isNetwork(err)) return true;
  const { status } = err as ApiError;
  return status === 401 || status === 502 || status === 503 || status === 504;
}

function byAge(a: StoredJob, b: StoredJob): number {
  return a.createdAt - b.createdAt || a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function ownedBy(job: StoredJob, ownerId: string | null): boolean {
  return job.ownerId === null || job.ownerId === ownerId;
}

/** The user's jobs as listed to them, oldest first. */
export function visibleJobs(jobs: StoredJob[], ownerId: string | null): StoredJob[] {
  if (!ownerId) return [];
  return jobs.filter((j) => ownedBy(j, ownerId)).sort(byAge);
}

/** The jobs a flush sends, in order: the user's waiting jobs, oldest first. */
export function sendableJobs(jobs: StoredJob[], ownerId: string | null): StoredJob[] {
  return visibleJobs(jobs, ownerId).filter((j) => j.status === 'waiting');
}

/** The request body with the uploaded attachment ids added to body[filesField]. */
export function requestBody(job: StoredJob): Record<string, unknown> {
  if (!job.files.length || !job.filesField) return job.body;
  const before = job.body[job.filesField];
  const existing = Array.isArray(before) ? (before as unknown[]) : [];
  return { ...job.body, [job.filesField]: [...existing, ...job.uploadedIds.filter((id): id is string => !!id)] };
}

/** The request of a job; a signed job carries `grant` (X-Signing-Grant). */
export function buildRequest(job: StoredJob, baseUrl: string, signal?: AbortSignal, grant?: string | null): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'Idempotency-Key': job.idempotencyKey };
  if (job.signs && grant) headers[SIGNING_GRANT_HEADER] = grant;
  return new Request(new URL(job.path, baseUrl), {
    method: job.method,
    headers,
    body: JSON.stringify(requestBody(job)),
    signal,
  });
}

function uploadRequest(file: StoredFile, baseUrl: string, signal?: AbortSignal): Request {
  const form = new FormData();
  form.append('file', file.blob, file.name);
  return new Request(new URL('/api/attachments', baseUrl), { method: 'POST', body: form, signal });
}

async function answerOf(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The item a job touched (its path or, for a new item, the answer), for refreshing cached views. */
export function itemIdOf(job: Pick<StoredJob, 'path'>, data: unknown): string | undefined {
  const m = /^\/api\/items\/([0-9a-f-]{36})(?:\/|$)/i.exec(job.path);
  if (m) return m[1];
  if (/^\/api\/items\/?$/.test(job.path) && data && typeof data === 'object' && typeof (data as { id?: unknown }).id === 'string') {
    return (data as { id: string }).id;
  }
  return undefined;
}

/** The `sub` of a JWT access token (who the outbox works for), without verifying it. */
export function subjectOf(token: string | null): string | null {
  if (!token) return null;
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '='))) as { sub?: unknown };
    return typeof json.sub === 'string' ? json.sub : null;
  } catch {
    return null;
  }
}

/** An outbox kept in memory (unit specs; and where IndexedDB cannot be opened). */
export function memoryOutboxStore(): OutboxStore {
  const jobs = new Map<string, StoredJob>();
  return {
    all: async () => [...jobs.values()],
    get: async (id) => jobs.get(id),
    put: async (job) => void jobs.set(job.id, job),
    remove: async (id) => void jobs.delete(id),
  };
}

// ---------------------------------------------------------------- the outbox

export interface Outbox {
  sendOrQueue(job: OutboxJob): Promise<SendResult>;
  flush(): Promise<FlushReport>;
  /** Deletes a job the user gave up on. */
  remove(id: string): Promise<void>;
  /** Puts a refused job back in line (after the cause was fixed elsewhere) and sends. */
  retry(id: string): Promise<FlushReport>;
  refresh(): Promise<void>;
  getState(): OutboxState;
  subscribe(fn: (e: OutboxEvent) => void): () => void;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const now = deps.now ?? Date.now;
  const newKey = deps.newKey ?? newIdempotencyKey;
  const baseUrl = deps.baseUrl ?? globalThis.location?.origin ?? 'http://localhost';
  const timeout = (ms: number | undefined) => (ms && typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal ? AbortSignal.timeout(ms) : undefined);
  const listeners = new Set<(e: OutboxEvent) => void>();
  let state: OutboxState = { jobs: [], flushing: false, sendingId: null };
  let running: Promise<FlushReport> | null = null;

  const emit = (e: OutboxEvent) => {
    for (const fn of [...listeners]) fn(e);
  };
  const setState = (patch: Partial<OutboxState>) => {
    state = { ...state, ...patch };
    emit({ type: 'state' });
  };
  const refresh = async () => setState({ jobs: visibleJobs(await deps.store.all(), deps.currentUserId()) });
  const changed = async () => {
    deps.onLocalChange?.();
    await refresh();
  };
  /** Writes a job back unless it was deleted meanwhile (by the user, or by another tab that sent it). */
  const save = async (job: StoredJob) => {
    if (await deps.store.get(job.id)) await deps.store.put(job);
  };

  type Attempt = { ok: true; data: unknown; job: StoredJob } | { ok: false; error: unknown; job: StoredJob };

  /** Uploads missing files (remembering each id at once through `remember`), then sends the request. */
  async function attempt(start: StoredJob, remember: (job: StoredJob) => Promise<void>): Promise<Attempt> {
    let job = start;
    try {
      for (let i = 0; i < job.files.length; i++) {
        if (job.uploadedIds[i]) continue;
        const res = await deps.fetch(uploadRequest(job.files[i], baseUrl, timeout(deps.uploadTimeoutMs ?? 300_000)));
        const answer = await answerOf(res);
        if (!res.ok) throw toApiError(res.status, answer);
        const id = (answer as { id?: unknown } | null)?.id;
        if (typeof id !== 'string') throw toApiError(500, null);
        const uploadedIds = [...job.uploadedIds];
        uploadedIds[i] = id;
        job = { ...job, uploadedIds };
        await remember(job);
      }
      const res = await deps.fetch(buildRequest(job, baseUrl, timeout(deps.timeoutMs ?? 30_000), deps.signingGrant?.()));
      const answer = await answerOf(res);
      if (!res.ok) throw toApiError(res.status, answer);
      return { ok: true, data: answer, job };
    } catch (error) {
      return { ok: false, error, job };
    }
  }

  async function sendOrQueue(input: OutboxJob): Promise<SendResult> {
    const job = createStoredJob(input, { id: newKey(), idempotencyKey: newKey(), now: now(), ownerId: deps.currentUserId() });
    const keep = async (j: StoredJob) => {
      try {
        await deps.store.put(j);
      } catch {
        // e.g. storage quota used up by photos: the page keeps the form so nothing is lost
        throw new ApiError(0, 'OUTBOX_UNAVAILABLE', '无法保存在本机（存储空间不足或浏览器不允许），请联网后再提交');
      }
    };
    if (!deps.isOnline()) {
      await keep(job);
      await changed();
      return { queued: true };
    }
    const r = await attempt(job, async () => undefined);
    if (r.ok) return { queued: false, data: r.data };
    if (isSigningGrantRefusal(r.error)) deps.onGrantRefused?.();
    if (!queueInsteadOfThrow(r.error)) throw r.error;
    const note = outcomeOf(r.error) === 'login' ? '登录已失效，重新登录后自动发送' : messageOf(r.error);
    await keep({ ...r.job, attempts: 1, lastTriedAt: now(), lastError: note });
    await changed();
    return { queued: true };
  }

  async function runFlush(): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, failed: 0, stopped: null };
    const tried = new Set<string>();
    for (;;) {
      const owner = deps.currentUserId();
      // read the store each time: jobs may have been deleted or sent by another tab meanwhile
      const next = sendableJobs(await deps.store.all(), owner).find((j) => !tried.has(j.id));
      if (!next) return owner ? report : { ...report, stopped: 'login' };
      if (!deps.isOnline()) return { ...report, stopped: 'offline' };
      if (next.signs && !deps.signingGrant?.()) {
        const waiting = { ...next, lastError: GRANT_NOTE };
        await save(waiting);
        await changed();
        emit({ type: 'grant-needed', job: waiting });
        return { ...report, stopped: 'grant' };
      }
      tried.add(next.id);
      setState({ sendingId: next.id });
      const r = await attempt(next, save);
      if (r.ok) {
        await deps.store.remove(next.id);
        report.sent++;
        await changed();
        emit({ type: 'sent', job: r.job, data: r.data });
        continue;
      }
      const outcome = outcomeOf(r.error);
      const tries = { attempts: r.job.attempts + 1, lastTriedAt: now() };
      if (outcome === 'failed') {
        const error = r.error as ApiError;
        const failed: StoredJob = { ...r.job, ...tries, status: 'failed', lastError: refusalText(error) };
        await save(failed);
        report.failed++;
        await changed();
        emit({ type: 'failed', job: failed, error });
        continue;
      }
      if (outcome === 'grant') {
        deps.onGrantRefused?.();
        const waiting: StoredJob = { ...r.job, ...tries, signs: true, lastError: GRANT_NOTE };
        await save(waiting);
        await changed();
        emit({ type: 'grant-needed', job: waiting });
        return { ...report, stopped: 'grant' };
      }
      const note = outcome === 'login' ? '登录已失效，重新登录后自动发送' : messageOf(r.error);
      await save({ ...r.job, ...tries, lastError: note });
      await changed();
      return { ...report, stopped: outcome === 'login' ? 'login' : 'retry' };
    }
  }

  function flush(): Promise<FlushReport> {
    // one flush at a time: a second call while one runs joins it
    running ??= (async () => {
      setState({ flushing: true });
      try {
        const locked = deps.lock ? await deps.lock(runFlush) : await runFlush();
        return locked ?? { sent: 0, failed: 0, stopped: 'busy' as const };
      } finally {
        running = null;
        setState({ flushing: false, sendingId: null });
        await refresh().catch(() => undefined);
      }
    })();
    return running;
  }

  return {
    sendOrQueue,
    flush,
    async remove(id) {
      await deps.store.remove(id);
      await changed();
    },
    async retry(id) {
      const job = await deps.store.get(id);
      if (job) {
        await deps.store.put({ ...job, status: 'waiting', lastError: undefined });
        await changed();
      }
      return flush();
    },
    refresh,
    getState: () => state,
    subscribe(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
  };
}

// ---------------------------------------------------------------- the browser's outbox

function browserLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return fn();
  // the DOM typing unwraps the callback's promise one level too many; the value is T or undefined
  return locks.request('qingling-outbox-flush', { ifAvailable: true }, async (lock) => (lock ? await fn() : undefined)) as Promise<T | undefined>;
}

/** IndexedDB when it can be opened, otherwise memory (the page then at least survives a network blip). */
function lazyIdbStore(): OutboxStore {
  let chosen: Promise<OutboxStore> | undefined;
  const store = () => (chosen ??= import('./outbox-store').then(async (m) => ((await m.indexedDbUsable()) ? m.idbOutboxStore() : memoryOutboxStore())));
  return {
    all: async () => (await store()).all(),
    get: async (id) => (await store()).get(id),
    put: async (job) => (await store()).put(job),
    remove: async (id) => (await store()).remove(id),
  };
}

const channel = typeof window !== 'undefined' && typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('qingling-outbox') : null;

export const outbox: Outbox = createOutbox({
  store: lazyIdbStore(),
  fetch: authFetch,
  isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  currentUserId: () => subjectOf(currentAccessToken()),
  signingGrant: () => signingGrants.current(),
  onGrantRefused: () => signingGrants.drop(),
  lock: browserLock,
  onLocalChange: () => channel?.postMessage('changed'),
});

/** Sends a write now, or keeps it to send later if there is no network (see above). */
export function sendOrQueue(job: OutboxJob): Promise<SendResult> {
  return outbox.sendOrQueue(job);
}

export const FLUSH_INTERVAL_MS = 30_000;
let started = false;

/**
 * Starts sending what waits: now, when the network comes back, when a user
 * signs in, when a signing grant is obtained, when the page is shown again,
 * and every 30 s while jobs wait.
 * Refreshes the item views after each job sent.
 */
export function startOutbox(queryClient: QueryClient): void {
  if (started) return;
  started = true;
  const flush = () => void outbox.flush().catch(() => undefined);
  outbox.subscribe((e) => {
    if (e.type !== 'sent') return;
    const id = itemIdOf(e.job, e.data);
    void queryClient.invalidateQueries({ queryKey: ['inbox'] });
    void queryClient.invalidateQueries({ queryKey: ['items'] });
    void queryClient.invalidateQueries({ queryKey: ['notifications'] });
    void queryClient.invalidateQueries({ queryKey: id ? ['item', id] : ['item'] });
    if (id) void queryClient.invalidateQueries({ queryKey: ['signatures', id] });
  });
  if (channel) channel.onmessage = () => void outbox.refresh();
  window.addEventListener('online', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') flush();
  });
  onSessionChange(() => {
    void outbox.refresh();
    flush();
  });
  // Signed jobs that waited for the password go as soon as it has been entered (anywhere on the page).
  signingGrants.subscribe(() => {
    if (signingGrants.current()) flush();
  });
  setInterval(() => {
    if (outbox.getState().jobs.some((j) => j.status === 'waiting')) flush();
  }, FLUSH_INTERVAL_MS);
  void outbox.refresh();
  flush();
  // a test hook for browser checks (the e2e script queues a job through it)
  (window as unknown as { __qinglingOutbox?: Outbox }).__qinglingOutbox = outbox;
}
