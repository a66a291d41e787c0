import { highlightMermaid, itemStateIds, localizeMermaid } from './workflow-diagram';

// An excerpt of GET /api/workflows/problem-item as the API draws it.
const CHART = `stateDiagram-v2
  [*] --> draft
  state "draft" as draft
  draft : 草稿
  state "pending_review" as pending_review
  pending_review : 待审核
  state "rectifying" as rectifying {
    state "extension" as rectifying_extension {
      [*] --> rectifying_extension_none
      state "none" as rectifying_extension_none
      state "requested" as rectifying_extension_requested
      rectifying_extension_requested : 延期申请待审批
      rectifying_extension_none --> rectifying_extension_requested : REQUEST_EXTENSION
    }
  }
  state "closed" as closed
  closed : 已销号
  draft --> pending_review : SUBMIT
  pending_review --> rectifying : CONFIRM
  closed --> rectifying : REOPEN
  closed --> closed : SOMETHING_NEW
`;

describe('workflow diagram', () => {
  it('titles states in Chinese and drops the description lines', () => {
    const out = localizeMermaid(CHART);
    expect(out).toContain('state "草稿" as draft');
    expect(out).toContain('state "待审核" as pending_review');
    expect(out).toContain('state "整改中" as rectifying {');
    expect(out).toContain('state "延期申请待审批" as rectifying_extension_requested');
    expect(out).toContain('state "未申请延期" as rectifying_extension_none');
    expect(out).not.toMatch(/^\s*draft : 草稿$/m);
    expect(out).toContain('[*] --> draft');
  });

  it('labels events in Chinese and keeps unknown ones', () => {
    const out = localizeMermaid(CHART);
    expect(out).toContain('draft --> pending_review : 排查签字');
    expect(out).toContain('pending_review --> rectifying : 审核确认');
    expect(out).toContain('rectifying_extension_none --> rectifying_extension_requested : 申请延期');
    expect(out).toContain('closed --> closed : SOMETHING_NEW');
  });

  it('marks a rectifying item in both of its regions', () => {
    expect(itemStateIds('rectifying', false)).toEqual(['rectifying', 'rectifying_work_active', 'rectifying_extension_none']);
    expect(itemStateIds('rectifying', true)).toContain('rectifying_extension_requested');
    expect(itemStateIds('closed', false)).toEqual(['closed']);
  });

  it('adds a current class for the states present in the chart only', () => {
    const out = highlightMermaid(CHART, ['rectifying', 'rectifying_work_active', 'rectifying_extension_requested']);
    expect(out).toMatch(/classDef current /);
    expect(out.trimEnd().split('\n').pop()).toBe('  class rectifying,rectifying_extension_requested current');
    expect(highlightMermaid(CHART, ['nowhere'])).toBe(CHART);
  });

  it('does not mistake a state whose id is a prefix of another', () => {
    const out = highlightMermaid('stateDiagram-v2\n  state "a" as closed_x\n', ['closed']);
    expect(out).not.toContain('class closed');
  });
});
