import { randomBytes } from 'node:crypto';
import { sampleSize, selectSample } from './draw-selection';
import type { DrawPopulationEntry } from './spot-check-draw.entity';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Township T1 with villages V1 (6 items), V2 (3), V3 (1); township T2 with V4 (4). */
const population: DrawPopulationEntry[] = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: uuid(i + 1), number: i + 1, townshipId: 'T1', orgUnitId: 'V1' })),
  ...Array.from({ length: 3 }, (_, i) => ({ id: uuid(i + 11), number: i + 11, townshipId: 'T1', orgUnitId: 'V2' })),
  { id: uuid(21), number: 21, townshipId: 'T1', orgUnitId: 'V3' },
  ...Array.from({ length: 4 }, (_, i) => ({ id: uuid(i + 31), number: i + 31, townshipId: 'T2', orgUnitId: 'V4' })),
];

describe('selectSample', () => {
  const seed = 'a'.repeat(64);

  it('is the same sample for the same seed and population, whatever order the population is listed in', () => {
    const once = selectSample(seed, population, 'percent', 30).map((p) => p.id);
    expect(selectSample(seed, [...population].reverse(), 'percent', 30).map((p) => p.id)).toEqual(once);
  });

  it('differs with the seed', () => {
    const samples = new Set(
      Array.from({ length: 20 }, () =>
        selectSample(randomBytes(32).toString('hex'), population, 'count', 2)
          .map((p) => p.id)
          .join(),
      ),
    );
    expect(samples.size).toBeGreaterThan(1);
  });

  it('takes at least one item of every village, and the share of each township rounded up', () => {
    for (let i = 0; i < 20; i++) {
      const sample = selectSample(randomBytes(32).toString('hex'), population, 'percent', 30);
      const t1 = sample.filter((p) => p.townshipId === 'T1');
      // 30% of 10 is 3, and T1 has three villages: one of each.
      expect(new Set(t1.map((p) => p.orgUnitId))).toEqual(new Set(['V1', 'V2', 'V3']));
      expect(t1).toHaveLength(3);
      // 30% of 4 rounded up is 2.
      expect(sample.filter((p) => p.townshipId === 'T2')).toHaveLength(2);
    }
  });

  it('draws more than asked when a township has more villages than the count, and never more than there are', () => {
    const one = selectSample(seed, population, 'count', 1);
    expect(one.filter((p) => p.townshipId === 'T1')).toHaveLength(3);
    expect(one.filter((p) => p.townshipId === 'T2')).toHaveLength(1);
    expect(selectSample(seed, population, 'count', 99)).toHaveLength(population.length);
    expect(selectSample(seed, population, 'percent', 100)).toHaveLength(population.length);
  });

  it('answers the sample in item-number order', () => {
    const numbers = selectSample(seed, population, 'percent', 50).map((p) => p.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('sizes samples by count or by percentage rounded up', () => {
    expect([sampleSize(10, 'percent', 10), sampleSize(11, 'percent', 10), sampleSize(3, 'count', 5), sampleSize(0, 'percent', 50)]).toEqual([1, 2, 3, 0]);
  });
});
