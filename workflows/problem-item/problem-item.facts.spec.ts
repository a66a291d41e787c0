import { campaignMachine } from '../campaign/campaign.machine';
import { CAMPAIGN_EFFECTS, CAMPAIGN_STATE_LABELS, CAMPAIGN_STATES } from '../campaign/campaign.types';
import { isOverdue, REVIEWER_TURN_ONLY_ON_EXTENSION, UNSIGNED_STATE_CHANGES, WAITING_ON } from './problem-item.facts';
import { problemItemMachine } from './problem-item.machine';
import { PROBLEM_ITEM_EFFECTS, PROBLEM_ITEM_STATE_LABELS, PROBLEM_ITEM_STATES } from './problem-item.types';

/** Named actions that are not `assign`s: the effects the engine must handle. */
function effectNames(actions: Record<string, unknown>): string[] {
  return Object.entries(actions)
    .filter(([, impl]) => typeof impl === 'function' && (impl as { type?: string }).type === undefined)
    .map(([name]) => name)
    .sort();
}

describe('problem-item facts', () => {
  it('who each state waits on, derived from the machine', () => {
    expect(WAITING_ON).toEqual({
      investigator: ['draft', 'pending_review', 'returned'],
      reviewer: ['pending_review', 'rectifying', 'pending_acceptance'],
      rectifier: ['rectifying'],
      inspector: ['closed', 'dismissed'],
    });
  });

  it('overdue is rectifying past the deadline, by date', () => {
    expect(isOverdue({ state: 'rectifying', deadline: '2021-06-24' }, '2021-06-25')).toBe(true);
    expect(isOverdue({ state: 'rectifying', deadline: '2021-06-25' }, '2021-06-25')).toBe(false);
    expect(isOverdue({ state: 'rectifying', deadline: null }, '2021-06-25')).toBe(false);
    expect(isOverdue({ state: 'pending_acceptance', deadline: '2021-06-01' }, '2021-06-25')).toBe(false);
  });

  it('WITHDRAW is the one unsigned event that changes the state of a kept item', () => {
    expect(UNSIGNED_STATE_CHANGES).toEqual(['WITHDRAW']);
  });

  it('one label per state, and the diagram shows the same label', () => {
    expect(Object.keys(PROBLEM_ITEM_STATE_LABELS).sort()).toEqual([...PROBLEM_ITEM_STATES].sort());
    for (const state of PROBLEM_ITEM_STATES) expect(problemItemMachine.states[state].description).toBe(PROBLEM_ITEM_STATE_LABELS[state]);
    expect(PROBLEM_ITEM_STATE_LABELS.discarded).toBe('已作废');
    for (const state of CAMPAIGN_STATES) expect(campaignMachine.states[state].description).toBe(CAMPAIGN_STATE_LABELS[state]);
  });

  it('the effects lists name exactly the machines’ non-assign actions', () => {
    expect(effectNames(problemItemMachine.implementations.actions)).toEqual([...PROBLEM_ITEM_EFFECTS].sort());
    expect(effectNames(campaignMachine.implementations.actions)).toEqual([...CAMPAIGN_EFFECTS].sort());
  });
});

describe('REVIEWER_TURN_ONLY_ON_EXTENSION', () => {
  it('is 整改中: the reviewer acts there only on a requested extension (escalating is housekeeping)', () => {
    expect(REVIEWER_TURN_ONLY_ON_EXTENSION).toEqual(['rectifying']);
    expect(WAITING_ON.reviewer).toEqual(expect.arrayContaining(REVIEWER_TURN_ONLY_ON_EXTENSION));
  });
});
