import dayjs from 'dayjs';
import { ITEM_ACTION_LABELS, type ItemAction, type ItemState } from './labels';

/**
 * What each workflow event asks of the user: the form fields, which are
 * required (the service's one payload table, src/items/dto/item-event.payloads.ts,
 * and the machine's guards decide; this mirrors them for the form),
 * whether it is a signature, and how the button looks. The forms in
 * components/actions render from this; the service still has the last word.
 */

export type ActionField = 'comment' | 'reason' | 'measures' | 'rectifierId' | 'deadline' | 'newDeadline' | 'toOrgUnitId' | 'evidence' | 'plan' | 'fixedOnSite';

export type FieldKind = 'textarea' | 'date' | 'rectifier' | 'department' | 'photos' | 'switch';

export interface FieldSpec {
  name: ActionField;
  kind: FieldKind;
  label: string;
  required: boolean;
  /** Required only while this other (switch) field is on. */
  requiredWhen?: ActionField;
  placeholder?: string;
  help?: string;
  /** Dates: must also be later than the item's current 整改时限. */
  afterCurrentDeadline?: boolean;
}

export interface ActionSpec {
  type: ItemAction;
  label: string;
  /** Written into the signature chain in the user's name. */
  signature: boolean;
  danger: boolean;
  primary: boolean;
  fields: FieldSpec[];
  /** Shown above the fields, e.g. what happens next. */
  note?: string;
  okText: string;
  /** The message after it succeeded. */
  doneText: string;
  /** Sent through the offline outbox (field work with photos). */
  offline: boolean;
  /** Not a form: the action is a page (EDIT is PATCH /api/items/{id} on the edit page). */
  route?: (id: string) => string;
}

/** The item fields the forms depend on. */
export interface ActionItem {
  state: ItemState | string;
  fixedOnSite: boolean;
  measures?: string | null;
  deadline?: string | null;
  /** A pending 申请延期. */
  extension?: { requestedDeadline: string; reason: string } | null;
}

export const TEXT_MAX = 4000;
export const EVIDENCE_MAX = 20;

/** Button order: the step that moves the item forward first, the ones that send it back last. */
export const ACTION_ORDER: readonly ItemAction[] = [
  'SUBMIT',
  'CONFIRM',
  'SUBMIT_RECTIFICATION',
  'ACCEPT',
  'SPOT_CHECK_PASS',
  'APPROVE_EXTENSION',
  'DENY_EXTENSION',
  'REPORT_PROGRESS',
  'REQUEST_EXTENSION',
  'ESCALATE',
  'MARK_LONG_TERM',
  'RETURN',
  'REJECT_RECTIFICATION',
  'DISMISS',
  'REOPEN',
  'WITHDRAW',
  'EDIT',
  'DISCARD',
];

const PRIMARY = new Set<ItemAction>(['SUBMIT', 'CONFIRM', 'SUBMIT_RECTIFICATION', 'ACCEPT', 'SPOT_CHECK_PASS', 'APPROVE_EXTENSION']);
const DANGER = new Set<ItemAction>(['RETURN', 'DISMISS', 'REJECT_RECTIFICATION', 'DENY_EXTENSION', 'REOPEN', 'DISCARD']);
const UNSIGNED = new Set<ItemAction>(['EDIT', 'DISCARD', 'WITHDRAW', 'REPORT_PROGRESS']);

/** The reviewer's decisions: what a delegate (委派) signs for the delegator, "代 X". */
export const REVIEWER_ACTIONS: ReadonlySet<ItemAction> = new Set<ItemAction>([
  'CONFIRM',
  'RETURN',
  'DISMISS',
  'APPROVE_EXTENSION',
  'DENY_EXTENSION',
  'ESCALATE',
  'MARK_LONG_TERM',
  'ACCEPT',
  'REJECT_RECTIFICATION',
]);

/** The warning above a signed action: whose name the signature bears. */
export function signatureWarning(action: ItemAction, actingFor: { name: string } | null | undefined): string {
  return actingFor && REVIEWER_ACTIONS.has(action)
    ? `此操作将以您的名义代 ${actingFor.name} 签字（委派），签字同时记录双方，记入签字链，不可修改。`
    : '此操作将以您的名义签字，记入签字链，不可修改。';
}

/** Where the generic "已<label>" reads wrong. */
const DONE_TEXT: Partial<Record<ItemAction, string>> = {
  SUBMIT: '已提交，等待审核',
  SUBMIT_RECTIFICATION: '已提交整改，等待验收',
  REJECT_RECTIFICATION: '验收不通过，已退回整改',
  ESCALATE: '已上报',
};

/** The actions to offer, in button order; unknown names (a newer server) are left out. */
export function visibleActions(available: readonly string[]): ItemAction[] {
  return ACTION_ORDER.filter((a) => available.includes(a));
}

/**
 * Actions that are open to someone while the item waits on another person
 * (a leader may escalate any rectifying item); as the service's inbox, they
 * alone do not make an item a 待办.
 */
const HOUSEKEEPING = new Set<string>(['EDIT', 'REPORT_PROGRESS', 'ESCALATE', 'MARK_LONG_TERM']);

/** Whether an item with these available actions belongs in the 待办 list. */
export function isInboxActionable(available: readonly string[]): boolean {
  return available.some((a) => !HOUSEKEEPING.has(a));
}

const text = (name: ActionField, label: string, required: boolean, placeholder?: string): FieldSpec => ({
  name,
  kind: 'textarea',
  label,
  required,
  placeholder,
});

const date = (name: ActionField, label: string, required: boolean, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  kind: 'date',
  label,
  required,
  ...extra,
});

function extensionNote(item: ActionItem): string | undefined {
  if (!item.extension) return undefined;
  const from = item.deadline ? `由 ${item.deadline} ` : '';
  return `申请${from}延至 ${item.extension.requestedDeadline}，理由：${item.extension.reason}`;
}

function fieldsOf(type: ItemAction, item: ActionItem): { fields: FieldSpec[]; note?: string } {
  switch (type) {
    case 'SUBMIT':
      return {
        fields: [
          { name: 'fixedOnSite', kind: 'switch', label: '立行立改', required: false, help: '已当场整改到位的问题，审核确认后直接进入待验收' },
          // The item's own measures (set while editing the draft) satisfy the service too.
          { ...text('measures', '已采取的整改措施', false, '当场做了什么'), requiredWhen: item.measures?.trim() ? undefined : 'fixedOnSite' },
        ],
        note: '提交后进入待审核，由审核人确认。',
      };
    case 'CONFIRM':
      if (item.fixedOnSite) return { fields: [], note: '该问题已立行立改，确认后进入待验收。' };
      return {
        fields: [
          text('measures', '整改措施', true, '具体的整改措施'),
          { name: 'rectifierId', kind: 'rectifier', label: '整改责任人', required: true, placeholder: '输入姓名搜索' },
          date('deadline', '整改时限', true),
        ],
      };
    case 'RETURN':
      return { fields: [text('reason', '退回原因', true, '需要排查人补充或更正的内容')], note: '退回后由排查人修改并重新提交。' };
    case 'DISMISS':
      return { fields: [text('reason', '不予认定的理由', true)] };
    case 'REOPEN':
      return item.state === 'closed'
        ? {
            fields: [text('reason', '重新打开的原因', true, '督查发现未整改到位的情况'), date('deadline', '新的整改时限', true)],
            note: '重新打开后问题回到整改中。',
          }
        : { fields: [text('reason', '重新打开的原因', true)], note: '重新打开后问题回到待审核。' };
    case 'REJECT_RECTIFICATION':
      return {
        fields: [text('reason', '验收不通过的原因', true), date('deadline', '新的整改时限', false, { help: '不填则沿用原整改时限' })],
        note: '问题将退回整改中。',
      };
    case 'SUBMIT_RECTIFICATION':
      return {
        fields: [
          text('comment', '整改情况', true, '做了哪些整改，结果如何'),
          { name: 'evidence', kind: 'photos', label: '佐证照片', required: true, help: `拍照或从相册选择，最多 ${EVIDENCE_MAX} 张` },
        ],
        note: '提交后由审核人验收销号。',
      };
    case 'REQUEST_EXTENSION':
      return {
        fields: [text('reason', '延期理由', true), date('newDeadline', '申请延至', true, { afterCurrentDeadline: true })],
        note: item.deadline ? `当前整改时限：${item.deadline}` : undefined,
      };
    case 'APPROVE_EXTENSION':
      return { fields: [text('comment', '审核意见', false)], note: extensionNote(item) };
    case 'DENY_EXTENSION':
      return { fields: [text('reason', '不同意的理由', true)], note: extensionNote(item) };
    case 'ESCALATE':
      return {
        fields: [
          { name: 'toOrgUnitId', kind: 'department', label: '上报单位', required: true, placeholder: '选择县直部门或县巩固办' },
          text('reason', '上报理由', true, '镇村无力解决的原因'),
          { name: 'rectifierId', kind: 'rectifier', label: '整改责任人', required: false, help: '不指定时由该单位人员认领整改' },
          date('deadline', '整改时限', false),
        ],
        note: '上报后由县巩固办审核验收。',
      };
    case 'ACCEPT':
      return { fields: [text('comment', '验收意见', false)], note: '验收销号后问题清零。' };
    case 'SPOT_CHECK_PASS':
      return { fields: [text('comment', '督查意见', false)], note: '确认该问题已真正整改到位。' };
    case 'MARK_LONG_TERM':
      return { fields: [text('plan', '长期整改计划', true, '分阶段的整改计划与时间安排')], note: '长期整改的问题不阻止专项行动进入总结阶段。' };
    case 'REPORT_PROGRESS':
      return { fields: [text('comment', '整改进展', true)] };
    case 'WITHDRAW':
      return { fields: [], note: '撤回后可修改再提交。' };
    case 'DISCARD':
      return { fields: [], note: '作废后该草稿将被删除，不可恢复。' };
    case 'EDIT':
      return { fields: [] };
  }
}

export function actionSpec(type: ItemAction, item: ActionItem): ActionSpec {
  const { fields, note } = fieldsOf(type, item);
  const signature = !UNSIGNED.has(type);
  return {
    type,
    label: ITEM_ACTION_LABELS[type],
    signature,
    danger: DANGER.has(type),
    primary: PRIMARY.has(type),
    fields,
    note,
    okText: signature ? '确认签字' : type === 'DISCARD' ? '确认作废' : '确定',
    doneText: (DONE_TEXT[type] ?? `已${ITEM_ACTION_LABELS[type]}`) + (signature ? '（已签字）' : ''),
    offline: type === 'SUBMIT_RECTIFICATION',
    route: type === 'EDIT' ? (id) => `/items/${id}/edit` : undefined,
  };
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** Whether a field must be filled given the other values of the form. */
export function isRequired(field: FieldSpec, values: Record<string, unknown>): boolean {
  return field.required || (!!field.requiredWhen && values[field.requiredWhen] === true);
}

/** Required fields left blank (text of only spaces counts as blank, as the service trims). */
export function missingFields(spec: ActionSpec, values: Record<string, unknown>): ActionField[] {
  return spec.fields.filter((f) => isRequired(f, values) && isBlank(values[f.name])).map((f) => f.name);
}

function toDate(v: unknown): string | undefined {
  if (dayjs.isDayjs(v)) return v.format('YYYY-MM-DD');
  if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 10);
  return undefined;
}

/**
 * The request body of POST /api/items/{id}/events: only the spec's fields,
 * text trimmed, dates as YYYY-MM-DD, blanks dropped. `evidence` is left out:
 * the outbox uploads the photos and fills it in.
 */
export function buildPayload(spec: ActionSpec, values: Record<string, unknown>): { type: ItemAction } & Record<string, unknown> {
  const body: { type: ItemAction } & Record<string, unknown> = { type: spec.type };
  for (const f of spec.fields) {
    const v = values[f.name];
    switch (f.kind) {
      case 'photos':
        break;
      case 'switch':
        if (typeof v === 'boolean') body[f.name] = v;
        break;
      case 'date': {
        const d = toDate(v);
        if (d) body[f.name] = d;
        break;
      }
      default:
        if (typeof v === 'string' && v.trim()) body[f.name] = v.trim();
    }
  }
  // Measures only mean something for 立行立改 on SUBMIT.
  if (spec.type === 'SUBMIT' && body.fixedOnSite !== true) delete body.measures;
  return body;
}

/** Why a picked date is not acceptable (the service wants it after today, and an extension after the current deadline). */
export function dateProblem(field: FieldSpec, value: string, today: string, currentDeadline?: string | null): string | null {
  if (value <= today) return `${field.label}必须晚于今天`;
  if (field.afterCurrentDeadline && currentDeadline && value <= currentDeadline) return `${field.label}必须晚于当前整改时限（${currentDeadline}）`;
  return null;
}
