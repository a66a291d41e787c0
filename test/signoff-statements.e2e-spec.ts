import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { MIGRATIONS } from '../migrations';
import { revertLastMigrationLocked, runMigrationsLocked } from '../src/database/migrations-runner';
import { createTestApp, TestApp } from './app';
import { bearer, chinaDay, createDraft, rectificationCampaign } from './factories';

/**
 * The sign-off hot path, as a structure rather than a timing: one signed
 * CONFIRM over HTTP (token check, item read, conditional update, signature,
 * notifications, response) runs two SQL statements on the real database
 * (the read, and the transition's one statement), six with an
 * Idempotency-Key (whose record shares a transaction with them). Every statement any pool connection
 * sends while the request is served is counted.
 */
describe('sign-off hot path: the statements of one CONFIRM, the chain head on the row', () => {
  let t: TestApp;
  let cid: string;
  /** Statements sent by any pool connection while `counting`. */
  const seen: string[] = [];
  let counting = false;
  let restore: () => void;

  beforeAll(async () => {
    t = await createTestApp();
    cid = await rectificationCampaign(t, '语句计数');
    const original = Client.prototype.query;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      if (counting) {
        const first = args[0];
        seen.push(typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? first));
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
    restore = () => (Client.prototype.query = original);
  });
  afterAll(async () => {
    restore();
    await t.close();
  });

  /** A submitted item of `cadre`, read once by the leader (as the console does before acting on it). */
  async function pendingReview(description: string): Promise<string> {
    const draft = await createDraft(t, cid, { description });
    const submit = await t.http
      .post(`/api/items/${draft.id}/events`)
      .set('authorization', await bearer(t, 'cadre'))
      .send({ type: 'SUBMIT' });
    expect(submit.status).toBe(200);
    expect((await t.http.get(`/api/items/${draft.id}`).set('authorization', await bearer(t, 'leader'))).status).toBe(200);
    return draft.id as string;
  }

  /** The statements one CONFIRM of `id` sends, with its answer. */
  async function countedConfirm(id: string, idempotencyKey?: string) {
    const req = t.http.post(`/api/items/${id}/events`).set('authorization', await bearer(t, 'leader'));
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    seen.length = 0;
    counting = true;
    const res = await req.send({ type: 'CONFIRM', measures: '更换屋面', rectifierId: t.demo.userIds.cadre, deadline: chinaDay(10) });
    counting = false;
    return { res, statements: seen.map((s) => s.replace(/\s+/g, ' ').slice(0, 160)) };
  }

  // Steady state: the leader's identity, the named rectifier (who has logged in) and the campaign definition are known to the process.
  /** What each statement is, by its first words. */
  const kindOf = (sql: string): string =>
    /^(START TRANSACTION|BEGIN)/i.test(sql)
      ? 'BEGIN'
      : /^COMMIT/i.test(sql)
        ? 'COMMIT'
        : /^WITH moved AS \(UPDATE "problem_items"/i.test(sql)
          ? 'transition (update, signature, notifications)'
          : /^SELECT i\."id" AS "i\.id"/i.test(sql)
            ? 'load item'
            : /^INSERT INTO idempotency_records/i.test(sql)
              ? 'claim key'
              : /^UPDATE idempotency_records/i.test(sql)
                ? 'record answer'
                : sql;

  it.each([
    [
      'with an Idempotency-Key, as the console sends it',
      'count-confirm-key-1',
      ['BEGIN', 'claim key', 'load item', 'transition (update, signature, notifications)', 'record answer', 'COMMIT'],
    ],
    // The transition's writes are one statement, atomic by itself: no transaction needed.
    ['without an Idempotency-Key', undefined, ['load item', 'transition (update, signature, notifications)']],
  ])('a signed CONFIRM %s runs exactly these statements and signs once', async (_name, key, expected) => {
    const id = await pendingReview(`屋顶漏雨，计数 ${key ?? 'no key'}`);
    const { res, statements } = await countedConfirm(id, key);

    expect({ status: res.status, state: res.body.state }).toEqual({ status: 200, state: 'rectifying' });
    expect(res.body.rectifier).toEqual({ id: t.demo.userIds.cadre, name: expect.any(String) });
    expect(res.body.availableActions).toEqual(expect.arrayContaining(['ESCALATE', 'MARK_LONG_TERM']));
    // Shown when a change adds a statement: which one.
    expect(statements.map(kindOf)).toEqual(expected);
    // No signature is read to append one: the chain head is on the item row.
    expect(statements.filter((s) => /^SELECT/i.test(s) && /FROM "signatures"/i.test(s))).toEqual([]);

    const leader = await bearer(t, 'leader');
    const chain = await t.http.get(`/api/items/${id}/signatures`).set('authorization', leader);
    expect(chain.body.map((s: { eventType: string }) => s.eventType)).toEqual(['SUBMIT', 'CONFIRM']);
    const verify = await t.http.get(`/api/items/${id}/signatures/verify`).set('authorization', leader);
    expect(verify.body).toEqual({ valid: true, length: 2, firstBroken: null });
    // The answer is what a fresh read shows (bar the actions, which are the caller's either way).
    const fresh = await t.http.get(`/api/items/${id}`).set('authorization', leader);
    expect(res.body).toEqual(fresh.body);
    // The notifications were written by the same transaction.
    const mine = await t.http.get('/api/notifications').set('authorization', await bearer(t, 'cadre'));
    expect(mine.body.some((n: { itemId: string; message: string }) => n.itemId === id && n.message.includes('待您整改（时限'))).toBe(true);
  });

  it('every row holds its chain’s head, and the ChainHead migration’s backfill rebuilds it from the chains', async () => {
    const heads = `SELECT t.id, t.chain_seq, t.chain_head, s.seq, s.hash
                     FROM (SELECT id, chain_seq, chain_head FROM problem_items UNION ALL SELECT id, chain_seq, chain_head FROM campaigns) t
                     LEFT JOIN LATERAL (SELECT seq, hash FROM signatures WHERE subject_id = t.id ORDER BY seq DESC LIMIT 1) s ON true
                    ORDER BY t.id`;
    const ds = new DataSource(dataSourceOptions(t.databaseUrl, 2));
    await ds.initialize();
    try {
      const before: Array<{ id: string; chain_seq: number; chain_head: string | null; seq: number | null; hash: string | null }> = await ds.query(heads);
      expect(before.filter((r) => r.seq !== null).length).toBeGreaterThanOrEqual(3);
      for (const r of before) expect([r.id, r.chain_seq, r.chain_head]).toEqual([r.id, r.seq ?? 0, r.hash]);
      // Down to before ChainHead and up again: the heads come back from the signatures alone.
      const names = MIGRATIONS.map((m) => m.name);
      const later = names.slice(names.indexOf('ChainHead1763770000000'));
      for (let i = 0; i < later.length; i++) await revertLastMigrationLocked(ds);
      expect(await runMigrationsLocked(ds)).toEqual(later);
      expect(await ds.query(heads)).toEqual(before);
    } finally {
      await ds.destroy();
    }
  });
});
