import { getStateNodes as activeStateNodes, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { getShortestPaths, getStateNodes } from 'xstate/graph';
import { addDays, applyEvent } from '../common';
import { cast, COUNTY, DEPARTMENT, env, ev, IN_A_WEEK, VILLAGE_ITEM } from './problem-item.fixtures';
import { createProblemItemSnapshot, problemItemMachine as machine, stateName, type ProblemItemSnapshot } from './problem-item.machine';
import { SIGNATURE_KIND_BY_EVENT, type ProblemItemEvent } from './problem-item.types';

/**
 * Every state node is reachable from a new draft and every transition of the
 * definition is taken, driven by a fixed cast sending well-formed events. The
 * guards depend on who sends what, so the traversal gets concrete events; its
 * state key keeps only the context that changes which transitions are enabled
 * (signer lists and counters would make the graph infinite).
 */

const ENV = env('rectification');

/** Well-formed events of every type from every member of the cast that could plausibly send it. */
function sampleEvents(snapshot: ProblemItemSnapshot): ProblemItemEvent[] {
  const { deadline } = snapshot.context;
  const newDeadline = addDays(deadline ?? ENV.now, 7);
  const e = <T extends ProblemItemEvent['type']>(type: T, payload: object, ...who: (typeof cast)[keyof typeof cast][]) =>
    who.map((a) => ev(type, a, payload as never, ENV));
  return [
    ...e('EDIT', {}, cast.investigator),
    ...e('SUBMIT', {}, cast.investigator),
    ...e('SUBMIT', { fixedOnSite: true, measures: '当场修复' }, cast.investigator),
    ...e('DISCARD', {}, cast.investigator),
    ...e('WITHDRAW', {}, cast.investigator),
    ...e('CONFIRM', {}, cast.leader),
    ...e('CONFIRM', { measures: '修缮', rectifierId: cast.rectifier.userId, deadline: IN_A_WEEK }, cast.leader),
    ...e('RETURN', { reason: '信息不全' }, cast.leader),
    ...e('DISMISS', { reason: '不予认定' }, cast.leader),
    ...e('REPORT_PROGRESS', { comment: '进行中' }, cast.rectifier, cast.deptStaff),
    ...e('SUBMIT_RECTIFICATION', { comment: '已完成', evidence: ['att'] }, cast.rectifier, cast.deptStaff),
    ...e('REQUEST_EXTENSION', { reason: '雨季', newDeadline }, cast.rectifier, cast.deptStaff),
    ...e('APPROVE_EXTENSION', {}, cast.leader, cast.county),
    ...e('DENY_EXTENSION', { reason: '不同意' }, cast.leader, cast.county),
    ...e('ESCALATE', { toOrgUnitId: DEPARTMENT, reason: '镇村无力解决' }, cast.leader),
    ...e('MARK_LONG_TERM', { plan: '分年度实施' }, cast.leader, cast.county),
    ...e('ACCEPT', {}, cast.leader, cast.county),
    ...e('REJECT_RECTIFICATION', { reason: '不到位' }, cast.leader, cast.county),
    ...e('SPOT_CHECK_PASS', {}, cast.inspector, cast.inspector2),
    ...e('REOPEN', { reason: '未整改到位', deadline: IN_A_WEEK }, cast.inspector, cast.inspector2),
  ];
}

function serializeState(snapshot: ProblemItemSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify({
    value: snapshot.value,
    fixedOnSite: c.fixedOnSite,
    reviewLevel: c.reviewLevel,
    escalated: c.responsibleOrgUnitId !== null,
    longTerm: c.longTerm,
    inspected: c.inspected,
    reopened: c.reopenCount > 0,
  });
}

const traversal = {
  input: VILLAGE_ITEM,
  events: sampleEvents,
  serializeState,
};

/** One key per transition definition: source, event, candidate index, targets. */
function transitionKey(source: AnyStateNode, eventType: string, index: number): string {
  const candidate = source.transitions.get(eventType)![index];
  const targets = candidate.target?.map((t) => t.id).join(',') ?? '(self)';
  return `${source.id} --${eventType}#${index}--> ${targets}`;
}

function definedTransitions(m: AnyStateMachine): Set<string> {
  const keys = new Set<string>();
  for (const node of [m.root, ...getStateNodes(m)]) {
    for (const [eventType, candidates] of node.transitions) {
      candidates.forEach((_, i) => keys.add(transitionKey(node, eventType, i)));
    }
  }
  return keys;
}

function takenTransitions(snapshot: ProblemItemSnapshot, event: ProblemItemEvent): string[] {
  return machine.getTransitionData(snapshot, event).map((t) => {
    const index = t.source.transitions.get(t.eventType)!.indexOf(t);
    return transitionKey(t.source, t.eventType, index);
  });
}

describe('problem-item graph', () => {
  const paths = getShortestPaths(machine, traversal);

  it('replays every shortest path with the engine helper', () => {
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      let snapshot = path.steps[0].state;
      for (const step of path.steps.slice(1)) {
        const result = applyEvent(machine, snapshot, step.event);
        expect(result.accepted).toBe(true);
        snapshot = result.snapshot;
        expect(snapshot.value).toEqual(step.state.value);
      }
      expect(snapshot.value).toEqual(path.state.value);
    }
  });

  it('reaches every state node', () => {
    const reached = new Set(paths.flatMap((p) => activeStateNodes(machine.root, p.state.value).map((node) => node.id)));
    const all = getStateNodes(machine).map((node) => node.id);
    expect(all.filter((id) => !reached.has(id))).toEqual([]);
    expect(all).toHaveLength(13);
  });

  it('takes every transition of the definition, and signs exactly the signed ones', () => {
    const taken = new Set<string>();
    for (const { state } of paths) {
      for (const event of sampleEvents(state)) {
        if (!state.can(event)) continue;
        takenTransitions(state, event).forEach((key) => taken.add(key));
        const next = applyEvent(machine, state, event).snapshot;
        const signed = SIGNATURE_KIND_BY_EVENT[event.type] !== null;
        expect(next.context.signerIds).toEqual(signed ? [...state.context.signerIds, event.actor.userId] : state.context.signerIds);
      }
    }
    const defined = definedTransitions(machine);
    expect([...defined].filter((key) => !taken.has(key))).toEqual([]);
    expect([...taken].filter((key) => !defined.has(key))).toEqual([]);
    expect(defined.size).toBe(23);
  });

  it('never offers a transition out of discarded', () => {
    const discarded = paths.find((p) => stateName(p.state) === 'discarded')!;
    expect(discarded.steps.map((s) => s.event.type)).toEqual(['xstate.init', 'DISCARD']);
    expect(sampleEvents(discarded.state).some((e) => discarded.state.can(e))).toBe(false);
  });

  it('walks a full scenario: found, confirmed, extended, escalated, fixed, accepted, checked, reopened', () => {
    const scenario: ProblemItemEvent[] = [
      ev('SUBMIT', cast.investigator, {}, ENV),
      ev('CONFIRM', cast.leader, { measures: '修缮', rectifierId: cast.rectifier.userId, deadline: IN_A_WEEK }, ENV),
      ev('REQUEST_EXTENSION', cast.rectifier, { reason: '雨季', newDeadline: addDays(IN_A_WEEK, 7) }, ENV),
      ev('DENY_EXTENSION', cast.leader, { reason: '不同意' }, ENV),
      ev('ESCALATE', cast.leader, { toOrgUnitId: COUNTY, reason: '镇村无力解决' }, ENV),
      ev('SUBMIT_RECTIFICATION', cast.county2, { comment: '已完成', evidence: ['att'] }, ENV),
      ev('ACCEPT', cast.county, {}, ENV),
      ev('SPOT_CHECK_PASS', cast.inspector, {}, ENV),
      ev('REOPEN', cast.inspector2, { reason: '复查不合格', deadline: IN_A_WEEK }, ENV),
    ];
    let snapshot = createProblemItemSnapshot(VILLAGE_ITEM);
    const visited: string[] = [];
    for (const event of scenario) {
      const result = applyEvent(machine, snapshot, event);
      expect(result.accepted).toBe(true);
      snapshot = result.snapshot;
      visited.push(stateName(snapshot));
    }
    expect(visited).toEqual(['pending_review', 'rectifying', 'rectifying', 'rectifying', 'rectifying', 'pending_acceptance', 'closed', 'closed', 'rectifying']);
    expect(snapshot.value).toEqual({ rectifying: { work: 'active', extension: 'none' } });
    expect(snapshot.context).toMatchObject({
      reviewLevel: 'county',
      responsibleOrgUnitId: COUNTY,
      lastRectifierSignerId: cast.county2.userId,
      reopenCount: 1,
      inspected: false,
    });
    expect(snapshot.context.signerIds).toEqual([
      'u-investigator',
      'u-leader',
      'u-rectifier',
      'u-leader',
      'u-leader',
      'u-county2',
      'u-county',
      'u-inspector',
      'u-inspector2',
    ]);
  });
});
