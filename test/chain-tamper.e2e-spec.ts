import { Client } from 'pg';
import { SignaturesService } from '../src/signatures/signatures.service';
import { signatureHash } from '../src/signatures/signature-hash';
import { ChainKeys } from '../src/signatures/chain-keys';
import { signatureFromRow } from '../src/signatures/chain-audit';
import { Signature } from '../src/signatures/signature.entity';
import { createTestApp, TestApp } from './app';
import { createDraft, rectificationCampaign, itemEvent, tamperWith, verifyItemChain } from './factories';

/**
 * Tampering with the signature record by someone who can write to the
 * database (bypassing the immutability trigger) but does not hold the chain
 * key: each case the 等保 assessor tries is detected by GET
 * /api/items/:id/signatures/verify, and names the link (or the row) at fault.
 */
describe('signature chains: keyed links, head and state on the row, every tampering detected', () => {
  let t: TestApp;
  let cid: string;
  let db: Client;

  beforeAll(async () => {
    t = await createTestApp();
    cid = await rectificationCampaign(t, '签字链篡改');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const ev = (user: string, id: string, body: Record<string, unknown>) => itemEvent(t, user, id, body);
  /** 立行立改, confirmed and accepted: three links (SUBMIT, CONFIRM, ACCEPT), state closed. */
  const closed = async (description: string): Promise<string> => {
    const draft = await createDraft(t, cid, { description });
    await ev('cadre', draft.id, { type: 'SUBMIT', fixedOnSite: true, measures: '当场清理' });
    await ev('leader', draft.id, { type: 'CONFIRM' });
    expect((await ev('leader', draft.id, { type: 'ACCEPT' })).state).toBe('closed');
    return draft.id as string;
  };
  const verify = (id: string) => verifyItemChain(t, id);
  const links = async (id: string): Promise<Array<Record<string, any>>> =>
    (await db.query(`SELECT * FROM signatures WHERE subject_id = $1 ORDER BY seq`, [id])).rows;
  const tamper = (...statements: Array<[string, unknown[]]>) => tamperWith(db, ...statements);
  /** A link as the attacker recomputes it with everything but the key: plain SHA-256, or HMAC with a key of their own. */
  const recomputed = (row: Record<string, any>, fields: Partial<Signature>, key: 'sha256' | 'guessed'): string => {
    const s = { ...signatureFromRow(row), ...fields };
    const keys = new ChainKeys(s.keyId ?? 'x', new Map([[s.keyId ?? 'x', Buffer.from('a-key-the-attacker-made-up-0123456789')]]));
    return signatureHash(key === 'sha256' ? { ...s, keyId: null } : s, keys)!;
  };

  it('an untouched chain is valid, and every link names the key that sealed it', async () => {
    const id = await closed('完好');
    expect(await verify(id)).toEqual({ valid: true, length: 3, firstBroken: null });
    const chain = await links(id);
    expect(chain.map((l) => l.key_id)).toEqual(['test-1', 'test-1', 'test-1']);
    // Not plain SHA-256: what a database-only attacker could recompute is not the seal.
    expect(recomputed(chain[0], {}, 'sha256')).not.toBe(chain[0].hash);
  });

  it('a link edited in place → hash_mismatch at that link', async () => {
    const id = await closed('改意见');
    const chain = await links(id);
    await tamper([`UPDATE signatures SET comment = '篡改' WHERE id = $1`, [chain[1].id]]);
    expect(await verify(id)).toEqual({ valid: false, length: 3, firstBroken: { seq: 2, signatureId: chain[1].id, reason: 'hash_mismatch' } });
  });

  it.each([
    ['plain SHA-256', 'sha256'],
    ['HMAC with a guessed key', 'guessed'],
  ] as const)('a link edited and its hash and the rest of the chain recomputed (%s) → hash_mismatch', async (_name, how) => {
    const id = await closed(`重算 ${how}`);
    const chain = await links(id);
    const edited = recomputed(chain[1], { comment: '篡改' }, how);
    const next = recomputed(chain[2], { prevHash: edited }, how);
    await tamper(
      [`UPDATE signatures SET comment = '篡改', hash = $2, key_id = $3 WHERE id = $1`, [chain[1].id, edited, how === 'sha256' ? null : chain[1].key_id]],
      [`UPDATE signatures SET prev_hash = $2, hash = $3, key_id = $4 WHERE id = $1`, [chain[2].id, edited, next, how === 'sha256' ? null : chain[2].key_id]],
      [`UPDATE problem_items SET chain_head = $2 WHERE id = $1`, [id, next]],
    );
    // Without a key id the link claims to predate keys: after a keyed link that cannot be.
    expect(await verify(id)).toEqual({ valid: false, length: 3, firstBroken: { seq: 2, signatureId: chain[1].id, reason: 'hash_mismatch' } });
  });

  it('the signer swapped and the hash recomputed → hash_mismatch', async () => {
    const id = await closed('换签字人');
    const chain = await links(id);
    const forged = recomputed(chain[2], { signerId: t.demo.userIds.county, signerName: '县巩固办' }, 'guessed');
    await tamper([`UPDATE signatures SET signer_id = $2, signer_name = '县巩固办', hash = $3 WHERE id = $1`, [chain[2].id, t.demo.userIds.county, forged]]);
    expect((await verify(id)).firstBroken).toEqual({ seq: 3, signatureId: chain[2].id, reason: 'hash_mismatch' });
  });

  it.each([
    ['the last link', 1],
    ['the last two links', 2],
    ['the whole chain', 3],
  ])('%s deleted (the item stays 已销号) → head_mismatch', async (_name, deleted) => {
    const id = await closed(`删 ${deleted}`);
    const chain = await links(id);
    await tamper([`DELETE FROM signatures WHERE subject_id = $1 AND seq > $2`, [id, 3 - deleted]]);
    const kept = chain[2 - deleted];
    expect(await verify(id)).toEqual({
      valid: false,
      length: 3 - deleted,
      firstBroken: { seq: 4 - deleted, signatureId: kept?.id ?? null, reason: 'head_mismatch' },
    });
  });

  it('the last link deleted and the head on the row moved back to match → state_mismatch (the row is still closed)', async () => {
    const id = await closed('删尾改头');
    const chain = await links(id);
    await tamper(
      [`DELETE FROM signatures WHERE id = $1`, [chain[2].id]],
      [`UPDATE problem_items SET chain_seq = 2, chain_head = $2 WHERE id = $1`, [id, chain[1].hash]],
    );
    expect(await verify(id)).toEqual({ valid: false, length: 2, firstBroken: { seq: 2, signatureId: chain[1].id, reason: 'state_mismatch' } });
  });

  it('a link deleted from the middle and the rest renumbered → hash_mismatch (the seq is sealed)', async () => {
    const id = await closed('删中间');
    const chain = await links(id);
    await tamper(
      [`DELETE FROM signatures WHERE id = $1`, [chain[1].id]],
      [`UPDATE signatures SET seq = 2, prev_hash = $2 WHERE id = $1`, [chain[2].id, chain[0].hash]],
      [`UPDATE problem_items SET chain_seq = 2 WHERE id = $1`, [id]],
    );
    expect((await verify(id)).firstBroken).toEqual({ seq: 2, signatureId: chain[2].id, reason: 'hash_mismatch' });
  });

  it('the item’s state changed behind the chain’s back → state_mismatch', async () => {
    const id = await closed('改状态');
    const chain = await links(id);
    await tamper([`UPDATE problem_items SET state = 'rectifying' WHERE id = $1`, [id]]);
    expect(await verify(id)).toEqual({ valid: false, length: 3, firstBroken: { seq: 3, signatureId: chain[2].id, reason: 'state_mismatch' } });
  });

  it('a draft given a state it can only reach by signing → state_mismatch; an unsigned WITHDRAW is no tampering', async () => {
    const draft = await createDraft(t, cid, { description: '草稿' });
    expect(await verify(draft.id)).toEqual({ valid: true, length: 0, firstBroken: null });
    const withdrawn = await createDraft(t, cid, { description: '撤回' });
    await ev('cadre', withdrawn.id, { type: 'SUBMIT' });
    const back = await ev('cadre', withdrawn.id, { type: 'WITHDRAW' });
    expect(await verify(withdrawn.id)).toEqual({ valid: true, length: 1, firstBroken: null });
    expect(back.state).not.toBe('pending_review');

    await tamper([`UPDATE problem_items SET state = 'closed' WHERE id = $1`, [draft.id]]);
    expect(await verify(draft.id)).toEqual({ valid: false, length: 0, firstBroken: { seq: 0, signatureId: null, reason: 'state_mismatch' } });
  });

  it('a link naming a key the service does not hold → unknown_key', async () => {
    const id = await closed('未知密钥');
    const chain = await links(id);
    await tamper([`UPDATE signatures SET key_id = 'stolen' WHERE id = $1`, [chain[0].id]]);
    expect((await verify(id)).firstBroken).toEqual({ seq: 1, signatureId: chain[0].id, reason: 'unknown_key' });
  });

  it('chains written before chain keys are sealed once at start-up if they hold; edits after that are detected', async () => {
    // Two chains as an earlier version wrote them: no key id, plain SHA-256.
    const [intact, broken] = [await closed('旧链'), await closed('旧链已坏')];
    for (const id of [intact, broken]) {
      const chain = await links(id);
      let prev: string | null = null;
      const rewrites: Array<[string, unknown[]]> = [];
      for (const row of chain) {
        const hash = recomputed(row, { prevHash: prev }, 'sha256');
        rewrites.push([`UPDATE signatures SET key_id = NULL, prev_hash = $2, hash = $3 WHERE id = $1`, [row.id, prev, hash]]);
        prev = hash;
      }
      rewrites.push([`UPDATE problem_items SET chain_head = $2 WHERE id = $1`, [id, prev]]);
      await tamper(...rewrites);
    }
    // One of them was already tampered with before the upgrade.
    await tamper([`UPDATE signatures SET comment = '早已篡改' WHERE subject_id = $1 AND seq = 1`, [broken]]);
    // Unsealed, an unkeyed chain is not trusted.
    expect((await verify(intact)).firstBroken).toMatchObject({ seq: 1, reason: 'unsealed' });

    const result = await t.app.get(SignaturesService).sealLegacyChains();
    expect(result.sealed).toEqual([intact]);
    expect(result.refused).toContain(broken);
    expect(await verify(intact)).toEqual({ valid: true, length: 3, firstBroken: null });
    expect((await verify(broken)).firstBroken).toMatchObject({ seq: 1, reason: 'unsealed' });
    // Sealing again changes nothing; the seal cannot be changed either.
    expect((await t.app.get(SignaturesService).sealLegacyChains()).sealed).toEqual([]);
    await expect(db.query(`DELETE FROM chain_seals WHERE subject_id = $1`, [intact])).rejects.toThrow(/immutable/);

    // New links on a sealed chain are keyed and chain on from the old head.
    // An edit of a sealed link recomputed with SHA-256 all the way to the head no longer matches the seal.
    const chain = await links(intact);
    let prev: string | null = chain[0].prev_hash;
    const rewrites: Array<[string, unknown[]]> = [];
    for (const row of chain) {
      const hash = recomputed(row, { prevHash: prev, ...(row.seq === 2 ? { comment: '事后篡改' } : {}) }, 'sha256');
      rewrites.push([`UPDATE signatures SET prev_hash = $2, hash = $3${row.seq === 2 ? `, comment = '事后篡改'` : ''} WHERE id = $1`, [row.id, prev, hash]]);
      prev = hash;
    }
    rewrites.push([`UPDATE problem_items SET chain_head = $2 WHERE id = $1`, [intact, prev]]);
    await tamper(...rewrites);
    expect((await verify(intact)).firstBroken).toMatchObject({ seq: 1, reason: 'unsealed' });
  });
});
