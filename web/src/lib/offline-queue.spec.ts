import { ApiError } from './api-error';
import {
  buildRequest,
  createOutbox,
  GRANT_NOTE,
  createStoredJob,
  itemIdOf,
  memoryOutboxStore,
  outcomeOf,
  refusalText,
  requestBody,
  sendableJobs,
  subjectOf,
  type OutboxDeps,
  type OutboxJob,
  type StoredJob,
} from './offline-queue';

const USER = '11111111-1111-4111-8111-111111111111';

/**
 * A stand-in for the API: creates items, replays the first answer for a repeated
 * Idempotency-Key (as the server does), stores uploads. `plan` scripts what the
 * network does to the next requests.
 */
class FakeServer {
  items: { id: string; body: Record<string, unknown> }[] = [];
  uploads: { name: string; size: number }[] = [];
  seenKeys: (string | null)[] = [];
  log: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private replay = new Map<string, unknown>();
  /** per request, in order: 'ok' | 'down' (no answer) | 'lost' (processed, answer lost) | a status to answer with */
  plan: ('ok' | 'down' | 'lost' | number)[] = [];
  /** When set, item events (signatures) need this X-Signing-Grant, as the service's guard asks (undefined: not checked). */
  validGrant: string | undefined = undefined;
  grantsSeen: (string | null)[] = [];

  fetch = async (req: Request): Promise<Response> => {
    const step = this.plan.shift() ?? 'ok';
    const path = new URL(req.url).pathname;
    this.log.push(`${req.method} ${path}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 1));
      if (step === 'down') throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
      if (typeof step === 'number') {
        return Response.json({ statusCode: step, code: step === 401 ? 'UNAUTHENTICATED' : 'TRANSITION_REFUSED', message: `拒绝${step}` }, { status: step });
      }
      if (this.validGrant !== undefined && path.endsWith('/events')) {
        const sent = req.headers.get('x-signing-grant');
        this.grantsSeen.push(sent);
        if (sent !== this.validGrant) {
          const code = sent ? 'SIGNING_GRANT_INVALID' : 'SIGNING_GRANT_REQUIRED';
          return Response.json({ statusCode: 403, code, message: sent ? '签字确认已过期，请重新输入登录密码' : '请输入登录密码确认签字' }, { status: 403 });
        }
      }
      const answer = await this.handle(req, path);
      if (step === 'lost') throw new TypeError('Failed to fetch');
      return Response.json(answer, { status: 201 });
    } finally {
      this.inFlight--;
    }
  };

  private async handle(req: Request, path: string): Promise<unknown> {
    if (path === '/api/attachments') {
      const file = (await req.formData()).get('file') as File;
      this.uploads.push({ name: file.name, size: file.size });
      return { id: `att-${this.uploads.length}`, sha256: 'x' };
    }
    const key = req.headers.get('idempotency-key');
    this.seenKeys.push(key);
    if (key && this.replay.has(key)) return this.replay.get(key);
    const body = (await req.json()) as Record<string, unknown>;
    const item = { id: `item-${this.items.length + 1}`, body };
    this.items.push(item);
    if (key) this.replay.set(key, item);
    return item;
  }
}

function setup(overrides: Partial<OutboxDeps> = {}) {
  const server = new FakeServer();
  const store = memoryOutboxStore();
  let online = true;
  let n = 0;
  let clock = 1_000;
  const outbox = createOutbox({
    store,
    fetch: server.fetch,
    isOnline: () => online,
    currentUserId: () => USER,
    newKey: () => `key-${String(++n).padStart(4, '0')}`,
    now: () => ++clock,
    baseUrl: 'http://console.test',
    ...overrides,
  });
  const events: string[] = [];
  outbox.subscribe((e) => {
    if (e.type !== 'state') events.push(`${e.type}:${e.job.label}`);
  });
  return { server, store, outbox, events, setOnline: (v: boolean) => (online = v) };
}

const job = (label: string, extra: Partial<OutboxJob> = {}): OutboxJob => ({
  label,
  method: 'POST',
  path: '/api/items',
  body: { description: label },
  ...extra,
});
const photo = (name: string) => new File([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], name, { type: 'image/jpeg' });

describe('createStoredJob', () => {
  it('gives the job its Idempotency-Key once and keeps the files as blobs with no upload yet', () => {
    const stored = createStoredJob(job('登记问题：张三', { files: [photo('a.jpg'), photo('b.jpg')] }), {
      id: 'j1',
      idempotencyKey: 'k-123456789',
      now: 5,
      ownerId: USER,
    });
    expect(stored).toMatchObject({
      id: 'j1',
      idempotencyKey: 'k-123456789',
      ownerId: USER,
      status: 'waiting',
      attempts: 0,
      filesField: 'evidence',
      createdAt: 5,
    });
    expect(stored.files.map((f) => [f.name, f.type, f.blob instanceof Blob])).toEqual([
      ['a.jpg', 'image/jpeg', true],
      ['b.jpg', 'image/jpeg', true],
    ]);
    expect(stored.uploadedIds).toEqual([null, null]);
  });

  it('adds uploaded attachment ids after the ids the body already had', () => {
    const stored = createStoredJob(job('x', { body: { evidence: ['old'] }, files: [photo('a.jpg'), photo('b.jpg')], filesField: 'evidence' }), {
      id: 'j',
      idempotencyKey: 'k-123456789',
      now: 1,
      ownerId: USER,
    });
    expect(requestBody({ ...stored, uploadedIds: ['a1', null] })).toEqual({ evidence: ['old', 'a1'] });
    expect(requestBody({ ...stored, uploadedIds: ['a1', 'a2'] })).toEqual({ evidence: ['old', 'a1', 'a2'] });
  });
});

describe('outcomeOf', () => {
  it.each([
    [ApiError.offline(), 'retry'],
    [new TypeError('Failed to fetch'), 'retry'],
    [new ApiError(503, 'INTERNAL', '服务器暂时无法处理'), 'retry'],
    [new ApiError(500, 'INTERNAL', '服务器暂时无法处理'), 'retry'],
    [new ApiError(429, 'RATE_LIMITED', '请求过于频繁'), 'retry'],
    [new ApiError(401, 'UNAUTHENTICATED', '请先登录'), 'login'],
    [new ApiError(400, 'VALIDATION_FAILED', '请求参数有误'), 'failed'],
    [new ApiError(403, 'FORBIDDEN', '无权操作'), 'failed'],
    [new ApiError(409, 'TRANSITION_REFUSED', '当前状态不能执行此操作'), 'failed'],
    [new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个不同的请求'), 'failed'],
  ])('%p → %s', (err, outcome) => {
    expect(outcomeOf(err)).toBe(outcome);
  });
});

describe('sendableJobs', () => {
  const mk = (id: string, createdAt: number, seq: number, extra: Partial<StoredJob> = {}): StoredJob => ({
    ...createStoredJob(job(id), { id, idempotencyKey: `k-${id}-0000`, now: createdAt, ownerId: USER, seq }),
    ...extra,
  });

  it("sends the user's waiting jobs oldest first, skipping refused ones and other users' jobs", () => {
    const jobs = [mk('c', 30, 1), mk('a', 10, 9), mk('f', 5, 1, { status: 'failed' }), mk('b', 10, 10), mk('o', 1, 1, { ownerId: 'someone-else' })];
    expect(sendableJobs(jobs, USER).map((j) => j.id)).toEqual(['a', 'b', 'c']);
    expect(sendableJobs(jobs, null)).toEqual([]);
  });
});

describe('sendOrQueue', () => {
  it('sends at once when online, with the Idempotency-Key header, and keeps nothing', async () => {
    const { server, store, outbox } = setup();
    const r = await outbox.sendOrQueue(job('登记问题：李四 饮水'));
    expect(r).toEqual({ queued: false, data: { id: 'item-1', body: { description: '登记问题：李四 饮水' } } });
    expect(server.seenKeys).toEqual(['key-0002']);
    expect(await store.all()).toEqual([]);
  });

  it('keeps the job without touching the network when offline', async () => {
    const { server, store, outbox, setOnline } = setup();
    setOnline(false);
    expect(await outbox.sendOrQueue(job('登记问题：王五'))).toEqual({ queued: true });
    expect(server.log).toEqual([]);
    const [stored] = await store.all();
    expect(stored).toMatchObject({ label: '登记问题：王五', idempotencyKey: 'key-0002', status: 'waiting', ownerId: USER });
    expect(outbox.getState().jobs.map((j) => j.label)).toEqual(['登记问题：王五']);
  });

  it('keeps the job when the network fails and resends it later with the same key', async () => {
    const { server, store, outbox, events } = setup();
    server.plan = ['down'];
    expect(await outbox.sendOrQueue(job('登记问题：赵六'))).toEqual({ queued: true });
    expect((await store.all())[0]).toMatchObject({ attempts: 1, lastError: '网络连接失败，请检查网络后重试' });
    expect(await outbox.flush()).toEqual({ sent: 1, failed: 0, stopped: null });
    expect(server.items).toHaveLength(1);
    expect(server.seenKeys).toEqual(['key-0002']);
    expect(await store.all()).toEqual([]);
    expect(events).toEqual(['sent:登记问题：赵六']);
  });

  it('creates one item when the first answer was lost and the job is sent again', async () => {
    const { server, outbox } = setup();
    server.plan = ['lost'];
    expect(await outbox.sendOrQueue(job('登记问题：钱七'))).toEqual({ queued: true });
    expect(server.items).toHaveLength(1); // the server did create it
    await outbox.flush();
    expect(server.seenKeys).toEqual(['key-0002', 'key-0002']);
    expect(server.items).toHaveLength(1);
    expect(outbox.getState().jobs).toEqual([]);
  });

  it('throws a refusal to the page instead of keeping it (the user must fix the input)', async () => {
    const { server, store, outbox } = setup();
    server.plan = [400];
    await expect(outbox.sendOrQueue(job('x'))).rejects.toMatchObject({ status: 400, message: '拒绝400' });
    expect(await store.all()).toEqual([]);
  });

  it('says so in Chinese when the device cannot keep the job', async () => {
    const full = { ...memoryOutboxStore(), put: async () => Promise.reject(new DOMException('quota', 'QuotaExceededError')) };
    const { outbox, setOnline } = setup({ store: full });
    setOnline(false);
    await expect(outbox.sendOrQueue(job('x'))).rejects.toMatchObject({ code: 'OUTBOX_UNAVAILABLE', message: expect.stringContaining('无法保存在本机') });
  });

  it('keeps the job when the session is gone (401), to send after signing in again', async () => {
    const { server, store, outbox } = setup();
    server.plan = [401];
    expect(await outbox.sendOrQueue(job('x'))).toEqual({ queued: true });
    expect((await store.all())[0]).toMatchObject({ status: 'waiting', lastError: '登录已失效，重新登录后自动发送' });
  });

  it('uploads the files first (multipart field "file") and sends their ids in body[filesField]', async () => {
    const { server, outbox } = setup();
    const r = await outbox.sendOrQueue(job('整改佐证', { files: [photo('门.jpg'), photo('窗.jpg')], filesField: 'evidence' }));
    expect(server.log).toEqual(['POST /api/attachments', 'POST /api/attachments', 'POST /api/items']);
    expect(server.uploads.map((u) => u.name)).toEqual(['门.jpg', '窗.jpg']);
    expect(r).toMatchObject({ queued: false, data: { body: { evidence: ['att-1', 'att-2'] } } });
  });

  it('does not upload a file twice when a resend follows a partial failure', async () => {
    const { server, store, outbox } = setup();
    server.plan = ['ok', 'down'];
    expect(await outbox.sendOrQueue(job('整改佐证', { files: [photo('a.jpg'), photo('b.jpg')] }))).toEqual({ queued: true });
    expect((await store.all())[0].uploadedIds).toEqual(['att-1', null]);
    server.plan = ['ok', 'down']; // b uploads, then the request itself gets no answer
    expect(await outbox.flush()).toMatchObject({ sent: 0, stopped: 'retry' });
    expect((await store.all())[0].uploadedIds).toEqual(['att-1', 'att-2']);
    await outbox.flush();
    expect(server.uploads.map((u) => u.name)).toEqual(['a.jpg', 'b.jpg']);
    expect(server.items.map((i) => i.body.evidence)).toEqual([['att-1', 'att-2']]);
  });
});

describe('flush', () => {
  async function queued(labels: string[]) {
    const s = setup();
    s.setOnline(false);
    for (const l of labels) await s.outbox.sendOrQueue(job(l));
    s.setOnline(true);
    return s;
  }

  it('sends oldest first, one at a time, and removes each job sent', async () => {
    const { server, outbox, store, events } = await queued(['一', '二', '三']);
    expect(await outbox.flush()).toEqual({ sent: 3, failed: 0, stopped: null });
    expect(server.items.map((i) => i.body.description)).toEqual(['一', '二', '三']);
    expect(server.maxInFlight).toBe(1);
    expect(await store.all()).toEqual([]);
    expect(events).toEqual(['sent:一', 'sent:二', 'sent:三']);
  });

  it('runs one flush at a time: calls made meanwhile join the running one', async () => {
    const { server, outbox } = await queued(['一', '二']);
    const [a, b] = await Promise.all([outbox.flush(), outbox.flush()]);
    expect(a).toBe(b);
    expect(server.items).toHaveLength(2);
    expect(server.maxInFlight).toBe(1);
  });

  it('stops at the first network failure and keeps the rest for later', async () => {
    const { server, outbox, store } = await queued(['一', '二', '三']);
    server.plan = ['ok', 'down'];
    expect(await outbox.flush()).toEqual({ sent: 1, failed: 0, stopped: 'retry' });
    expect(server.log).toHaveLength(2);
    expect((await store.all()).map((j) => [j.label, j.attempts])).toEqual([
      ['二', 1],
      ['三', 0],
    ]);
  });

  it('marks a refused job failed with the server message, goes on, and never resends it by itself', async () => {
    const { server, outbox, store, events } = await queued(['一', '二']);
    server.plan = [409];
    expect(await outbox.flush()).toEqual({ sent: 1, failed: 1, stopped: null });
    const [kept] = await store.all();
    expect(kept).toMatchObject({ label: '一', status: 'failed', lastError: '拒绝409' });
    expect(events).toEqual(['failed:一', 'sent:二']);
    await outbox.flush();
    expect(server.log).toHaveLength(2);
    expect(outbox.getState().jobs.map((j) => j.status)).toEqual(['failed']);
    await outbox.remove(kept.id);
    expect(await store.all()).toEqual([]);
  });

  it('can put a refused job back in line on request', async () => {
    const { server, outbox, store } = await queued(['一']);
    server.plan = [409];
    await outbox.flush();
    const [kept] = await store.all();
    expect(await outbox.retry(kept.id)).toEqual({ sent: 1, failed: 0, stopped: null });
    expect(server.items).toHaveLength(1);
  });

  it('stops on 401 without marking the job failed', async () => {
    const { server, outbox, store } = await queued(['一', '二']);
    server.plan = [401];
    expect(await outbox.flush()).toEqual({ sent: 0, failed: 0, stopped: 'login' });
    expect((await store.all()).map((j) => j.status)).toEqual(['waiting', 'waiting']);
    expect(server.log).toHaveLength(1);
  });

  it('does nothing while offline or signed out', async () => {
    const s = await queued(['一']);
    s.setOnline(false);
    expect(await s.outbox.flush()).toEqual({ sent: 0, failed: 0, stopped: 'offline' });
    const other = createOutbox({ store: s.store, fetch: s.server.fetch, isOnline: () => true, currentUserId: () => null, baseUrl: 'http://x' });
    expect(await other.flush()).toEqual({ sent: 0, failed: 0, stopped: 'login' });
    expect(s.server.log).toEqual([]);
  });

  it('leaves the queue to another tab that holds the flush lock', async () => {
    const s = await queued(['一']);
    const busy = createOutbox({
      store: s.store,
      fetch: s.server.fetch,
      isOnline: () => true,
      currentUserId: () => USER,
      baseUrl: 'http://x',
      lock: async () => undefined,
    });
    expect(await busy.flush()).toEqual({ sent: 0, failed: 0, stopped: 'busy' });
    expect(s.server.log).toEqual([]);
  });

  it('does not bring back a job deleted while it was being sent', async () => {
    const s = await queued(['一']);
    const [j] = await s.store.all();
    s.server.plan = ['down'];
    let removing: Promise<void> | undefined;
    const outbox = createOutbox({
      store: s.store,
      isOnline: () => true,
      currentUserId: () => USER,
      baseUrl: 'http://x',
      fetch: (req) => {
        removing = s.outbox.remove(j.id); // the user deletes it while the request is on its way
        return s.server.fetch(req);
      },
    });
    expect(await outbox.flush()).toMatchObject({ stopped: 'retry' });
    await removing;
    expect(s.server.log).toHaveLength(1);
    expect(await s.store.all()).toEqual([]);
  });
});

describe('helpers', () => {
  it("shows a refusal's field messages, or its message when it has none", () => {
    const v = new ApiError(400, 'VALIDATION_FAILED', '请求参数有误：description', [
      { field: 'description', message: '具体问题不能为空' },
      { field: 'description', message: '具体问题不能为空' },
      { field: 'householdIdNumber', message: '身份证号码校验位不正确' },
    ]);
    expect(refusalText(v)).toBe('具体问题不能为空；身份证号码校验位不正确');
    expect(refusalText(new ApiError(409, 'TRANSITION_REFUSED', '当前状态不能提交'))).toBe('当前状态不能提交');
  });

  it('finds the item a job touched', () => {
    const id = '0b6f4a52-8f7e-4c1e-9a55-3f2d1c0b9a88';
    expect(itemIdOf({ path: `/api/items/${id}/events` }, null)).toBe(id);
    expect(itemIdOf({ path: '/api/items' }, { id })).toBe(id);
    expect(itemIdOf({ path: '/api/campaigns/x' }, { id })).toBeUndefined();
  });

  it("reads the user from the access token's sub", () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(subjectOf(`${b64({ alg: 'HS256' })}.${b64({ sub: USER, typ: 'access' })}.sig`)).toBe(USER);
    expect(subjectOf('garbage')).toBeNull();
    expect(subjectOf(null)).toBeNull();
  });
});

describe('signed jobs (step-up signing)', () => {
  const signed = (label: string, extra: Partial<OutboxJob> = {}): OutboxJob =>
    job(label, {
      path: '/api/items/11111111-2222-4333-8444-555555555555/events',
      body: { type: 'SUBMIT_RECTIFICATION', comment: label },
      signs: true,
      ...extra,
    });

  function withGrant(initial: string | null) {
    let grant = initial;
    let dropped = 0;
    const t = setup({
      signingGrant: () => grant,
      onGrantRefused: () => {
        dropped++;
        grant = null;
      },
    });
    t.server.validGrant = 'g-valid';
    return { ...t, setGrant: (g: string | null) => (grant = g), dropped: () => dropped };
  }

  it('sends a signed job with the grant held, in X-Signing-Grant, and an unsigned one without it', async () => {
    const { server, outbox } = withGrant('g-valid');
    await outbox.sendOrQueue(signed('提交整改：序号 1'));
    await outbox.sendOrQueue(job('登记问题：张三'));
    expect(server.grantsSeen).toEqual(['g-valid']);
    expect(server.items).toHaveLength(2);
    const req = buildRequest(
      createStoredJob(job('x'), { id: 'j', idempotencyKey: 'k-123456789', now: 1, ownerId: USER }),
      'http://console.test',
      undefined,
      'g',
    );
    expect(req.headers.get('x-signing-grant')).toBeNull();
  });

  it('keeps a signed job waiting, without touching the network, while no grant is held; sends it once one is', async () => {
    const { server, outbox, events, setOnline, setGrant } = withGrant(null);
    setOnline(false);
    await outbox.sendOrQueue(signed('提交整改：序号 2'));
    setOnline(true);
    const first = await outbox.flush();
    expect(first).toEqual({ sent: 0, failed: 0, stopped: 'grant' });
    expect(server.log).toEqual([]);
    expect(events).toEqual(['grant-needed:提交整改：序号 2']);
    expect(outbox.getState().jobs.map((j) => [j.status, j.lastError])).toEqual([['waiting', GRANT_NOTE]]);

    setGrant('g-valid');
    expect(await outbox.flush()).toEqual({ sent: 1, failed: 0, stopped: null });
    expect(server.items).toHaveLength(1);
    expect(outbox.getState().jobs).toEqual([]);
  });

  it('drops a grant the server refuses (expired, replaced) and waits for the password; the resend keeps its key and signs once', async () => {
    const { server, outbox, events, setOnline, setGrant, dropped } = withGrant('g-old');
    setOnline(false);
    await outbox.sendOrQueue(signed('验收销号：序号 3'));
    setOnline(true);
    expect(await outbox.flush()).toEqual({ sent: 0, failed: 0, stopped: 'grant' });
    expect(dropped()).toBe(1);
    expect(events).toEqual(['grant-needed:验收销号：序号 3']);
    const [waiting] = outbox.getState().jobs;
    expect([waiting.status, waiting.attempts, waiting.lastError]).toEqual(['waiting', 1, GRANT_NOTE]);
    // Not marked failed: nothing for the user to fix but the password.
    expect(await outbox.flush()).toEqual({ sent: 0, failed: 0, stopped: 'grant' });

    setGrant('g-valid');
    expect(await outbox.flush()).toEqual({ sent: 1, failed: 0, stopped: null });
    expect(server.items).toHaveLength(1);
    expect(server.grantsSeen).toEqual(['g-old', 'g-valid']);
    expect(new Set(server.seenKeys.filter(Boolean)).size).toBe(1);
  });

  it('asks for a grant for a job stored without the flag (queued before step-up) once the server wants one', async () => {
    const { server, outbox, setOnline, setGrant } = withGrant('g-valid');
    setOnline(false);
    await outbox.sendOrQueue(signed('提交整改：序号 4', { signs: undefined }));
    setOnline(true);
    expect(await outbox.flush()).toEqual({ sent: 0, failed: 0, stopped: 'grant' });
    expect(outbox.getState().jobs[0].signs).toBe(true);
    setGrant('g-valid');
    expect(await outbox.flush()).toEqual({ sent: 1, failed: 0, stopped: null });
    expect(server.grantsSeen).toEqual([null, 'g-valid']);
  });

  it('hands a refusal for the grant of a direct send to the page (which asks for the password), keeping nothing', async () => {
    const { outbox, dropped } = withGrant('g-old');
    await expect(outbox.sendOrQueue(signed('提交整改：序号 5'))).rejects.toMatchObject({ status: 403, code: 'SIGNING_GRANT_INVALID' });
    expect(dropped()).toBe(1);
    expect(outbox.getState().jobs).toEqual([]);
  });

  it('reads the refusals for the grant as waiting for the password, other 403s as refused', () => {
    expect(outcomeOf(new ApiError(403, 'SIGNING_GRANT_REQUIRED', '请输入登录密码确认签字'))).toBe('grant');
    expect(outcomeOf(new ApiError(403, 'SIGNING_GRANT_INVALID', '签字确认已过期'))).toBe('grant');
    expect(outcomeOf(new ApiError(403, 'FORBIDDEN', '无权'))).toBe('failed');
  });
});
