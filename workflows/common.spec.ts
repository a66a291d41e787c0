import { isIsoDate, isIsoDateTime, isStrictlyAfter } from './common';

describe('dates as the machines read them: the real calendar, not just the format', () => {
  it('accepts the days that exist, leap days included', () => {
    for (const d of ['2021-06-25', '2024-02-29', '2000-02-29', '2030-12-31', '2030-01-31']) expect(isIsoDate(d)).toBe(true);
  });

  it('refuses days that do not exist though they have the format', () => {
    for (const d of ['2030-02-31', '2021-02-29', '1900-02-29', '2030-04-31', '2030-13-01', '2030-00-10', '2030-01-00', '0000-01-01'])
      expect([d, isIsoDate(d)]).toEqual([d, false]);
  });

  it('refuses what is not a plain date', () => {
    for (const d of ['2030-1-5', '20300105', '2030-01-05T00:00:00Z', ' 2030-01-05', '2030-01-05\u0000', 20300105, null]) expect(isIsoDate(d)).toBe(false);
  });

  it('instants: every part real, with an explicit offset', () => {
    expect(isIsoDateTime('2021-06-25T08:30:00Z')).toBe(true);
    expect(isIsoDateTime('2021-06-25T08:30:00.123+08:00')).toBe(true);
    expect(isIsoDateTime('2021-06-25')).toBe(true);
    for (const v of [
      '2030-02-31T00:00:00Z',
      '2021-06-25T24:00:00Z',
      '2021-06-25T23:60:00Z',
      '2021-06-25T23:59:60Z',
      '2021-06-25T08:30:00+15:00',
      '2021-06-25T08:30:00',
    ])
      expect([v, isIsoDateTime(v)]).toEqual([v, false]);
  });

  it('comparisons refuse impossible dates instead of rolling them over', () => {
    // Date.parse reads 2030-02-31 as 2030-03-03, which is after 2030-03-01.
    expect(isStrictlyAfter('2030-02-31', '2030-03-01')).toBe(false);
    expect(isStrictlyAfter('2030-03-02', '2030-03-01')).toBe(true);
  });
});
