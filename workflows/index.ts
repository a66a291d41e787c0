import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { CAMPAIGN_WORKFLOW, type CampaignMachine } from './campaign/campaign.machine';
import { PROBLEM_ITEM_WORKFLOW, type ProblemItemMachine } from './problem-item/problem-item.machine';

export * from './common';
export * from './problem-item/problem-item.types';
export * from './problem-item/problem-item.machine';
export * from './problem-item/problem-item.facts';
export * from './problem-item/problem-item.notices';
export * from './campaign/campaign.types';
export * from './campaign/campaign.machine';

/**
 * Registry of process definitions. Every stored snapshot carries the machine
 * id and version it was written with and is restored with that machine: when a
 * definition changes incompatibly, add a new version beside the old one and
 * keep the old one here for as long as stored snapshots use it.
 */
export interface WorkflowDefinition<TMachine extends AnyStateMachine = AnyStateMachine> {
  id: string;
  version: number;
  description: string;
  machine: TMachine;
}

export class UnknownWorkflowError extends Error {
  override readonly name = 'UnknownWorkflowError';

  constructor(
    readonly workflowId: string,
    readonly version: number | null,
  ) {
    super(version === null ? `Unknown workflow "${workflowId}"` : `Unknown workflow "${workflowId}" version ${version}`);
  }
}

const WORKFLOWS: readonly WorkflowDefinition[] = [PROBLEM_ITEM_WORKFLOW, CAMPAIGN_WORKFLOW];

export type WorkflowId = typeof PROBLEM_ITEM_WORKFLOW.id | typeof CAMPAIGN_WORKFLOW.id;

/** The version new records are created with, per workflow id. */
export const latest = {
  'problem-item': PROBLEM_ITEM_WORKFLOW,
  campaign: CAMPAIGN_WORKFLOW,
} as const satisfies Record<WorkflowId, WorkflowDefinition>;

/** The machine a stored snapshot was written with; throws `UnknownWorkflowError` if none. */
export function resolveMachine(id: 'problem-item', version: number): ProblemItemMachine;
export function resolveMachine(id: 'campaign', version: number): CampaignMachine;
export function resolveMachine(id: string, version: number): AnyStateMachine;
export function resolveMachine(id: string, version: number): AnyStateMachine {
  return resolveWorkflow(id, version).machine;
}

export function resolveWorkflow(id: string, version: number): WorkflowDefinition {
  const found = WORKFLOWS.find((w) => w.id === id && w.version === version);
  if (!found) throw new UnknownWorkflowError(id, version);
  return found;
}

export function latestWorkflow(id: string): WorkflowDefinition {
  // Own keys only: ids come from URLs, and `toString` or `__proto__` name no workflow.
  const found = Object.hasOwn(latest, id) ? (latest as Record<string, WorkflowDefinition>)[id] : undefined;
  if (!found) throw new UnknownWorkflowError(id, null);
  return found;
}

export interface WorkflowSummary {
  id: string;
  version: number;
  description: string;
  /** Dotted paths of every state node, e.g. `rectifying.extension.requested`. */
  states: string[];
  events: string[];
}

export function listWorkflows(): WorkflowSummary[] {
  return WORKFLOWS.map(({ id, version, description, machine }) => ({
    id,
    version,
    description,
    states: descendants(machine.root).map((node) => node.path.join('.')),
    events: [...machine.events].sort(),
  }));
}

function children(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states) as AnyStateNode[];
}

function descendants(node: AnyStateNode): AnyStateNode[] {
  return children(node).flatMap((child) => [child, ...descendants(child)]);
}

function mermaidId(node: AnyStateNode): string {
  return node.path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

/** `node` and its ancestors, nearest first. */
function lineage(node: AnyStateNode): AnyStateNode[] {
  const chain: AnyStateNode[] = [];
  for (let n: AnyStateNode | undefined = node; n; n = n.parent) chain.push(n);
  return chain;
}

/**
 * Mermaid cannot draw a transition between states of different composite
 * states, so each transition is drawn between the children of the nearest
 * common (non-parallel) ancestor that lead to its source and target, inside
 * that ancestor's block.
 */
function placeEdge(source: AnyStateNode, target: AnyStateNode): { container: AnyStateNode; from: AnyStateNode; to: AnyStateNode } {
  const targetLineage = lineage(target);
  let container = lineage(source)
    .slice(1)
    .find((a) => targetLineage.slice(1).includes(a)) as AnyStateNode;
  while (container.type === 'parallel' && container.parent) container = container.parent;
  const childOf = (n: AnyStateNode) => lineage(n).find((a) => a.parent === container) ?? n;
  return { container, from: childOf(source), to: childOf(target) };
}

/** A Mermaid `stateDiagram-v2` of the machine's states, parallel regions and transitions. */
export function toMermaid(machine: AnyStateMachine): string {
  const edges = new Map<AnyStateNode, Set<string>>();
  for (const node of descendants(machine.root)) {
    for (const [eventType, transitions] of node.transitions) {
      for (const t of transitions) {
        for (const target of t.target?.length ? t.target : [node]) {
          const { container, from, to } = placeEdge(node, target);
          const set = edges.get(container) ?? new Set<string>();
          set.add(`${mermaidId(from)} --> ${mermaidId(to)} : ${eventType}`);
          edges.set(container, set);
        }
      }
    }
  }

  const lines = ['stateDiagram-v2'];
  const emit = (depth: number, text: string) => lines.push(`${'  '.repeat(depth)}${text}`);

  const renderContents = (node: AnyStateNode, depth: number) => {
    if (node.type === 'parallel') {
      children(node).forEach((region, i) => {
        if (i > 0) emit(depth, '--');
        renderNode(region, depth);
      });
    } else {
      for (const initial of node.initial?.target ?? []) emit(depth, `[*] --> ${mermaidId(initial)}`);
      for (const child of children(node)) renderNode(child, depth);
    }
    for (const edge of edges.get(node) ?? []) emit(depth, edge);
  };

  const renderNode = (node: AnyStateNode, depth: number) => {
    const id = mermaidId(node);
    if (node.type === 'compound' || node.type === 'parallel') {
      emit(depth, `state "${node.key}" as ${id} {`);
      renderContents(node, depth + 1);
      emit(depth, '}');
    } else {
      emit(depth, `state "${node.key}" as ${id}`);
    }
    if (node.description && node.type !== 'compound' && node.type !== 'parallel') {
      emit(depth, `${id} : ${node.description}`);
    }
    if (node.type === 'final') emit(depth, `${id} --> [*]`);
  };

  renderContents(machine.root, 1);
  return `${lines.join('\n')}\n`;
}
