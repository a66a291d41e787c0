import type { Request } from 'express';
import { LSN_COOKIE, LSN_HEADER, lsnValue, requiredLsn } from './standby-reads';

describe('WAL positions (read-your-writes)', () => {
  it('compare as PostgreSQL orders them: the high word first, both in hex', () => {
    expect(lsnValue('0/FF')! < lsnValue('1/0')!).toBe(true);
    expect(lsnValue('0/16B3748')! > lsnValue('0/16B3740')!).toBe(true);
    expect(lsnValue('a/1')).toBe(lsnValue('A/1'));
    expect(lsnValue('FFFFFFFF/FFFFFFFF')).toBe((0xffffffffn << 32n) + 0xffffffffn);
  });

  it('anything but a position is no position', () => {
    for (const v of ['', '0', '0/', '/1', '1/2/3', '123456789/0', "0/0'; SELECT 1", ' 0/1', 42, undefined, ['0/1']]) expect(lsnValue(v)).toBeUndefined();
  });

  it('a request carries its position in the header (API clients) or the cookie (the console)', () => {
    const req = (headers: Record<string, string>, cookies: Record<string, string> = {}) => ({ headers, cookies }) as unknown as Request;
    expect(requiredLsn(req({ [LSN_HEADER]: '0/2' }, { [LSN_COOKIE]: '0/1' }))).toBe('0/2');
    expect(requiredLsn(req({}, { [LSN_COOKIE]: '0/1' }))).toBe('0/1');
    expect(requiredLsn(req({ [LSN_HEADER]: 'junk' }, { [LSN_COOKIE]: '0/1' }))).toBe('0/1');
    expect(requiredLsn(req({}))).toBeUndefined();
  });
});
