import {
  isIncompleteResidentId,
  isValidResidentId,
  maskResidentId,
  normalizeResidentId,
  residentIdCheckChar,
  residentIdMessage,
  residentIdProblem,
} from './resident-id';

/** Check character written from ISO 7064 MOD 11-2 itself (weights 2^(n-1) mod 11), independent of the weight table. */
function referenceCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

const withCheck = (first17: string): string => first17 + referenceCheckChar(first17);
const wrongCheck = (first17: string): string => first17 + (referenceCheckChar(first17) === '0' ? '1' : '0');
const NOW = new Date('2024-06-15T04:00:00Z'); // 2024-06-15 12:00 in Beijing

describe('resident ID (GB 11643-1999) in the console', () => {
  it('accepts the standard example, also with a lower-case x', () => {
    expect(isValidResidentId('11010519491231002X', NOW)).toBe(true);
    expect(isValidResidentId('11010519491231002x', NOW)).toBe(true);
    expect(residentIdMessage('11010519491231002x', NOW)).toBeNull();
  });

  it.each([
    withCheck('34152219850615123'), // 霍邱县
    withCheck('36070220000229456'), // leap day
    withCheck('34152319000101000'), // earliest birth date accepted
    withCheck('34152220240615999'), // born today in Beijing
    '341522195001010014', // a demo household
  ])('accepts %s', (id) => {
    expect(residentIdProblem(id, NOW)).toBeNull();
    expect(residentIdMessage(id, NOW)).toBeNull();
  });

  it('computes the same check character as the reference for many numbers', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let xs = 0;
    for (let n = 0; n < 2000; n++) {
      const first17 = Array.from({ length: 17 }, () => String(next() % 10)).join('');
      expect(residentIdCheckChar(first17)).toBe(referenceCheckChar(first17));
      if (referenceCheckChar(first17) === 'X') xs++;
    }
    expect(xs).toBeGreaterThan(0);
  });

  it('rejects a wrong check character with a message that does not give the right one away', () => {
    const id = wrongCheck('34152219850615123');
    expect(residentIdProblem(id, NOW)).toBe('check_char');
    expect(residentIdProblem('110105194912310021', NOW)).toBe('check_char');
    const msg = residentIdMessage(id, NOW);
    expect(msg).toContain('校验位错误');
    expect(msg).not.toContain(referenceCheckChar('34152219850615123'));
  });

  it.each([
    ['month 13', '34152219851315123'],
    ['day 0', '34152219850600123'],
    ['31 April', '34152219850431123'],
    ['29 February of a common year', '34152220230229123'],
    ['before 1900', '44052418800101001'],
    ['tomorrow in Beijing', '34152220240616123'],
  ])('rejects a bad birth date: %s', (_why, first17) => {
    const id = withCheck(first17);
    expect(residentIdProblem(id, NOW)).toBe('birth_date');
    expect(residentIdMessage(id, NOW)).toMatch(/出生日期.*无效/);
  });

  it('compares birth dates with the Beijing date, not UTC', () => {
    const id = withCheck('34152220240616123');
    expect(isValidResidentId(id, new Date('2024-06-15T15:59:59Z'))).toBe(false);
    expect(isValidResidentId(id, new Date('2024-06-15T16:00:00Z'))).toBe(true);
  });

  it.each([
    ['17 characters', '11010519491231002', '已输入17位'],
    ['19 characters', '11010519491231002X0', 'X只能是'],
    ['15-digit first-generation number', '110105491231002', '已输入15位'],
    ['letter in the body', '1101051949123A002X', '只能包含数字'],
    ['X not last', '1101051949123100X2', 'X只能是'],
    ['separators', '110105-19491231-002X', '只能包含数字'],
  ])('rejects the length or shape: %s', (_why, s, message) => {
    expect(residentIdProblem(s, NOW)).toBe('format');
    expect(residentIdMessage(s, NOW)).toContain(message);
  });

  it('has no message for an empty field (the number is optional) and counts while typing', () => {
    expect(residentIdMessage('', NOW)).toBeNull();
    expect(residentIdMessage('   ', NOW)).toBeNull();
    expect(residentIdMessage('341522', NOW)).toBe('身份证号码应为18位，已输入6位');
  });

  it('tells a number still being typed from a wrong one', () => {
    expect(isIncompleteResidentId('341522')).toBe(true);
    expect(isIncompleteResidentId('34152219850615123')).toBe(true);
    expect(isIncompleteResidentId('341522198506151238')).toBe(false); // complete
    expect(isIncompleteResidentId('3415X')).toBe(false); // already wrong
    expect(isIncompleteResidentId('')).toBe(false);
  });

  it('normalizes by trimming and upper-casing', () => {
    expect(normalizeResidentId('  11010519491231002x\t')).toBe('11010519491231002X');
    expect(residentIdMessage(' 11010519491231002x ', NOW)).toBeNull();
  });

  it('masks all but the address code and the last four characters', () => {
    expect(maskResidentId('341522198506151234')).toBe('341522********1234');
    expect(maskResidentId('1234567')).toBe('*******');
  });
});
