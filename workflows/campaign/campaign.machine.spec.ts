import { transition } from 'xstate';
import { applyEvent } from '../common';
import { cast, env, OTHER_COUNTY, COUNTY, TOWNSHIP } from '../problem-item/problem-item.fixtures';
import {
  availableCampaignEvents,
  CAMPAIGN_WORKFLOW,
  campaignMachine as machine,
  campaignStateName,
  createCampaignSnapshot,
  currentPhase,
  currentPhaseKind,
  explainCampaignRefusal,
  isPhaseOverdue,
  type CampaignSnapshot,
} from './campaign.machine';
import {
  CAMPAIGN_EVENT_TYPES,
  CAMPAIGN_SIGNATURE_KIND_BY_EVENT,
  type CampaignEvent,
  type CampaignInput,
  type CampaignPhase,
  type CampaignRefusal,
} from './campaign.types';

/** 霍邱's plan: 动员培训 → 实地排查 → 问题整改及动态管理 → 工作总结. */
const HUOQIU_PHASES: CampaignPhase[] = [
  { kind: 'mobilization', name: '动员培训', startDate: '2021-06-05', endDate: '2021-06-09' },
  { kind: 'investigation', name: '实地排查', startDate: '2021-06-10', endDate: '2021-06-15' },
  { kind: 'rectification', name: '问题整改及动态管理', startDate: '2021-06-16', endDate: '2021-06-25' },
  { kind: 'summary', name: '工作总结', startDate: '2021-06-26', endDate: '2021-06-28' },
];

const INPUT: CampaignInput = { id: 'campaign-1', countyId: COUNTY, phases: HUOQIU_PHASES };
const E = env(null);

const start = (who = cast.county): CampaignEvent => ({ type: 'START', actor: who, env: E });
const advance = (blockingItemCount: number, who = cast.county): CampaignEvent => ({
  type: 'ADVANCE_PHASE',
  actor: who,
  env: E,
  blockingItemCount,
});
const archive = (who = cast.county): CampaignEvent => ({ type: 'ARCHIVE', actor: who, env: E });
const editPlan = (phases: CampaignPhase[], who = cast.county): CampaignEvent => ({
  type: 'EDIT_PLAN',
  actor: who,
  env: E,
  phases,
});

function send(snapshot: CampaignSnapshot, event: CampaignEvent): CampaignSnapshot {
  const result = applyEvent(machine, snapshot, event);
  if (!result.accepted) throw new Error(`${event.type} refused: ${explainCampaignRefusal(snapshot, event)}`);
  return result.snapshot;
}

function expectRefused(snapshot: CampaignSnapshot, event: CampaignEvent, reason: CampaignRefusal): void {
  expect(applyEvent(machine, snapshot, event)).toEqual({ accepted: false, snapshot, actions: [] });
  expect(explainCampaignRefusal(snapshot, event)).toBe(reason);
}

const draft = (input: CampaignInput = INPUT) => createCampaignSnapshot(input);
const facts = (blockingItemCount: number) => ({ blockingItemCount });
const running = () => send(draft(), start());
const atPhase = (index: number) => {
  let snapshot = running();
  for (let i = 0; i < index; i++) snapshot = send(snapshot, advance(0));
  return snapshot;
};

describe('campaign machine', () => {
  it('registers as campaign v1 and starts as a draft without a current phase', () => {
    expect(CAMPAIGN_WORKFLOW).toMatchObject({ id: 'campaign', version: 1, machine });
    const snapshot = draft();
    expect(campaignStateName(snapshot)).toBe('draft');
    expect(snapshot.context).toEqual({ ...INPUT, townshipId: null, phaseIndex: -1 });
    expect(currentPhase(snapshot)).toBeNull();
    expect(currentPhaseKind(snapshot)).toBeNull();
    expect(CAMPAIGN_EVENT_TYPES.map((t) => CAMPAIGN_SIGNATURE_KIND_BY_EVENT[t])).toEqual([null, 'campaign_start', 'phase_advance', 'archive']);
  });

  it('lets the county office of the county edit a valid plan while draft', () => {
    const plan = HUOQIU_PHASES.slice(1);
    expect(send(draft(), editPlan(plan)).context.phases).toEqual(plan);
    expectRefused(draft(), editPlan(plan, cast.otherCounty), 'not_permitted');
    expectRefused(draft(), editPlan(plan, cast.leader), 'not_permitted');
    expectRefused(draft(), editPlan(plan, cast.admin), 'not_permitted');
    expectRefused(draft(), editPlan([]), 'invalid_payload');
    expectRefused(draft(), editPlan([{ ...plan[0], kind: 'inspection' as never }]), 'invalid_payload');
    expectRefused(draft(), editPlan([{ ...plan[0], name: ' ' }]), 'invalid_payload');
    expectRefused(draft(), editPlan([{ ...plan[0], startDate: '2021-06-15', endDate: '2021-06-10' }]), 'invalid_payload');
    expectRefused(running(), editPlan(plan), 'invalid_state');
  });

  it('starts at the first planned phase, signed by the county office', () => {
    const result = applyEvent(machine, draft(), start());
    expect(result.accepted).toBe(true);
    expect(result.actions.map((a) => a.type)).toEqual(['notifyParticipants']);
    expect(result.snapshot.value).toBe('running');
    expect(currentPhase(result.snapshot)).toEqual(HUOQIU_PHASES[0]);
    expect(currentPhaseKind(result.snapshot)).toBe('mobilization');
    expectRefused(draft(), start(cast.otherCounty), 'not_permitted');
    expectRefused(draft(), start(cast.inspector), 'not_permitted');
    expectRefused(draft({ ...INPUT, phases: [] }), start(), 'invalid_state');
    expectRefused(running(), start(), 'invalid_state');
  });

  it('advances one phase at a time and stops at the last one', () => {
    const investigation = send(running(), advance(5));
    expect(investigation.context.phaseIndex).toBe(1);
    expect(currentPhaseKind(investigation)).toBe('investigation');
    expectRefused(investigation, advance(0, cast.leader), 'not_permitted');
    expectRefused(investigation, advance(-1), 'invalid_payload');
    expectRefused(investigation, advance(1.5), 'invalid_payload');
    expectRefused(investigation, { ...advance(0), blockingItemCount: '0' } as unknown as CampaignEvent, 'invalid_payload');
    expectRefused(atPhase(3), advance(0), 'invalid_state');
    expectRefused(draft(), advance(0), 'invalid_state');
  });

  it('enters summary only when no item blocks it', () => {
    const rectification = atPhase(2);
    expectRefused(rectification, advance(3), 'open_items_block_summary');
    const summary = send(rectification, advance(0));
    expect(currentPhase(summary)).toEqual(HUOQIU_PHASES[3]);
  });

  it('archives a running campaign into a final, read-only state', () => {
    expectRefused(draft(), archive(), 'invalid_state');
    expectRefused(running(), archive(cast.leader), 'not_permitted');
    const archived = send(atPhase(3), archive());
    expect(archived.value).toBe('archived');
    expect(archived.status).toBe('done');
    expect(currentPhase(archived)).toBeNull();
    expectRefused(archived, advance(0), 'invalid_state');
    expect(availableCampaignEvents(archived, cast.county, E, { blockingItemCount: 0 })).toEqual([]);
  });

  it('round-trips through a persisted snapshot', () => {
    const snapshot = atPhase(2);
    const stored = JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot)));
    const restored = machine.resolveState({ value: stored.value, context: stored.context });
    expect(restored.context).toEqual(snapshot.context);
    expect(send(restored, advance(0)).context.phaseIndex).toBe(3);
    const [same, actions] = transition(machine, restored, advance(1));
    expect(same).toBe(restored);
    expect(actions).toEqual([]);
  });

  it('lists available events from the blocking count the engine supplies', () => {
    expect(availableCampaignEvents(draft(), cast.county, E, facts(0))).toEqual(['EDIT_PLAN', 'START']);
    expect(availableCampaignEvents(atPhase(2), cast.county, E, facts(2))).toEqual(['ARCHIVE']);
    expect(availableCampaignEvents(atPhase(2), cast.county, E, facts(0))).toEqual(['ADVANCE_PHASE', 'ARCHIVE']);
    expect(availableCampaignEvents(atPhase(2), cast.leader, E, facts(0))).toEqual([]);
    expect(availableCampaignEvents(draft({ ...INPUT, countyId: OTHER_COUNTY }), cast.county, E, facts(0))).toEqual([]);
  });

  describe('a township campaign (干汊河: the township runs its own plan)', () => {
    const TOWNSHIP_INPUT: CampaignInput = { ...INPUT, townshipId: TOWNSHIP };

    it('is started, advanced and archived by that township leader, and by nobody else (the county office included)', () => {
      let snapshot = draft(TOWNSHIP_INPUT);
      for (const who of [cast.county, cast.otherLeader, cast.investigator, cast.deptStaff]) expectRefused(snapshot, start(who), 'not_permitted');
      expect(availableCampaignEvents(snapshot, cast.leader, E, facts(0))).toEqual(['EDIT_PLAN', 'START']);
      expect(availableCampaignEvents(snapshot, cast.county, E, facts(0))).toEqual([]);
      snapshot = send(snapshot, start(cast.leader));
      expectRefused(snapshot, advance(0, cast.county), 'not_permitted');
      snapshot = send(snapshot, advance(0, cast.leader));
      expectRefused(snapshot, archive(cast.county), 'not_permitted');
      expect(campaignStateName(send(snapshot, archive(cast.leader)))).toBe('archived');
    });

    it('a county campaign stays the county office’s: a township leader cannot run it', () => {
      expectRefused(draft(), start(cast.leader), 'not_permitted');
      // Snapshots stored before township campaigns existed have no townshipId: they are county campaigns.
      const legacy = draft();
      delete (legacy.context as { townshipId?: string | null }).townshipId;
      expect(applyEvent(machine, legacy, start()).accepted).toBe(true);
    });
  });

  describe('isPhaseOverdue (已超期)', () => {
    it('flags a phase past its end while it is current or still ahead, never one left behind, an archived campaign or an open end', () => {
      const flags = (s: CampaignSnapshot, today: string) => HUOQIU_PHASES.map((_, i) => isPhaseOverdue(s, i, today));
      expect(flags(draft(), '2021-06-09')).toEqual([false, false, false, false]);
      // The end day itself is still inside the window.
      expect(flags(draft(), '2021-06-10')).toEqual([true, false, false, false]);
      expect(flags(atPhase(1), '2021-06-20')).toEqual([false, true, false, false]);
      expect(flags(atPhase(1), '2021-07-01')).toEqual([false, true, true, true]);
      expect(flags(send(atPhase(1), archive()), '2021-07-01')).toEqual([false, false, false, false]);
      const open = draft({ ...INPUT, phases: [{ kind: 'improvement', name: '提升', startDate: '2021-01-01', endDate: null }] });
      expect(isPhaseOverdue(open, 0, '2030-01-01')).toBe(false);
    });
  });
});
