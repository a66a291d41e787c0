import { transition } from 'xstate';
import { applyEvent, PHASE_KINDS, type WorkflowActor } from '../common';
import { cast, COUNTY, DEPARTMENT, DEPARTMENT_ITEM, env, ev, IN_A_WEEK, IN_TWO_WEEKS, NOW, VILLAGE_ITEM, YESTERDAY } from './problem-item.fixtures';
import { isPhaseOpen } from './problem-item.guards';
import {
  availableEvents,
  createProblemItemSnapshot,
  explainRefusal,
  hasPendingExtension,
  PROBLEM_ITEM_WORKFLOW,
  problemItemMachine as machine,
  stateName,
  type ProblemItemSnapshot,
} from './problem-item.machine';
import {
  EVENT_PHASES,
  OPEN_STATES,
  PROBLEM_ITEM_EVENT_TYPES,
  PROBLEM_ITEM_STATES,
  SIGNATURE_KIND_BY_EVENT,
  type ProblemItemEvent,
  type ProblemItemInput,
  type ProblemItemRefusal,
} from './problem-item.types';

function send(snapshot: ProblemItemSnapshot, event: ProblemItemEvent): ProblemItemSnapshot {
  const result = applyEvent(machine, snapshot, event);
  if (!result.accepted) {
    const why = explainRefusal(snapshot, event);
    throw new Error(`${event.type} by ${event.actor.userId} refused in ${stateName(snapshot)}: ${why}`);
  }
  return result.snapshot;
}

function expectRefused(snapshot: ProblemItemSnapshot, event: ProblemItemEvent, reason: ProblemItemRefusal): void {
  expect(snapshot.can(event)).toBe(false);
  const result = applyEvent(machine, snapshot, event);
  expect(result).toEqual({ accepted: false, snapshot, actions: [] });
  expect(explainRefusal(snapshot, event)).toBe(reason);
}

function actionTypes(snapshot: ProblemItemSnapshot, event: ProblemItemEvent): string[] {
  return applyEvent(machine, snapshot, event).actions.map((a) => a.type);
}

const investigatorOf = (input: ProblemItemInput): WorkflowActor => (input === DEPARTMENT_ITEM ? cast.deptStaff : cast.investigator);
const reviewerOf = (input: ProblemItemInput): WorkflowActor => (input.reviewLevel === 'county' ? cast.county : cast.leader);

const draft = (input: ProblemItemInput = VILLAGE_ITEM) => createProblemItemSnapshot(input);
const pendingReview = (input: ProblemItemInput = VILLAGE_ITEM, submit: Partial<ProblemItemEvent> = {}) =>
  send(draft(input), { ...ev('SUBMIT', investigatorOf(input)), ...submit } as ProblemItemEvent);
const rectifying = (input: ProblemItemInput = VILLAGE_ITEM, rectifier: WorkflowActor = cast.rectifier) =>
  send(pendingReview(input), ev('CONFIRM', reviewerOf(input), { measures: '修缮屋顶', rectifierId: rectifier.userId, deadline: IN_A_WEEK }));
const pendingAcceptance = (input: ProblemItemInput = VILLAGE_ITEM, rectifier: WorkflowActor = cast.rectifier) =>
  send(rectifying(input, rectifier), ev('SUBMIT_RECTIFICATION', rectifier, { comment: '已完成', evidence: ['att-1'] }));
const closed = (input: ProblemItemInput = VILLAGE_ITEM) => send(pendingAcceptance(input), ev('ACCEPT', reviewerOf(input)));
const dismissed = (input: ProblemItemInput = VILLAGE_ITEM) => send(pendingReview(input), ev('DISMISS', reviewerOf(input), { reason: '不属于排查范围' }));

describe('problem-item machine', () => {
  describe('definition and persistence', () => {
    it('registers as problem-item v1 with the documented states', () => {
      expect(PROBLEM_ITEM_WORKFLOW).toMatchObject({ id: 'problem-item', version: 1, machine });
      expect(Object.keys(machine.states)).toEqual([...PROBLEM_ITEM_STATES]);
      expect(Object.keys(machine.states.rectifying.states)).toEqual(['work', 'extension']);
      expect(OPEN_STATES).toEqual(['draft', 'pending_review', 'returned', 'rectifying', 'pending_acceptance']);
      expect([...machine.events].sort()).toEqual([...PROBLEM_ITEM_EVENT_TYPES].sort());
    });

    it('creates a draft from input with empty accountability fields', () => {
      const snapshot = draft();
      expect(snapshot.value).toBe('draft');
      expect(snapshot.context).toEqual({
        ...VILLAGE_ITEM,
        fixedOnSite: false,
        measures: null,
        rectifierId: null,
        responsibleOrgUnitId: null,
        deadline: null,
        reviewedSinceSubmit: false,
        extension: null,
        lastRectifierSignerId: null,
        acceptedById: null,
        signerIds: [],
        reopenCount: 0,
        inspected: false,
        longTerm: false,
        longTermPlan: null,
        progressCount: 0,
      });
    });

    it('round-trips a parallel snapshot through JSON and keeps working', () => {
      const requested = send(rectifying(), ev('REQUEST_EXTENSION', cast.rectifier, { reason: '雨季施工困难', newDeadline: IN_TWO_WEEKS }));
      const stored = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(requested))) as {
        value: ProblemItemSnapshot['value'];
        context: ProblemItemSnapshot['context'];
      };
      expect(stored.value).toEqual({ rectifying: { work: 'active', extension: 'requested' } });

      const restored = machine.resolveState({ value: stored.value, context: stored.context });
      expect(restored.value).toEqual(requested.value);
      expect(restored.context).toEqual(requested.context);
      expect(stateName(restored)).toBe('rectifying');
      expect(hasPendingExtension(restored)).toBe(true);

      const approved = send(restored, ev('APPROVE_EXTENSION', cast.leader));
      expect(approved.value).toEqual({ rectifying: { work: 'active', extension: 'none' } });
      expect(approved.context.deadline).toBe(IN_TWO_WEEKS);
    });

    it('leaves the snapshot untouched when transition() gets an event that is not accepted', () => {
      const snapshot = draft();
      const [next, actions] = transition(machine, snapshot, ev('SUBMIT', cast.stranger));
      expect(next).toBe(snapshot);
      expect(actions).toEqual([]);
    });

    it('returns only named effects as actions, never context assignments', () => {
      const result = applyEvent(machine, draft(), ev('SUBMIT', cast.investigator));
      expect(result.accepted).toBe(true);
      expect(result.actions.map((a) => a.type)).toEqual(['notifyReviewer']);
      expect(() => result.actions.forEach((a) => a.exec?.(a.info, a.params))).not.toThrow();
      expect(result.snapshot.context.signerIds).toEqual([cast.investigator.userId]);
    });

    it('refuses everything once discarded (final)', () => {
      const gone = send(draft(), ev('DISCARD', cast.investigator));
      expect(gone.value).toBe('discarded');
      expect(gone.status).toBe('done');
      expect(availableEvents(gone, cast.investigator, env())).toEqual([]);
      expectRefused(gone, ev('EDIT', cast.investigator), 'invalid_state');
    });
  });

  describe('phase gating', () => {
    it.each(PROBLEM_ITEM_EVENT_TYPES.flatMap((type) => [...PHASE_KINDS, null].map((phase) => [type, phase] as const)))(
      '%s in %s follows EVENT_PHASES',
      (type, phase) => {
        expect(isPhaseOpen(type, phase)).toBe(phase !== null && EVENT_PHASES[type].includes(phase));
      },
    );

    it('refuses submission in mobilization, summary and when the campaign is not running', () => {
      for (const phase of ['mobilization', 'summary', null] as const) {
        expectRefused(draft(), ev('SUBMIT', cast.investigator, {}, env(phase)), 'phase_closed');
      }
      expect(send(draft(), ev('SUBMIT', cast.investigator, {}, env('investigation'))).value).toBe('pending_review');
      expect(send(draft(), ev('SUBMIT', cast.investigator, {}, env('improvement'))).value).toBe('pending_review');
    });

    it('lets rectification and acceptance continue in summary but not in mobilization', () => {
      const summary = env('summary');
      const submitted = send(rectifying(), ev('SUBMIT_RECTIFICATION', cast.rectifier, { comment: '已完成', evidence: ['att-1'] }, summary));
      expect(send(submitted, ev('ACCEPT', cast.leader, {}, summary)).value).toBe('closed');
      expectRefused(rectifying(), ev('REPORT_PROGRESS', cast.rectifier, { comment: '进行中' }, env('mobilization')), 'phase_closed');
    });

    it('allows spot checks from rectification to summary and reopening only in rectification and improvement', () => {
      expectRefused(closed(), ev('SPOT_CHECK_PASS', cast.inspector, {}, env('investigation')), 'phase_closed');
      expect(send(closed(), ev('SPOT_CHECK_PASS', cast.inspector, {}, env('summary'))).context.inspected).toBe(true);
      expectRefused(closed(), ev('REOPEN', cast.inspector, { reason: '未整改到位', deadline: IN_A_WEEK }, env('summary')), 'phase_closed');
      expect(send(closed(), ev('REOPEN', cast.inspector, { reason: '未整改到位', deadline: IN_A_WEEK }, env('improvement'))).value).toMatchObject({
        rectifying: {},
      });
    });
  });

  describe('draft and returned (investigator)', () => {
    it('lets only the investigator edit, submit and discard', () => {
      const edited = send(draft(), ev('EDIT', cast.investigator, { fixedOnSite: true, measures: '当场修复' }));
      expect(edited.value).toBe('draft');
      expect(edited.context).toMatchObject({ fixedOnSite: true, measures: '当场修复', signerIds: [] });
      for (const other of [cast.stranger, cast.leader, cast.county]) {
        expectRefused(draft(), ev('EDIT', other), 'not_permitted');
        expectRefused(draft(), ev('SUBMIT', other), 'not_permitted');
        expectRefused(draft(), ev('DISCARD', other), 'not_permitted');
      }
    });

    it('refuses admin and auditor even when their user id is the investigator', () => {
      for (const roles of [['admin'], ['auditor'], ['admin', 'auditor']] as const) {
        const impostor = { ...cast.investigator, roles: [...roles] };
        expectRefused(draft(), ev('SUBMIT', impostor), 'not_permitted');
      }
    });

    it('requires measures for an item fixed on the spot', () => {
      expectRefused(draft(), ev('SUBMIT', cast.investigator, { fixedOnSite: true }), 'invalid_payload');
      expectRefused(draft(), ev('SUBMIT', cast.investigator, { fixedOnSite: true, measures: '  ' }), 'invalid_payload');
      const submitted = send(draft(), ev('SUBMIT', cast.investigator, { fixedOnSite: true, measures: '当场修复' }));
      expect(submitted.context).toMatchObject({ fixedOnSite: true, measures: '当场修复', reviewedSinceSubmit: false });
    });

    it('resubmits a returned item and keeps the signature trail', () => {
      const returned = send(pendingReview(), ev('RETURN', cast.leader, { reason: '信息不全' }));
      expect(returned.value).toBe('returned');
      expectRefused(returned, ev('DISCARD', cast.investigator), 'invalid_state');
      const edited = send(returned, ev('EDIT', cast.investigator));
      const again = send(edited, ev('SUBMIT', cast.investigator));
      expect(again.value).toBe('pending_review');
      expect(again.context.reviewedSinceSubmit).toBe(false);
      expect(again.context.signerIds).toEqual(['u-investigator', 'u-leader', 'u-investigator']);
    });
  });

  describe('pending_review (reviewer level)', () => {
    const plan = { measures: '修缮屋顶', rectifierId: 'u-rectifier', deadline: IN_A_WEEK };

    it('confirms the 四项清单 into rectifying', () => {
      const snapshot = send(pendingReview(), ev('CONFIRM', cast.leader, plan));
      expect(snapshot.value).toEqual({ rectifying: { work: 'active', extension: 'none' } });
      expect(snapshot.context).toMatchObject({ ...plan, reviewedSinceSubmit: true });
      expect(actionTypes(pendingReview(), ev('CONFIRM', cast.leader, plan))).toEqual(['notifyRectifier', 'notifyInvestigator']);
    });

    it('accepts only the township leader of the item for a village item', () => {
      for (const who of [cast.otherLeader, cast.county, cast.investigator, cast.inspector, cast.admin]) {
        expectRefused(pendingReview(), ev('CONFIRM', who, plan), 'not_permitted');
        expectRefused(pendingReview(), ev('RETURN', who, { reason: 'x' }), 'not_permitted');
        expectRefused(pendingReview(), ev('DISMISS', who, { reason: 'x' }), 'not_permitted');
      }
    });

    it('accepts only the county office of the same county for a department item', () => {
      const item = pendingReview(DEPARTMENT_ITEM);
      expectRefused(item, ev('CONFIRM', cast.leader, plan), 'not_permitted');
      expectRefused(item, ev('CONFIRM', cast.otherCounty, plan), 'not_permitted');
      expect(send(item, ev('CONFIRM', cast.county, plan)).value).toMatchObject({ rectifying: {} });
    });

    it('refuses an incomplete plan or a deadline that is not in the future', () => {
      const snapshot = pendingReview();
      expectRefused(snapshot, ev('CONFIRM', cast.leader, { ...plan, rectifierId: undefined }), 'invalid_payload');
      expectRefused(snapshot, ev('CONFIRM', cast.leader, { ...plan, measures: '' }), 'invalid_payload');
      for (const deadline of [undefined, YESTERDAY, NOW, 'next friday', '2021-06-30T10:00:00', '2021-02-30']) {
        expectRefused(snapshot, ev('CONFIRM', cast.leader, { ...plan, deadline }), 'invalid_payload');
      }
      expect(snapshot.can(ev('CONFIRM', cast.leader, { ...plan, deadline: '2021-06-30' }))).toBe(true);
      expect(snapshot.can(ev('CONFIRM', cast.leader, { ...plan, deadline: '2021-06-30T18:00:00+08:00' }))).toBe(true);
    });

    it('confirms an item fixed on the spot straight into pending_acceptance with the investigator as rectifier', () => {
      const fixed = pendingReview(VILLAGE_ITEM, { fixedOnSite: true, measures: '当场修复' });
      const confirmed = send(fixed, ev('CONFIRM', cast.leader));
      expect(confirmed.value).toBe('pending_acceptance');
      expect(confirmed.context).toMatchObject({
        rectifierId: 'u-investigator',
        lastRectifierSignerId: 'u-investigator',
        measures: '当场修复',
      });
      expect(send(fixed, ev('CONFIRM', cast.leader, plan)).value).toMatchObject({ rectifying: {} });
      expectRefused(pendingReview(), ev('CONFIRM', cast.leader), 'invalid_payload');
    });

    it('requires a reason to return or dismiss', () => {
      expectRefused(pendingReview(), ev('RETURN', cast.leader, { reason: '' }), 'invalid_payload');
      expectRefused(pendingReview(), ev('DISMISS', cast.leader, {} as { reason: string }), 'invalid_payload');
      const snapshot = dismissed();
      expect(snapshot.value).toBe('dismissed');
      expect(actionTypes(pendingReview(), ev('DISMISS', cast.leader, { reason: 'x' }))).toEqual(['notifyInvestigator', 'notifyInspector']);
    });

    it('lets the investigator withdraw only while nobody has reviewed it', () => {
      expect(send(pendingReview(), ev('WITHDRAW', cast.investigator)).value).toBe('returned');
      expectRefused(pendingReview(), ev('WITHDRAW', cast.leader), 'not_permitted');
      const reviewed = machine.resolveState({
        value: 'pending_review',
        context: { ...pendingReview().context, reviewedSinceSubmit: true },
      });
      expectRefused(reviewed, ev('WITHDRAW', cast.investigator), 'invalid_state');
    });
  });

  describe('rectifying (rectifier, reviewer)', () => {
    it('lets only the rectifier report progress and submit the rectification with evidence', () => {
      const progressed = send(rectifying(), ev('REPORT_PROGRESS', cast.rectifier, { comment: '材料已采购' }));
      expect(progressed.context).toMatchObject({ progressCount: 1, signerIds: ['u-investigator', 'u-leader'] });
      for (const who of [cast.investigator, cast.leader, cast.stranger]) {
        expectRefused(rectifying(), ev('REPORT_PROGRESS', who, { comment: 'x' }), 'not_permitted');
        expectRefused(rectifying(), ev('SUBMIT_RECTIFICATION', who, { comment: 'x', evidence: ['att-1'] }), 'not_permitted');
      }
      expectRefused(rectifying(), ev('SUBMIT_RECTIFICATION', cast.rectifier, { comment: 'x', evidence: [] }), 'invalid_payload');
      expectRefused(rectifying(), ev('SUBMIT_RECTIFICATION', cast.rectifier, { comment: '', evidence: ['att-1'] }), 'invalid_payload');
      const submitted = pendingAcceptance();
      expect(submitted.value).toBe('pending_acceptance');
      expect(submitted.context.lastRectifierSignerId).toBe('u-rectifier');
    });

    it('handles one extension request at a time, decided by the reviewer', () => {
      const request = ev('REQUEST_EXTENSION', cast.rectifier, { reason: '雨季', newDeadline: IN_TWO_WEEKS });
      expectRefused(rectifying(), { ...request, newDeadline: IN_A_WEEK }, 'invalid_payload');
      expectRefused(rectifying(), { ...request, newDeadline: YESTERDAY }, 'invalid_payload');
      expectRefused(rectifying(), { ...request, reason: '' }, 'invalid_payload');
      expectRefused(rectifying(), { ...request, actor: cast.leader }, 'not_permitted');

      const requested = send(rectifying(), request);
      expect(requested.value).toEqual({ rectifying: { work: 'active', extension: 'requested' } });
      expect(requested.context.extension).toEqual({
        requestedDeadline: IN_TWO_WEEKS,
        reason: '雨季',
        requestedBy: 'u-rectifier',
      });
      expectRefused(requested, request, 'invalid_state');
      expectRefused(requested, ev('APPROVE_EXTENSION', cast.rectifier), 'not_permitted');
      expectRefused(requested, ev('APPROVE_EXTENSION', cast.otherLeader), 'not_permitted');
      expectRefused(requested, ev('DENY_EXTENSION', cast.leader, { reason: '' }), 'invalid_payload');

      const approved = send(requested, ev('APPROVE_EXTENSION', cast.leader));
      expect(approved.context).toMatchObject({ deadline: IN_TWO_WEEKS, extension: null });
      const denied = send(requested, ev('DENY_EXTENSION', cast.leader, { reason: '无正当理由' }));
      expect(denied.value).toEqual({ rectifying: { work: 'active', extension: 'none' } });
      expect(denied.context).toMatchObject({ deadline: IN_A_WEEK, extension: null });
      expectRefused(rectifying(), ev('APPROVE_EXTENSION', cast.leader), 'invalid_state');
    });

    it('clears a pending extension request when the rectification is submitted', () => {
      const requested = send(rectifying(), ev('REQUEST_EXTENSION', cast.rectifier, { reason: '雨季', newDeadline: IN_TWO_WEEKS }));
      const submitted = send(requested, ev('SUBMIT_RECTIFICATION', cast.rectifier, { comment: '提前完成', evidence: ['a'] }));
      expect(submitted.context.extension).toBeNull();
      const rejected = send(submitted, ev('REJECT_RECTIFICATION', cast.leader, { reason: '不到位' }));
      expect(rejected.value).toEqual({ rectifying: { work: 'active', extension: 'none' } });
    });

    it('escalates a township item to a department, whose staff then rectify it under county review', () => {
      expectRefused(rectifying(), ev('ESCALATE', cast.county, { toOrgUnitId: DEPARTMENT, reason: 'x' }), 'not_permitted');
      expectRefused(rectifying(), ev('ESCALATE', cast.rectifier, { toOrgUnitId: DEPARTMENT, reason: 'x' }), 'not_permitted');
      expectRefused(rectifying(), ev('ESCALATE', cast.leader, { toOrgUnitId: '', reason: 'x' }), 'invalid_payload');
      expectRefused(rectifying(), ev('ESCALATE', cast.leader, { toOrgUnitId: DEPARTMENT, reason: '' }), 'invalid_payload');
      expectRefused(rectifying(), ev('ESCALATE', cast.leader, { toOrgUnitId: DEPARTMENT, reason: 'x', deadline: YESTERDAY }), 'invalid_payload');

      const escalated = send(rectifying(), ev('ESCALATE', cast.leader, { toOrgUnitId: DEPARTMENT, reason: '镇村无力解决' }));
      expect(escalated.value).toEqual({ rectifying: { work: 'active', extension: 'none' } });
      expect(escalated.context).toMatchObject({
        reviewLevel: 'county',
        responsibleOrgUnitId: DEPARTMENT,
        rectifierId: null,
        deadline: IN_A_WEEK,
      });
      expectRefused(escalated, ev('ESCALATE', cast.leader, { toOrgUnitId: COUNTY, reason: 'x' }), 'not_permitted');
      expectRefused(escalated, ev('REPORT_PROGRESS', cast.rectifier, { comment: 'x' }), 'not_permitted');
      expectRefused(escalated, ev('REPORT_PROGRESS', cast.otherDeptStaff, { comment: 'x' }), 'not_permitted');
      const submitted = send(escalated, ev('SUBMIT_RECTIFICATION', cast.deptStaff, { comment: '已解决', evidence: ['a'] }));
      expectRefused(submitted, ev('ACCEPT', cast.leader), 'not_permitted');
      expect(send(submitted, ev('ACCEPT', cast.county)).context.acceptedById).toBe('u-county');
    });

    it('escalates to the county office or to a named rectifier with a new deadline', () => {
      const toCounty = send(rectifying(), ev('ESCALATE', cast.leader, { toOrgUnitId: COUNTY, reason: 'x' }));
      const submitted = send(toCounty, ev('SUBMIT_RECTIFICATION', cast.county2, { comment: '已解决', evidence: ['a'] }));
      expectRefused(submitted, ev('ACCEPT', cast.county2), 'separation_of_duties');
      expect(send(submitted, ev('ACCEPT', cast.county)).value).toBe('closed');

      const named = send(rectifying(), ev('ESCALATE', cast.leader, { toOrgUnitId: DEPARTMENT, reason: 'x', rectifierId: 'u-dept', deadline: IN_TWO_WEEKS }));
      expect(named.context).toMatchObject({ rectifierId: 'u-dept', deadline: IN_TWO_WEEKS });
      const colleague = { ...cast.deptStaff, userId: 'u-dept-colleague' };
      expectRefused(named, ev('REPORT_PROGRESS', colleague, { comment: 'x' }), 'not_permitted');
    });

    it('marks a long-term item once, with a plan, by the reviewer', () => {
      expectRefused(rectifying(), ev('MARK_LONG_TERM', cast.leader, { plan: '' }), 'invalid_payload');
      expectRefused(rectifying(), ev('MARK_LONG_TERM', cast.rectifier, { plan: '分三年实施' }), 'not_permitted');
      const marked = send(rectifying(), ev('MARK_LONG_TERM', cast.leader, { plan: '分三年实施' }));
      expect(marked.context).toMatchObject({ longTerm: true, longTermPlan: '分三年实施' });
      expectRefused(marked, ev('MARK_LONG_TERM', cast.leader, { plan: '再议' }), 'invalid_state');
    });
  });

  describe('pending_acceptance (reviewer, separation of duties)', () => {
    it('closes the item when the reviewer accepts', () => {
      const accepted = send(pendingAcceptance(), ev('ACCEPT', cast.leader, { comment: '验收合格' }));
      expect(accepted.value).toBe('closed');
      expect(accepted.context.acceptedById).toBe('u-leader');
      expectRefused(pendingAcceptance(), ev('ACCEPT', cast.otherLeader), 'not_permitted');
      expectRefused(pendingAcceptance(), ev('ACCEPT', cast.investigator), 'not_permitted');
    });

    it('refuses a reviewer who is the named rectifier', () => {
      const submitted = pendingAcceptance(VILLAGE_ITEM, cast.leader2);
      expectRefused(submitted, ev('ACCEPT', cast.leader2), 'separation_of_duties');
      expect(send(submitted, ev('ACCEPT', cast.leader)).value).toBe('closed');
    });

    it('refuses a reviewer who fixed the item on the spot', () => {
      const item = { ...VILLAGE_ITEM, investigatorId: cast.leader2.userId };
      const fixed = send(draft(item), ev('SUBMIT', cast.leader2, { fixedOnSite: true, measures: '当场修复' }));
      const confirmed = send(fixed, ev('CONFIRM', cast.leader));
      expectRefused(confirmed, ev('ACCEPT', cast.leader2), 'separation_of_duties');
      expect(send(confirmed, ev('ACCEPT', cast.leader)).value).toBe('closed');
    });

    it('sends a rejected rectification back with an optional new deadline in the future', () => {
      expectRefused(pendingAcceptance(), ev('REJECT_RECTIFICATION', cast.leader, { reason: '' }), 'invalid_payload');
      expectRefused(pendingAcceptance(), ev('REJECT_RECTIFICATION', cast.leader, { reason: '不到位', deadline: YESTERDAY }), 'invalid_payload');
      expectRefused(pendingAcceptance(), ev('REJECT_RECTIFICATION', cast.rectifier, { reason: 'x' }), 'not_permitted');
      const rejected = send(pendingAcceptance(), ev('REJECT_RECTIFICATION', cast.leader, { reason: '不到位', deadline: IN_TWO_WEEKS }));
      expect(stateName(rejected)).toBe('rectifying');
      expect(rejected.context.deadline).toBe(IN_TWO_WEEKS);
    });
  });

  describe('closed and dismissed (inspector)', () => {
    const reopen = { reason: '房屋仍漏雨', deadline: IN_A_WEEK };

    it('records a spot check by an inspector covering the township', () => {
      const checked = send(closed(), ev('SPOT_CHECK_PASS', cast.inspector, { comment: '属实' }));
      expect(checked.value).toBe('closed');
      expect(checked.context.inspected).toBe(true);
      expectRefused(closed(), ev('SPOT_CHECK_PASS', cast.otherInspector), 'not_permitted');
      expectRefused(closed(), ev('SPOT_CHECK_PASS', cast.leader), 'not_permitted');
      expectRefused(closed(), ev('SPOT_CHECK_PASS', { ...cast.inspector, countyId: 'county-x' }), 'not_permitted');
    });

    it('refuses an inspector who signed the item at an earlier step', () => {
      const checked = send(closed(), ev('SPOT_CHECK_PASS', cast.inspector));
      expectRefused(checked, ev('SPOT_CHECK_PASS', cast.inspector), 'separation_of_duties');
      expectRefused(checked, ev('REOPEN', cast.inspector, reopen), 'separation_of_duties');
      expect(send(checked, ev('SPOT_CHECK_PASS', cast.inspector2)).context.inspected).toBe(true);

      const investigatingInspector = { ...cast.inspector2, userId: cast.investigator.userId };
      expectRefused(closed(), ev('SPOT_CHECK_PASS', investigatingInspector), 'separation_of_duties');
    });

    it('lets any inspector of the county check an item without a township', () => {
      const item = closed(DEPARTMENT_ITEM);
      expect(item.can(ev('SPOT_CHECK_PASS', cast.otherInspector))).toBe(true);
      expectRefused(item, ev('SPOT_CHECK_PASS', { ...cast.otherInspector, countyId: 'county-x' }), 'not_permitted');
    });

    it('reopens a closed item into rectifying with a new deadline', () => {
      expectRefused(closed(), ev('REOPEN', cast.inspector, { reason: 'x' }), 'invalid_payload');
      expectRefused(closed(), ev('REOPEN', cast.inspector, { ...reopen, deadline: YESTERDAY }), 'invalid_payload');
      expectRefused(closed(), ev('REOPEN', cast.inspector, { ...reopen, reason: '' }), 'invalid_payload');
      const checked = send(closed(), ev('SPOT_CHECK_PASS', cast.inspector2));
      const reopened = send(checked, ev('REOPEN', cast.inspector, reopen));
      expect(reopened.value).toEqual({ rectifying: { work: 'active', extension: 'none' } });
      expect(reopened.context).toMatchObject({
        reopenCount: 1,
        inspected: false,
        acceptedById: null,
        deadline: IN_A_WEEK,
        rectifierId: 'u-rectifier',
      });
      expect(actionTypes(closed(), ev('REOPEN', cast.inspector, reopen))).toEqual(['notifyRectifier', 'notifyReviewer']);
    });

    it('reopens a dismissed item for review', () => {
      expectRefused(dismissed(), ev('REOPEN', cast.otherInspector, { reason: 'x' }), 'not_permitted');
      expectRefused(dismissed(), ev('REOPEN', cast.inspector, { reason: '' }), 'invalid_payload');
      const reopened = send(dismissed(), ev('REOPEN', cast.inspector, { reason: '应予认定' }));
      expect(reopened.value).toBe('pending_review');
      expect(reopened.context).toMatchObject({ reopenCount: 1, reviewedSinceSubmit: false });
      const plan = { measures: 'x', rectifierId: 'u-rectifier', deadline: IN_A_WEEK };
      expect(send(reopened, ev('CONFIRM', cast.leader, plan)).value).toMatchObject({ rectifying: {} });
    });

    it('confirms a dismissal on a spot check, and keeps it dismissed', () => {
      expectRefused(dismissed(), ev('SPOT_CHECK_PASS', cast.otherInspector), 'not_permitted');
      const passed = send(dismissed(), ev('SPOT_CHECK_PASS', cast.inspector));
      expect(passed.value).toBe('dismissed');
      expect(passed.context).toMatchObject({ inspected: true, reopenCount: 0 });
    });
  });

  describe('signatures', () => {
    it('appends the signer for signed events only', () => {
      const steps: ProblemItemEvent[] = [
        ev('EDIT', cast.investigator),
        ev('SUBMIT', cast.investigator),
        ev('CONFIRM', cast.leader, { measures: 'x', rectifierId: 'u-rectifier', deadline: IN_A_WEEK }),
        ev('REPORT_PROGRESS', cast.rectifier, { comment: 'x' }),
        ev('REQUEST_EXTENSION', cast.rectifier, { reason: 'x', newDeadline: IN_TWO_WEEKS }),
        ev('APPROVE_EXTENSION', cast.leader),
        ev('SUBMIT_RECTIFICATION', cast.rectifier, { comment: 'x', evidence: ['a'] }),
        ev('ACCEPT', cast.leader),
        ev('SPOT_CHECK_PASS', cast.inspector),
      ];
      let snapshot = draft();
      for (const event of steps) {
        const before = snapshot.context.signerIds;
        snapshot = send(snapshot, event);
        const expected = SIGNATURE_KIND_BY_EVENT[event.type] === null ? before : [...before, event.actor.userId];
        expect(snapshot.context.signerIds).toEqual(expected);
      }
      expect(snapshot.context.signerIds).toEqual(['u-investigator', 'u-leader', 'u-rectifier', 'u-leader', 'u-rectifier', 'u-leader', 'u-inspector']);
    });

    it('marks exactly the documented unsigned events as unsigned', () => {
      const unsigned = PROBLEM_ITEM_EVENT_TYPES.filter((t) => SIGNATURE_KIND_BY_EVENT[t] === null);
      expect(unsigned).toEqual(['EDIT', 'DISCARD', 'WITHDRAW', 'REPORT_PROGRESS']);
    });
  });

  describe('availableEvents', () => {
    it.each([
      ['draft', () => draft(), cast.investigator, ['EDIT', 'SUBMIT', 'DISCARD']],
      ['pending_review', () => pendingReview(), cast.investigator, ['WITHDRAW']],
      ['pending_review', () => pendingReview(), cast.leader, ['CONFIRM', 'RETURN', 'DISMISS']],
      ['rectifying', () => rectifying(), cast.rectifier, ['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION', 'REQUEST_EXTENSION']],
      ['rectifying', () => rectifying(), cast.leader, ['ESCALATE', 'MARK_LONG_TERM']],
      ['rectifying', () => rectifying(DEPARTMENT_ITEM), cast.county, ['MARK_LONG_TERM']],
      ['pending_acceptance', () => pendingAcceptance(), cast.leader, ['ACCEPT', 'REJECT_RECTIFICATION']],
      ['closed', () => closed(), cast.inspector, ['SPOT_CHECK_PASS', 'REOPEN']],
      ['dismissed', () => dismissed(), cast.inspector, ['SPOT_CHECK_PASS', 'REOPEN']],
      ['closed', () => closed(), cast.leader, []],
    ] as const)('in %s for %#', (_state, make, who, expected) => {
      expect(availableEvents(make(), who, env())).toEqual(expected);
    });

    it('offers the reviewer the extension decision while a request is pending', () => {
      const request = ev('REQUEST_EXTENSION', cast.rectifier, { reason: 'x', newDeadline: IN_TWO_WEEKS });
      const requested = send(rectifying(), request);
      expect(availableEvents(requested, cast.leader, env())).toEqual(['APPROVE_EXTENSION', 'DENY_EXTENSION', 'ESCALATE', 'MARK_LONG_TERM']);
      expect(availableEvents(requested, cast.rectifier, env())).toEqual(['REPORT_PROGRESS', 'SUBMIT_RECTIFICATION']);
    });

    it('follows the phase and offers nothing to admin or auditor', () => {
      expect(availableEvents(closed(), cast.inspector, env('summary'))).toEqual(['SPOT_CHECK_PASS']);
      expect(availableEvents(draft(), cast.investigator, env(null))).toEqual([]);
      for (const make of [draft, pendingReview, rectifying, pendingAcceptance, closed, dismissed]) {
        expect(availableEvents(make(), cast.admin, env())).toEqual([]);
        expect(availableEvents(make(), cast.auditor, env())).toEqual([]);
      }
    });
  });

  it('names the top-level state', () => {
    expect(stateName(draft())).toBe('draft');
    expect(stateName(rectifying())).toBe('rectifying');
    expect(stateName({ value: { rectifying: { work: 'active', extension: 'requested' } } })).toBe('rectifying');
  });
});
