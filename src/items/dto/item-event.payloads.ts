import { CLOSED_STATE, type ProblemItemContext, type ProblemItemEventOf, type ProblemItemEventType } from '../../../workflows';
import { isIsoDate } from '../../../workflows/common';
import type { ErrorDetail } from '../../common/errors/domain-error';

/**
 * One payload per event type: which fields each event of POST
 * /api/items/:id/events carries, and which it must carry. The payload types
 * are the machine's own (`ProblemItemEvent`), so the table below cannot name
 * a field an event does not have nor leave one out; each field's format is
 * ItemEventDto's. Adding an event touches the machine and this table.
 *
 * The machine's guards stay the domain rule; this is the edge's reading of
 * them, so a missing or malformed field is a 400 naming the field rather than
 * a 409 refusal.
 */

/** Events sent to POST /api/items/:id/events (EDIT is PATCH /api/items/:id). */
export type ItemEventType = Exclude<ProblemItemEventType, 'EDIT'>;

/** What a client sends for an event of type K: the machine's event without who and when. */
export type ItemEventPayloadOf<K extends ItemEventType> = Omit<ProblemItemEventOf<K>, 'actor' | 'env'>;

/** The body of POST /api/items/:id/events once checked: a union discriminated by `type`. */
export type ItemEventPayload = { [K in ItemEventType]: ItemEventPayloadOf<K> }[ItemEventType];

type FieldOf<K extends ItemEventType> = Exclude<keyof ItemEventPayloadOf<K>, 'type'> & string;
type RequiredKeys<T> = { [P in keyof T]-?: object extends Pick<T, P> ? never : P }[keyof T];

/** The item as a payload rule needs it. */
export interface PayloadTarget {
  state: string;
  deadline: string | null;
  context: ProblemItemContext;
}

export interface PayloadRule<K extends ItemEventType> {
  /** Every field of the event: `required` where the machine's type requires it, otherwise as the domain says. */
  fields: { readonly [F in FieldOf<K>]-?: F extends RequiredKeys<ItemEventPayloadOf<K>> ? 'required' : 'required' | 'optional' };
  /** Fields that become required because of the item's state (checked once it is loaded). */
  requiredFor?: (item: PayloadTarget, payload: ItemEventPayloadOf<K>) => Array<FieldOf<K>>;
  /** Conditions between the payload and the item beyond presence. */
  check?: (item: PayloadTarget, payload: ItemEventPayloadOf<K>) => ErrorDetail[];
}

export const ITEM_EVENT_PAYLOADS: { readonly [K in ItemEventType]: PayloadRule<K> } = {
  SUBMIT: {
    fields: { fixedOnSite: 'optional', measures: 'optional' },
    // 立行立改 needs what was done, here or already on the draft.
    requiredFor: ({ context }, p) => (p.fixedOnSite && !context.measures?.trim() ? ['measures'] : []),
  },
  DISCARD: { fields: {} },
  WITHDRAW: { fields: {} },
  CONFIRM: {
    fields: { measures: 'optional', rectifierId: 'optional', deadline: 'optional' },
    // The 四项清单, except for an item fixed on the spot, which is confirmed as it is.
    requiredFor: ({ context }) => (context.fixedOnSite ? [] : ['measures', 'rectifierId', 'deadline']),
  },
  RETURN: { fields: { reason: 'required' } },
  DISMISS: { fields: { reason: 'required' } },
  REPORT_PROGRESS: { fields: { comment: 'required' } },
  SUBMIT_RECTIFICATION: { fields: { comment: 'required', evidence: 'required' } },
  REQUEST_EXTENSION: {
    fields: { reason: 'required', newDeadline: 'required' },
    check: ({ deadline }, p) =>
      deadline && p.newDeadline <= deadline
        ? [{ field: 'newDeadline', message: `${ITEM_EVENT_FIELD_LABELS.newDeadline}必须晚于当前整改时限（${deadline}）` }]
        : [],
  },
  APPROVE_EXTENSION: {
    fields: { comment: 'optional' },
    // Requests signed before dates were checked against the calendar may ask for 2030-02-31: such a request can only be denied.
    check: ({ context }) =>
      context.extension && !isIsoDate(context.extension.requestedDeadline)
        ? [
            {
              field: 'type',
              message: `该延期申请的整改时限（${context.extension.requestedDeadline}）不是存在的日期，不能批准，请驳回（DENY_EXTENSION）后由整改责任人重新申请`,
            },
          ]
        : [],
  },
  DENY_EXTENSION: { fields: { reason: 'required' } },
  ESCALATE: { fields: { toOrgUnitId: 'required', reason: 'required', rectifierId: 'optional', deadline: 'optional' } },
  MARK_LONG_TERM: { fields: { plan: 'required' } },
  ACCEPT: { fields: { comment: 'optional' } },
  REJECT_RECTIFICATION: { fields: { reason: 'required', deadline: 'optional' } },
  SPOT_CHECK_PASS: { fields: { comment: 'optional' } },
  REOPEN: {
    fields: { reason: 'required', deadline: 'optional' },
    // A closed item goes back to rectification and needs a new deadline; a dismissed one goes back to review.
    requiredFor: ({ state }) => (state === CLOSED_STATE ? ['deadline'] : []),
  },
};

/** Every payload field of any event. */
export type ItemEventField = { [K in ItemEventType]: FieldOf<K> }[ItemEventType];

/** What users call each field, in error messages. */
export const ITEM_EVENT_FIELD_LABELS: Readonly<Record<ItemEventField | 'type', string>> = {
  type: '事件类型',
  comment: '说明',
  reason: '理由',
  measures: '整改措施',
  rectifierId: '整改责任人',
  deadline: '整改时限',
  newDeadline: '申请延长至的整改时限',
  toOrgUnitId: '上报单位',
  evidence: '佐证材料',
  fixedOnSite: '立行立改',
  plan: '长期整改计划',
};

/** Fields holding a date that must lie after today. */
const FUTURE_DATES: readonly ItemEventField[] = ['deadline', 'newDeadline'];

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

const missing = (field: string): ErrorDetail => ({ field, message: `${ITEM_EVENT_FIELD_LABELS[field as ItemEventField]}不能为空` });

type AnyRule = PayloadRule<ItemEventType> & { fields: Record<string, 'required' | 'optional'> };
const ruleOf = (type: ItemEventType) => ITEM_EVENT_PAYLOADS[type] as unknown as AnyRule;

/**
 * Reads a body whose fields already have their formats (ItemEventDto) as the
 * payload of its event type: no field the event does not carry, every
 * required one present, dates after `today`. Problems found are returned all
 * at once, in the order of the event's fields.
 */
export function readItemEventPayload(
  body: { type: ItemEventType } & Record<string, unknown>,
  today: string,
): { payload?: ItemEventPayload; problems: ErrorDetail[] } {
  const rule = ruleOf(body.type);
  const problems: ErrorDetail[] = [];
  const payload: Record<string, unknown> = { type: body.type };
  for (const [field, value] of Object.entries(body)) {
    if (field === 'type' || value === undefined) continue;
    if (!(field in rule.fields))
      problems.push({ field, message: `${body.type} 不接受字段 ${ITEM_EVENT_FIELD_LABELS[field as ItemEventField] ?? field}（${field}）` });
    else payload[field] = value;
  }
  for (const [field, presence] of Object.entries(rule.fields)) {
    if (presence === 'required' && blank(body[field])) problems.push(missing(field));
  }
  for (const field of FUTURE_DATES) {
    const value = payload[field];
    if (typeof value === 'string' && value <= today) problems.push({ field, message: `${ITEM_EVENT_FIELD_LABELS[field]}必须晚于今天（${today}）` });
  }
  return problems.length ? { problems } : { payload: payload as ItemEventPayload, problems };
}

/** What the loaded item adds to the payload's rule: fields its state requires, and conditions between them. */
export function itemEventProblems(payload: ItemEventPayload, item: PayloadTarget): ErrorDetail[] {
  const rule = ruleOf(payload.type);
  const fields = payload as unknown as Record<string, unknown>;
  const required = (rule.requiredFor?.(item, payload as never) ?? []).filter((f) => blank(fields[f])).map(missing);
  return [...required, ...(required.length ? [] : (rule.check?.(item, payload as never) ?? []))];
}
