import type { AnyStateMachine, SnapshotFrom } from 'xstate';
import { DomainError } from '../common/errors/domain-error';

/** What we store in a row's `snapshot` column: the machine's state value and context. */
export interface StoredSnapshot {
  value: unknown;
  context: Record<string, unknown>;
}

export function toStored(snapshot: { value: unknown; context: unknown }): StoredSnapshot {
  // JSON round trip: the row must hold plain data only.
  return JSON.parse(JSON.stringify({ value: snapshot.value, context: snapshot.context })) as StoredSnapshot;
}

export function fromStored<M extends AnyStateMachine>(machine: M, stored: Record<string, unknown>): SnapshotFrom<M> {
  return machine.resolveState(stored as never) as SnapshotFrom<M>;
}

export const REFUSAL_MESSAGES: Record<string, string> = {
  invalid_state: '当前状态下不能执行此操作',
  phase_closed: '专项行动当前阶段不允许此操作',
  not_permitted: '您与该事项的关系或角色不允许执行此操作',
  separation_of_duties: '职责分离：不能验收自己整改的事项，督查人员不能抽查自己签过字的事项',
  invalid_payload: '操作参数不符合要求',
  open_items_block_summary: '仍有未销号且未转为长期整改的问题，不能进入总结阶段',
};

/** 409 for an event the machine does not accept, with what the caller may do instead. */
export function transitionRefused(reason: string | null, state: string, availableActions: string[]): DomainError {
  return new DomainError('TRANSITION_REFUSED', REFUSAL_MESSAGES[reason ?? 'invalid_state'] ?? REFUSAL_MESSAGES.invalid_state, [], {
    reason: reason ?? 'invalid_state',
    state,
    availableActions,
  });
}

export function versionConflict(): DomainError {
  return new DomainError('VERSION_CONFLICT', '该记录已被他人修改，请刷新后重试');
}
