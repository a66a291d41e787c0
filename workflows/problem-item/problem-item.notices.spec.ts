import { applyEvent } from '../common';
import { signsOnBehalfOf } from './problem-item.facts';
import { actor, cast, DEPARTMENT_ITEM, ev, IN_A_WEEK, TOWNSHIP, VILLAGE_ITEM } from './problem-item.fixtures';
import { isReviewer, reviewerActingFor } from './problem-item.guards';
import { createProblemItemSnapshot, problemItemMachine, type ProblemItemSnapshot } from './problem-item.machine';
import { chineseDay, itemNoticeText } from './problem-item.notices';
import type { ProblemItemEvent } from './problem-item.types';

/** A township cadre of the leader's unit to whom the leader delegated (委派). */
const deputy = actor('u-deputy', { orgUnitId: TOWNSHIP, delegators: [{ userId: cast.leader.userId, displayName: '李明', roles: ['township_leader'] }] });

function step(snapshot: ProblemItemSnapshot, event: ProblemItemEvent): ProblemItemSnapshot {
  const result = applyEvent(problemItemMachine, snapshot, event);
  expect(result.accepted).toBe(true);
  return result.snapshot;
}

describe('delegation in the guards', () => {
  const submitted = step(createProblemItemSnapshot(VILLAGE_ITEM), ev('SUBMIT', cast.investigator));

  it('a delegate reviews the delegator’s items, for the delegator; the delegator still reviews in their own right', () => {
    expect(isReviewer(submitted.context, deputy)).toBe(true);
    expect(reviewerActingFor(submitted.context, deputy)?.userId).toBe(cast.leader.userId);
    expect(reviewerActingFor(submitted.context, cast.leader)).toBeNull();
    expect(isReviewer(submitted.context, cast.leader)).toBe(true);
    const confirm = ev('CONFIRM', deputy, { measures: '维修', rectifierId: cast.rectifier.userId, deadline: IN_A_WEEK });
    expect(signsOnBehalfOf(submitted.context, confirm)?.displayName).toBe('李明');
    // The investigator's own submission is nobody else's.
    expect(signsOnBehalfOf(submitted.context, ev('SUBMIT', deputy))).toBeNull();
  });

  it('the delegation reaches only what the delegator reviews: not another township’s, not the county level', () => {
    const otherDeputy = actor('u-deputy2', { orgUnitId: 'township-hedian', townshipId: 'township-hedian', delegators: deputy.delegators });
    expect(isReviewer(submitted.context, otherDeputy)).toBe(false);
    const county = step(createProblemItemSnapshot(DEPARTMENT_ITEM), ev('SUBMIT', cast.deptStaff));
    expect(isReviewer(county.context, deputy)).toBe(false);
    expect(isReviewer(submitted.context, actor('u-plain', { orgUnitId: TOWNSHIP }))).toBe(false);
  });

  it('separation of duties binds the delegate: who rectified cannot accept', () => {
    let s = step(submitted, ev('CONFIRM', deputy, { measures: '维修', rectifierId: deputy.userId, deadline: IN_A_WEEK }));
    s = step(s, ev('SUBMIT_RECTIFICATION', deputy, { comment: '已修', evidence: ['f1'] }));
    expect(applyEvent(problemItemMachine, s, ev('ACCEPT', deputy)).accepted).toBe(false);
    expect(applyEvent(problemItemMachine, s, ev('ACCEPT', cast.leader)).accepted).toBe(true);
  });
});

describe('notice texts', () => {
  it('say what happened and what the party is to do by when', () => {
    const created = createProblemItemSnapshot(VILLAGE_ITEM);
    const submit = ev('SUBMIT', cast.investigator);
    const submitted = step(created, submit);
    expect(itemNoticeText(submit, created, submitted, 'reviewer')).toBe('已提交，待您审核');
    const confirm = ev('CONFIRM', cast.leader, { measures: '维修', rectifierId: cast.rectifier.userId, deadline: '2021-06-25' });
    const rectifying = step(submitted, confirm);
    expect(itemNoticeText(confirm, submitted, rectifying, 'rectifier')).toBe('已审核确认，待您整改（时限 6月25日）');
    expect(itemNoticeText(confirm, submitted, rectifying, 'investigator')).toBe('已审核确认');
    const extend = ev('REQUEST_EXTENSION', cast.rectifier, { reason: '材料未到', newDeadline: '2021-07-05' });
    const requested = step(rectifying, extend);
    expect(itemNoticeText(extend, rectifying, requested, 'reviewer')).toBe('申请延期至 7月5日，待您审批');
  });

  it('writes days the Chinese way', () => {
    expect(chineseDay('2021-06-05')).toBe('6月5日');
    expect(chineseDay('2021-12-25T15:00:00.000Z')).toBe('12月25日');
  });
});
