import { ChainKeys } from './chain-keys';
import { type HashedFields, signatureHash } from './signature-hash';

/**
 * Delegation (委派) added on_behalf_of to the hashed fields. Links written
 * before it, and every link signed in nobody else's place, must hash exactly
 * as before, or existing chains would stop verifying: the expected values
 * below were computed with signature-hash.ts as it was before the field
 * existed (commit 9f626be).
 */
describe('signature hash and on_behalf_of', () => {
  const keys = new ChainKeys('k1', new Map([['k1', Buffer.from('a-chain-key-that-is-long-enough-0123456789abcdef')]]));
  const link: HashedFields = {
    countyId: '11111111-1111-4111-8111-111111111111',
    subjectType: 'item',
    subjectId: '22222222-2222-4222-8222-222222222222',
    seq: 2,
    kind: 'review',
    eventType: 'CONFIRM',
    signerId: '33333333-3333-4333-8333-333333333333',
    signerName: '李明',
    signerRole: 'township_leader',
    signerOrgUnitId: '44444444-4444-4444-8444-444444444444',
    signerOrgUnitName: '城关镇',
    onBehalfOfId: null,
    onBehalfOfName: null,
    signedAt: new Date('2021-06-16T02:00:00.000Z'),
    comment: '同意',
    payload: { measures: '维修', deadline: '2021-06-25' },
    evidence: [],
    stateBefore: 'pending_review',
    stateAfter: 'rectifying',
    prevHash: 'a'.repeat(64),
    keyId: 'k1',
  };

  it('a link without a delegator hashes as it did before the field existed (keyed and legacy links)', () => {
    expect(signatureHash(link, keys)).toBe('6167b142915f63232a21dddaaab4de37d37001381f30797591bcb826f8e0e585');
    expect(signatureHash({ ...link, keyId: null }, keys)).toBe('c4209103c46b04441a52e4eea9c186652fa6b6dc5f96eb1a8c2ffc9e58cf763e');
  });

  it('the delegator is covered: naming one, or another, or another name, changes the hash', () => {
    const signedFor = { ...link, onBehalfOfId: '55555555-5555-4555-8555-555555555555', onBehalfOfName: '王副镇长' };
    const hashes = new Set([
      signatureHash(link, keys),
      signatureHash(signedFor, keys),
      signatureHash({ ...signedFor, onBehalfOfName: '别人' }, keys),
      signatureHash({ ...signedFor, onBehalfOfId: '66666666-6666-4666-8666-666666666666' }, keys),
    ]);
    expect(hashes.size).toBe(4);
  });
});
