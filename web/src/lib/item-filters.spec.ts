import {
  activeFilterCount,
  hasProblemType,
  itemFiltersToSearch,
  ledgerCells,
  ledgerExportPath,
  NO_FILTERS,
  parseItemFilters,
  problemTypeTree,
  toItemsQuery,
  type ItemFilters,
} from './item-filters';

const ORG = '42a8ebcd-479c-4d87-a24f-7576e272f38a';
const USER = '29e1cd72-56df-4d63-9bf7-851cca6f7f52';
const CAMPAIGN = '88a4561b-51c4-49a4-88fd-7f9a01038fc3';

describe('item filters ⇄ URL', () => {
  it('reads every filter the API takes', () => {
    const f = parseItemFilters(
      new URLSearchParams(`orgUnitId=${ORG}&state=closed,rectifying&problemType=HQ-01&overdue=true&reopened=1&rectifierId=${USER}&q=%20危房%20`),
    );
    expect(f).toEqual({
      orgUnitId: ORG,
      states: ['closed', 'rectifying'],
      problemType: 'HQ-01',
      overdue: true,
      reopened: true,
      rectifierId: USER,
      q: '危房',
    });
  });

  it('drops what the API would refuse instead of failing the page', () => {
    const f = parseItemFilters(new URLSearchParams('orgUnitId=not-a-uuid&state=closed,bogus,closed&overdue=yes&rectifierId=1&q=%20%20'));
    expect(f).toEqual({ ...NO_FILTERS, states: ['closed'] });
    expect(parseItemFilters(new URLSearchParams(`q=${'字'.repeat(150)}`)).q).toHaveLength(100);
  });

  it('writes only the filters that are set, states in lifecycle order', () => {
    const f: ItemFilters = { ...NO_FILTERS, states: ['closed', 'pending_review'], overdue: true, q: ' 辍学 ' };
    expect(itemFiltersToSearch(f).toString()).toBe('state=pending_review%2Cclosed&overdue=true&q=%E8%BE%8D%E5%AD%A6');
    expect(itemFiltersToSearch(NO_FILTERS).toString()).toBe('');
  });

  it('round-trips through the URL', () => {
    const f: ItemFilters = { orgUnitId: ORG, states: ['rectifying'], problemType: 'SQ-2.3', overdue: false, reopened: true, rectifierId: USER, q: '饮水' };
    expect(parseItemFilters(itemFiltersToSearch(f))).toEqual(f);
  });

  it('counts the filters that are set', () => {
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...NO_FILTERS, states: ['closed', 'dismissed'], reopened: true, q: '  ' })).toBe(2);
  });
});

describe('item filters → API', () => {
  it('builds the GET /api/items query with the cursor and limit', () => {
    const f: ItemFilters = { ...NO_FILTERS, orgUnitId: ORG, states: ['closed', 'rectifying'], overdue: true };
    expect(toItemsQuery(CAMPAIGN, f, 'abc', 20)).toEqual({
      campaignId: CAMPAIGN,
      orgUnitId: ORG,
      state: ['rectifying', 'closed'],
      overdue: true,
      limit: 20,
      cursor: 'abc',
    });
    expect(toItemsQuery(CAMPAIGN, NO_FILTERS)).toEqual({ campaignId: CAMPAIGN, limit: 50 });
  });

  it('gives the ledger export the same filters with a comma-separated state', () => {
    const f: ItemFilters = { ...NO_FILTERS, states: ['rectifying', 'pending_review'], problemType: 'HQ-01', reopened: true };
    expect(ledgerExportPath(CAMPAIGN, f)).toBe(`/api/campaigns/${CAMPAIGN}/ledger.xlsx?state=pending_review%2Crectifying&problemType=HQ-01&reopened=true`);
    expect(ledgerExportPath(CAMPAIGN, NO_FILTERS)).toBe(`/api/campaigns/${CAMPAIGN}/ledger.xlsx`);
  });
});

describe('problem types', () => {
  const types = [
    { code: 'SQ-1', name: '两不愁', children: [{ code: 'SQ-1.1', name: '吃穿' }] },
    { code: 'SQ-2', name: '三保障' },
  ];

  it('maps the taxonomy to tree data and finds nested codes', () => {
    expect(problemTypeTree(types)).toEqual([
      { value: 'SQ-1', title: '两不愁', children: [{ value: 'SQ-1.1', title: '吃穿' }] },
      { value: 'SQ-2', title: '三保障' },
    ]);
    expect(hasProblemType(types, 'SQ-1.1')).toBe(true);
    expect(hasProblemType(types, 'HQ-01')).toBe(false);
  });
});

describe('ledgerCells', () => {
  const base = { rectifier: null, plannedRectifierName: null, deadline: null, plannedDeadline: null };

  it('splits 乡镇 and 行政村 for a village item', () => {
    const c = ledgerCells({ ...base, orgUnit: { name: '大同村', kind: 'village' }, township: { name: '城关镇' } });
    expect([c.township, c.village]).toEqual(['城关镇', '大同村']);
  });

  it('shows a department item under its department', () => {
    const c = ledgerCells({ ...base, orgUnit: { name: '住建局', kind: 'department' }, township: null });
    expect([c.township, c.village]).toEqual(['住建局', '']);
  });

  it('prefers the confirmed rectifier and deadline over the planned ones', () => {
    const planned = ledgerCells({ ...base, orgUnit: null, township: null, plannedRectifierName: '王五', plannedDeadline: '2021-06-25' });
    expect(planned).toMatchObject({ rectifier: '王五', deadline: '2021-06-25', planned: true });
    const set = ledgerCells({
      ...base,
      orgUnit: null,
      township: null,
      rectifier: { name: '李四' },
      deadline: '2021-07-01',
      plannedRectifierName: '王五',
      plannedDeadline: '2021-06-25',
    });
    expect(set).toMatchObject({ rectifier: '李四', deadline: '2021-07-01', planned: false });
  });
});
