import { columnForHeader, isSignatureFiller, isSignatureLabel, ledgerTitle } from './ledger-layout';
import { importKey, parseLedgerDate } from './ledger-rows';

const cell = (value: string | number | Date | null) => ({ text: value instanceof Date ? value.toISOString().slice(0, 10) : String(value ?? ''), value });

describe('parseLedgerDate (整改时限)', () => {
  it.each([
    ['2021-06-25', '2021-06-25'],
    ['2021/6/5', '2021-06-05'],
    ['2021.6.25', '2021-06-25'],
    ['2021年6月25日', '2021-06-25'],
    ['２０２１－０６－２５', '2021-06-25'],
    ['20210625', '2021-06-25'],
    ['2021年6月25号', '2021-06-25'],
    ['2021年06月25日', '2021-06-25'],
    ['2021-06-25 00:00:00', '2021-06-25'],
  ])('reads the text %s', (input, expected) => {
    expect(parseLedgerDate(cell(input))).toBe(expected);
  });

  it('reads 6月25日 without a year as of the year given (the ledger’s 时间 line), and not at all without one', () => {
    expect(parseLedgerDate(cell('6月25日'), 2021)).toBe('2021-06-25');
    expect(parseLedgerDate(cell('6月25号'), 2022)).toBe('2022-06-25');
    expect(parseLedgerDate(cell('6月25日'))).toBeUndefined();
    expect(parseLedgerDate(cell('2月30日'), 2021)).toBeUndefined();
  });

  it('reads date cells and day numbers of cells that lost their date format', () => {
    expect(parseLedgerDate(cell(new Date('2021-06-25T00:00:00Z')))).toBe('2021-06-25');
    expect(parseLedgerDate(cell(44372))).toBe('2021-06-25');
  });

  it('is null when blank and undefined when not a real date', () => {
    expect(parseLedgerDate(cell(null))).toBeNull();
    expect(parseLedgerDate(cell('  '))).toBeNull();
    for (const bad of ['6月底前', '2021-02-30', '2021-13-01', '1899-12-31', '立行立改']) expect(parseLedgerDate(cell(bad))).toBeUndefined();
    expect(parseLedgerDate(cell(12))).toBeUndefined();
  });
});

describe('ledgerTitle', () => {
  it('names the county once', () => {
    expect(ledgerTitle('霍邱县', '巩固拓展脱贫攻坚成果集中排查')).toBe('霍邱县巩固拓展脱贫攻坚成果集中排查台账');
    expect(ledgerTitle('霍邱县', '霍邱县巩固拓展脱贫攻坚成果集中排查')).toBe('霍邱县巩固拓展脱贫攻坚成果集中排查台账');
  });
});

describe('ledger headers', () => {
  it('knows the columns by their names and common variants, whatever the blanks and width of the characters', () => {
    expect(columnForHeader('身份证\n号码')).toBe('idNumber');
    expect(columnForHeader('身份证号')).toBe('idNumber');
    expect(columnForHeader('乡镇（街道）')).toBe('township');
    expect(columnForHeader(' 整改时限 ')).toBe('deadline');
    expect(columnForHeader('序号')).toBeUndefined();
    expect(columnForHeader('状态')).toBeUndefined();
  });
});

describe('signature lines', () => {
  it('knows the signers’ labels with or without a colon and a name, and notes and totals only with their colon', () => {
    for (const text of [
      '填报人：张伟',
      '填报人',
      '填 报 人:',
      '乡镇分管负责人：李明',
      '审核人',
      '日期：2021年6月12日',
      '合计：3 条',
      '备注：1.若是…',
      '注：问题类型从下拉列表选择',
    ]) {
      expect([text, isSignatureLabel(text)]).toEqual([text, true]);
    }
    for (const text of ['城关镇', '住房漏雨', '备注', '注射疫苗未登记', '合计收入偏低', '大同村'])
      expect([text, isSignatureLabel(text)]).toEqual([text, false]);
  });

  it('knows what such lines hold besides labels', () => {
    expect(['　年　月　日', '（盖章）', '(签字)'].map(isSignatureFiller)).toEqual([true, true, true]);
    expect(['张伟', '2021年6月'].map(isSignatureFiller)).toEqual([false, false]);
  });
});

describe('importKey', () => {
  const key = (household: string, description: string) => importKey('c1', ['t1', 'v1'], household, '11010519491231002X', 'HQ-01', description);

  it('is the same for the same row typed with other blanks or full-width characters', () => {
    expect(key('张三', '住房漏雨，屋顶破损')).toBe(key(' 张 三', '住房漏雨,屋顶破损 '));
  });

  it('differs when the household, the problem or the campaign differs', () => {
    expect(key('张三', '住房漏雨')).not.toBe(key('李四', '住房漏雨'));
    expect(key('张三', '住房漏雨')).not.toBe(key('张三', '饮水不安全'));
    expect(importKey('c2', ['t1', 'v1'], '张三', '', 'HQ-01', '住房漏雨')).not.toBe(importKey('c1', ['t1', 'v1'], '张三', '', 'HQ-01', '住房漏雨'));
  });
});
