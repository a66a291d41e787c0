import { itemActionLabel, itemPlace, itemStateLabel } from './labels';

describe('itemPlace', () => {
  const cg = { id: 't1', name: '城关镇' };
  it('writes 乡镇 then 行政村 for a village problem', () => {
    expect(itemPlace({ township: cg, orgUnit: { id: 'v1', name: '大同村' } })).toBe('城关镇 大同村');
  });
  it('writes the unit once for township, department and county problems', () => {
    expect(itemPlace({ township: cg, orgUnit: cg })).toBe('城关镇');
    expect(itemPlace({ township: null, orgUnit: { id: 'd1', name: '住建局' } })).toBe('住建局');
  });
});

describe('labels', () => {
  it('names states and actions in Chinese, unknown ones as they are', () => {
    expect(itemStateLabel('pending_acceptance')).toBe('待验收');
    expect(itemActionLabel('SPOT_CHECK_PASS')).toBe('督查通过');
    expect(itemActionLabel('NEW_THING')).toBe('NEW_THING');
  });
});
