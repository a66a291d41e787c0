import { getStateNodes as activeStateNodes, type AnyStateNode } from 'xstate';
import { getShortestPaths, getSimplePaths, getStateNodes } from 'xstate/graph';
import { applyEvent } from '../common';
import { cast, COUNTY, env } from '../problem-item/problem-item.fixtures';
import { campaignMachine as machine, currentPhaseKind, type CampaignSnapshot } from './campaign.machine';
import type { CampaignEvent, CampaignPhase } from './campaign.types';

/** Every state node is reachable and every transition is taken, with a county office driving a 3-phase plan. */

const PHASES: CampaignPhase[] = [
  { kind: 'investigation', name: '排查', startDate: null, endDate: null },
  { kind: 'rectification', name: '整改', startDate: null, endDate: null },
  { kind: 'summary', name: '总结', startDate: null, endDate: null },
];
const E = env(null);

function sampleEvents(snapshot: CampaignSnapshot): CampaignEvent[] {
  return [cast.county, cast.leader].flatMap((actor): CampaignEvent[] => [
    { type: 'EDIT_PLAN', actor, env: E, phases: snapshot.context.phases },
    { type: 'START', actor, env: E },
    { type: 'ADVANCE_PHASE', actor, env: E, blockingItemCount: 0 },
    { type: 'ADVANCE_PHASE', actor, env: E, blockingItemCount: 2 },
    { type: 'ARCHIVE', actor, env: E },
  ]);
}

const traversal = { input: { id: 'campaign-1', countyId: COUNTY, phases: PHASES }, events: sampleEvents };

function transitionKey(source: AnyStateNode, eventType: string, index: number): string {
  const candidate = source.transitions.get(eventType)![index];
  return `${source.id} --${eventType}#${index}--> ${candidate.target?.map((t) => t.id).join(',') ?? '(self)'}`;
}

describe('campaign graph', () => {
  const paths = getShortestPaths(machine, traversal);

  it('reaches every state node and every phase of the plan', () => {
    const reached = new Set(paths.flatMap((p) => activeStateNodes(machine.root, p.state.value).map((n) => n.id)));
    expect(
      getStateNodes(machine)
        .map((n) => n.id)
        .filter((id) => !reached.has(id)),
    ).toEqual([]);
    const kinds = new Set(paths.map((p) => currentPhaseKind(p.state)));
    expect(kinds).toEqual(new Set([null, 'investigation', 'rectification', 'summary']));
  });

  it('takes every transition of the definition', () => {
    const defined = new Set<string>();
    for (const node of [machine.root, ...getStateNodes(machine)]) {
      for (const [type, candidates] of node.transitions) {
        candidates.forEach((_, i) => defined.add(transitionKey(node, type, i)));
      }
    }
    const taken = new Set<string>();
    for (const { state } of paths) {
      for (const event of sampleEvents(state)) {
        if (!applyEvent(machine, state, event).accepted) continue;
        for (const t of machine.getTransitionData(state, event)) {
          taken.add(transitionKey(t.source, t.eventType, t.source.transitions.get(t.eventType)!.indexOf(t)));
        }
      }
    }
    expect([...defined].filter((k) => !taken.has(k))).toEqual([]);
    expect(defined.size).toBe(4);
  });

  it('enters summary only through advances with no blocking items', () => {
    const toSummary = getSimplePaths(machine, {
      ...traversal,
      toState: (s) => currentPhaseKind(s) === 'summary',
    });
    expect(toSummary.length).toBeGreaterThan(0);
    for (const path of toSummary) {
      const last = path.steps[path.steps.length - 1].event;
      expect(last).toMatchObject({ type: 'ADVANCE_PHASE', blockingItemCount: 0, actor: cast.county });
    }
  });
});
