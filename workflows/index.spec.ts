import { CAMPAIGN_WORKFLOW, latest, latestWorkflow, listWorkflows, PROBLEM_ITEM_WORKFLOW, resolveMachine, toMermaid, UnknownWorkflowError } from './index';

describe('workflow registry', () => {
  it('resolves stored (id, version) pairs to machines', () => {
    expect(resolveMachine('problem-item', 1)).toBe(PROBLEM_ITEM_WORKFLOW.machine);
    expect(resolveMachine('campaign', 1)).toBe(CAMPAIGN_WORKFLOW.machine);
    expect(latest['problem-item'].version).toBe(1);
    expect(latestWorkflow('campaign')).toBe(CAMPAIGN_WORKFLOW);
  });

  it('throws UnknownWorkflowError for anything else', () => {
    expect(() => resolveMachine('problem-item', 2)).toThrow(UnknownWorkflowError);
    expect(() => resolveMachine('ledger', 1)).toThrow('Unknown workflow "ledger" version 1');
    expect(() => latestWorkflow('ledger')).toThrow(UnknownWorkflowError);
    const error = (() => {
      try {
        resolveMachine('campaign', 7);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'UnknownWorkflowError', workflowId: 'campaign', version: 7 });
  });

  it('lists each workflow with its state paths and events', () => {
    const [item, campaign] = listWorkflows();
    expect(item).toMatchObject({ id: 'problem-item', version: 1 });
    expect(item.states).toContain('rectifying.extension.requested');
    expect(item.states).toHaveLength(13);
    expect(item.events).toHaveLength(18);
    expect(campaign).toMatchObject({
      id: 'campaign',
      version: 1,
      states: ['draft', 'running', 'archived'],
      events: ['ADVANCE_PHASE', 'ARCHIVE', 'EDIT_PLAN', 'START'],
    });
  });
});

describe('toMermaid', () => {
  it('draws the problem item with its parallel regions and every transition', () => {
    const text = toMermaid(PROBLEM_ITEM_WORKFLOW.machine);
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain('[*] --> draft');
    expect(lines).toContain('state "rectifying" as rectifying {');
    expect(lines).toContain('--');
    expect(lines).toContain('[*] --> rectifying_extension_none');
    expect(lines).toContain('rectifying_extension_none --> rectifying_extension_requested : REQUEST_EXTENSION');
    expect(lines).toContain('pending_review --> pending_acceptance : CONFIRM');
    expect(lines).toContain('pending_review --> rectifying : CONFIRM');
    expect(lines).toContain('closed --> closed : SPOT_CHECK_PASS');
    expect(lines).toContain('dismissed --> dismissed : SPOT_CHECK_PASS');
    expect(lines).toContain('discarded --> [*]');
    expect(lines.filter((l) => l.includes(' --> ') && !l.includes('[*]'))).toHaveLength(23);
  });

  it('draws the campaign', () => {
    expect(toMermaid(CAMPAIGN_WORKFLOW.machine)).toContain('draft --> running : START');
  });
});
