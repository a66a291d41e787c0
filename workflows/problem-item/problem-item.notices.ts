import { WAITING_ON, type Party } from './problem-item.facts';
import { hasPendingExtension, stateName, type ProblemItemSnapshot } from './problem-item.machine';
import type { ProblemItemEffect, ProblemItemEvent, ProblemItemEventType, ProblemItemStateName } from './problem-item.types';

/**
 * What a notification about an item says: what happened, and what the
 * receiver must now do by when. Derived from the machine's facts (the party
 * each effect tells, the states that wait on that party), so a state that
 * waits on somebody new changes the text with it.
 */

/** The party each notify effect tells. */
export const EFFECT_PARTY: Readonly<Record<ProblemItemEffect, Party>> = {
  notifyReviewer: 'reviewer',
  notifyRectifier: 'rectifier',
  notifyInvestigator: 'investigator',
  notifyInspector: 'inspector',
};

/** What happened, as the receiver reads it ("已退回", "申请延期至 7月5日"). */
const HAPPENED: Readonly<Record<ProblemItemEventType, (n: NoticeFacts) => string>> = {
  EDIT: () => '已修改',
  SUBMIT: (n) => (n.before === 'returned' ? '已修改并重新提交' : '已提交'),
  DISCARD: () => '已作废',
  WITHDRAW: () => '已撤回',
  CONFIRM: (n) => (n.after === 'pending_acceptance' ? '已审核确认（立行立改）' : '已审核确认'),
  RETURN: () => '已退回',
  DISMISS: () => '不予认定',
  REPORT_PROGRESS: () => '有整改进展',
  SUBMIT_RECTIFICATION: () => '已提交整改（整改签字）',
  REQUEST_EXTENSION: (n) => `申请延期至 ${chineseDay(n.requestedDeadline)}`,
  APPROVE_EXTENSION: () => '延期申请已批准',
  DENY_EXTENSION: () => '延期申请未获批准',
  ESCALATE: (n) => (n.party === 'rectifier' ? '已交办（镇村无力解决）' : '已上报县级（镇村无力解决）'),
  MARK_LONG_TERM: () => '已列为长期整改',
  ACCEPT: () => '已验收销号',
  REJECT_RECTIFICATION: () => '验收未通过',
  SPOT_CHECK_PASS: () => '已通过督查抽查',
  REOPEN: () => '已被督查重新打开',
};

/** What each party is to do in a state that waits on them. */
const TODO: Readonly<Record<Party, Partial<Record<ProblemItemStateName, (n: NoticeFacts) => string | null>>>> = {
  investigator: { returned: () => '待您修改', draft: () => '待您修改' },
  reviewer: {
    pending_review: () => '待您审核',
    pending_acceptance: () => '待您验收',
    // A rectifying item waits on the reviewer only while an extension is pending.
    rectifying: (n) => (n.extensionPending ? '待您审批' : null),
  },
  rectifier: { rectifying: (n) => (n.deadline ? `待您整改（时限 ${chineseDay(n.deadline)}）` : '待您整改') },
  inspector: { closed: () => '可抽查复核', dismissed: () => '可抽查复核' },
};

/** Events whose reason the receiver should read with the notice. */
const WITH_REASON: readonly ProblemItemEventType[] = ['RETURN', 'DISMISS', 'DENY_EXTENSION', 'REJECT_RECTIFICATION', 'REOPEN', 'ESCALATE'];

interface NoticeFacts {
  party: Party;
  before: ProblemItemStateName;
  after: ProblemItemStateName;
  deadline: string | null;
  requestedDeadline: string | null;
  extensionPending: boolean;
}

/** `2021-06-25` (or an instant) as 6月25日. */
export function chineseDay(iso: string | null): string {
  if (!iso) return '';
  const [, m, d] = iso.slice(0, 10).split('-');
  return `${Number(m)}月${Number(d)}日`;
}

/**
 * The notice text for `party` about one transition, without the item's
 * name: "已退回，待您修改。原因：…", "申请延期至 7月5日，待您审批",
 * "已审核确认，待您整改（时限 6月25日）".
 */
export function itemNoticeText(event: ProblemItemEvent, before: ProblemItemSnapshot, next: ProblemItemSnapshot, party: Party): string {
  const after = stateName(next);
  const facts: NoticeFacts = {
    party,
    before: stateName(before),
    after,
    deadline: next.context.deadline,
    requestedDeadline: event.type === 'REQUEST_EXTENSION' ? event.newDeadline : null,
    extensionPending: hasPendingExtension(next),
  };
  const happened = HAPPENED[event.type](facts);
  const todo = WAITING_ON[party].includes(after) ? (TODO[party][after]?.(facts) ?? null) : null;
  const reason = WITH_REASON.includes(event.type) ? (event as { reason?: unknown }).reason : undefined;
  const because = typeof reason === 'string' && reason.trim() ? `。原因：${reason.trim().slice(0, 60)}` : '';
  return `${happened}${todo ? `，${todo}` : ''}${because}`;
}
