import { isValidResidentId, maskResidentId, normalizeResidentId, residentIdCheckChar, residentIdProblem } from './resident-id';

/**
 * Reference check character written from ISO 7064 MOD 11-2 itself (weights are
 * 2^(n-1) mod 11, check = (12 − Σ mod 11) mod 11), independent of the weight
 * table in the implementation.
 */
function referenceCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

const withCheck = (first17: string): string => first17 + referenceCheckChar(first17);
const NOW = new Date('2024-06-15T04:00:00Z'); // 2024-06-15 12:00 in Beijing

describe('resident ID (GB 11643-1999)', () => {
  it('accepts the standard example 11010519491231002X, also with a lowercase x', () => {
    expect(isValidResidentId('11010519491231002X', NOW)).toBe(true);
    expect(isValidResidentId('11010519491231002x', NOW)).toBe(true);
  });

  it.each([
    withCheck('34152219850615123'), // 霍邱县
    withCheck('41162419700101001'), // 沈丘县
    withCheck('36070220000229456'), // 章贡区, leap day
    withCheck('34152319000101000'), // earliest accepted birth date
    withCheck('34152220240615999'), // born today (Beijing)
  ])('accepts %s', (id) => {
    expect(residentIdProblem(id, NOW)).toBeNull();
    expect(isValidResidentId(id, NOW)).toBe(true);
  });

  it('agrees with the reference on the check character for many numbers', () => {
    let seed = 42;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const xs: string[] = [];
    for (let n = 0; n < 2000; n++) {
      const first17 = Array.from({ length: 17 }, () => String(next() % 10)).join('');
      expect(residentIdCheckChar(first17)).toBe(referenceCheckChar(first17));
      if (referenceCheckChar(first17) === 'X') xs.push(first17);
    }
    expect(xs.length).toBeGreaterThan(0); // the X branch was exercised
  });

  it('rejects a wrong check character', () => {
    const valid = withCheck('34152219850615123');
    const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(residentIdProblem(wrong, NOW)).toBe('check_char');
    expect(residentIdProblem('110105194912310021', NOW)).toBe('check_char');
    expect(isValidResidentId('110105194912310021', NOW)).toBe(false);
  });

  it.each([
    ['month 13', '34152219851315123'],
    ['day 0', '34152219850600123'],
    ['31 April', '34152219850431123'],
    ['29 February of a common year', '34152220230229123'],
    ['29 February 1900 (not a leap year)', '34152219000229123'],
    ['before 1900', '44052418800101001'],
    ['tomorrow in Beijing', '34152220240616123'],
    ['far future', '34152229990101123'],
  ])('rejects a birth date: %s', (_why, first17) => {
    const id = withCheck(first17);
    expect(residentIdProblem(id, NOW)).toBe('birth_date');
    expect(isValidResidentId(id, NOW)).toBe(false);
  });

  it('compares birth dates with the Beijing date, not UTC', () => {
    const id = withCheck('34152220240616123');
    expect(isValidResidentId(id, new Date('2024-06-15T15:59:59Z'))).toBe(false);
    expect(isValidResidentId(id, new Date('2024-06-15T16:00:00Z'))).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X0'],
    ['15-digit first-generation number', '110105491231002'],
    ['letter in the body', '1101051949123A002X'],
    ['X not in last place', '1101051949123100X2'],
    ['other check letter', '11010519491231002Y'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
    ['blanks around', ' 11010519491231002X '],
    ['separators', '110105-19491231-002X'],
  ])('rejects the format: %s', (_why, s) => {
    expect(residentIdProblem(s, NOW)).toBe('format');
    expect(isValidResidentId(s, NOW)).toBe(false);
  });

  it('normalizes by trimming and upper-casing', () => {
    expect(normalizeResidentId('  11010519491231002x\t')).toBe('11010519491231002X');
    expect(isValidResidentId(normalizeResidentId(' 11010519491231002x '), NOW)).toBe(true);
  });

  it('masks all but the address code and the last four characters', () => {
    expect(maskResidentId('341522198506151234')).toBe('341522********1234');
    expect(maskResidentId(' 11010519491231002x ')).toBe('110105********002X');
    expect(maskResidentId('110105491231002')).toBe('110105*****1002');
    expect(maskResidentId('1234567')).toBe('*******');
    expect(maskResidentId('')).toBe('');
  });

  it('refuses to compute a check character from anything but 17 digits', () => {
    expect(() => residentIdCheckChar('1234')).toThrow(RangeError);
  });
});
