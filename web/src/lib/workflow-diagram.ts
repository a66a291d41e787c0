/**
 * The Mermaid state charts of GET /api/workflows/{id}, prepared for people:
 * state and event names in Chinese, and the record's current state marked.
 * The API draws states as `state "key" as mermaid_id` (+ `mermaid_id : 描述`)
 * and transitions as `a --> b : EVENT`.
 */

/** Event names as the diagram shows them (short; the action buttons use the full labels). */
export const WORKFLOW_EVENT_LABELS: Record<string, string> = {
  EDIT: '修改',
  SUBMIT: '排查签字',
  DISCARD: '作废',
  WITHDRAW: '撤回',
  CONFIRM: '审核确认',
  RETURN: '退回',
  DISMISS: '不予认定',
  REPORT_PROGRESS: '报告进展',
  SUBMIT_RECTIFICATION: '整改签字',
  REQUEST_EXTENSION: '申请延期',
  APPROVE_EXTENSION: '批准延期',
  DENY_EXTENSION: '不批准延期',
  ESCALATE: '上报县级',
  MARK_LONG_TERM: '转为长期整改',
  ACCEPT: '验收销号',
  REJECT_RECTIFICATION: '验收不通过',
  SPOT_CHECK_PASS: '督查签字',
  REOPEN: '重新打开',
  EDIT_PLAN: '修改方案',
  START: '启动',
  ADVANCE_PHASE: '推进阶段',
  ARCHIVE: '归档',
};

/** Names for states the API draws without a description (compound states and their regions). */
export const WORKFLOW_STATE_LABELS: Record<string, string> = {
  rectifying: '整改中',
  rectifying_work: '整改',
  rectifying_work_active: '整改进行中',
  rectifying_extension: '延期',
  rectifying_extension_none: '未申请延期',
  rectifying_extension_requested: '延期申请待审批',
  running: '进行中',
  draft: '草稿',
  archived: '已归档',
};

const STATE_LINE = /^(\s*)state "([^"]*)" as ([A-Za-z0-9_]+)(\s*\{)?\s*$/;
const DESCRIPTION_LINE = /^\s*([A-Za-z0-9_]+) : (.+)$/;
const EDGE_LINE = /^(\s*\S+ --> \S+) : ([A-Z_]+)\s*$/;

/**
 * Rewrites the chart with Chinese names: a state's description (or the
 * fallback table) becomes its title, description lines are dropped, and
 * events get their Chinese labels. Unknown names are left as they are.
 */
export function localizeMermaid(source: string): string {
  const lines = source.split('\n');
  const descriptions = new Map<string, string>();
  for (const line of lines) {
    const m = DESCRIPTION_LINE.exec(line);
    if (m && !line.includes('-->')) descriptions.set(m[1], m[2].trim());
  }
  const out: string[] = [];
  for (const line of lines) {
    const state = STATE_LINE.exec(line);
    if (state) {
      const [, indent, key, id, brace] = state;
      const title = descriptions.get(id) ?? WORKFLOW_STATE_LABELS[id] ?? key;
      out.push(`${indent}state "${title.replace(/"/g, '”')}" as ${id}${brace ? ' {' : ''}`);
      continue;
    }
    if (DESCRIPTION_LINE.test(line) && !line.includes('-->')) continue;
    const edge = EDGE_LINE.exec(line);
    if (edge) {
      out.push(`${edge[1]} : ${WORKFLOW_EVENT_LABELS[edge[2]] ?? edge[2]}`);
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The Mermaid ids of the states a problem item is in (rectifying is parallel: work + extension). */
export function itemStateIds(state: string, extensionPending: boolean): string[] {
  if (state === 'rectifying')
    return ['rectifying', 'rectifying_work_active', extensionPending ? 'rectifying_extension_requested' : 'rectifying_extension_none'];
  return [state];
}

/** Marks the given states (those present in the chart) with a `current` class. */
export function highlightMermaid(source: string, stateIds: string[]): string {
  const present = stateIds.filter((id) => new RegExp(`\\bas ${id}\\b`).test(source) || new RegExp(`^\\s*${id}\\b`, 'm').test(source));
  if (!present.length) return source;
  const body = source.replace(/\s+$/, '');
  return `${body}\n  classDef current fill:#fff1f0,stroke:#cf1322,stroke-width:3px,color:#a8071a,font-weight:bold\n  class ${present.join(',')} current\n`;
}
