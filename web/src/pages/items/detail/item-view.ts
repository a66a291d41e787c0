/** Pure helpers for 问题详情: the 四项清单, the chain verdict, signed payloads. (States: lib/labels.ts; 超期: lib/deadline.ts.) */
import type { Schemas } from '../../../api/client';

type Item = Schemas['ItemResponse'];

export interface ChecklistEntry {
  value: string | null;
  /** From the ledger plan (or the investigator), not yet set by the reviewer. */
  planned: boolean;
}

/**
 * 四项清单 (具体问题、整改措施、整改责任人、整改时限). Until the reviewer
 * confirms, 整改责任人 and 整改时限 are what an imported ledger row planned,
 * and 整改措施 is what the investigator wrote: all shown as 计划.
 */
export function checklist(item: Item): { problem: string; measures: ChecklistEntry; rectifier: ChecklistEntry; deadline: ChecklistEntry } {
  const reviewed = !['draft', 'pending_review', 'returned'].includes(item.state) || !!item.rectifier;
  const rectifierName = item.rectifier ? item.rectifier.name + (item.responsibleOrgUnit ? `（${item.responsibleOrgUnit.name}）` : '') : null;
  return {
    problem: item.description,
    // 立行立改 measures were carried out on the spot: a fact, not a plan.
    measures: { value: item.measures, planned: !!item.measures && !reviewed && !item.fixedOnSite },
    rectifier: rectifierName ? { value: rectifierName, planned: false } : { value: item.plannedRectifierName, planned: !!item.plannedRectifierName },
    deadline: item.deadline ? { value: item.deadline, planned: false } : { value: item.plannedDeadline, planned: !!item.plannedDeadline },
  };
}

const BREAK_REASONS: Record<Schemas['ChainBreakResponse']['reason'], string> = {
  hash_mismatch: '签字内容与其密钥签名不符，记录可能被改动',
  prev_hash_mismatch: '与上一环节的哈希不衔接',
  sequence_gap: '序号不连续，可能有签字缺失',
  unknown_key: '签名所用的密钥本系统没有，无法核对',
  unsealed: '升级前的旧签字未经封存核验，可能被改动',
  head_mismatch: '签字链比问题记录的链头短，末尾的签字可能被删除',
  state_mismatch: '问题当前状态与最后一个签字不符，状态可能被改动',
};

/** The verification result as one sentence. */
export function chainVerdict(v: Schemas['ChainVerificationResponse']): { ok: boolean; text: string } {
  if (v.valid) return { ok: true, text: v.length ? `签字链完整（共 ${v.length} 个环节，密钥签名逐一核对无误）` : '尚无签字' };
  const b = v.firstBroken;
  if (!b) return { ok: false, text: '签字链校验未通过' };
  if (b.reason === 'head_mismatch') return { ok: false, text: `签字链在第 ${b.seq} 个环节处缺失：${BREAK_REASONS[b.reason]}` };
  if (b.reason === 'state_mismatch') return { ok: false, text: `签字链与问题状态不符：${BREAK_REASONS[b.reason]}` };
  return { ok: false, text: `签字链在第 ${b.seq} 个环节断开：${BREAK_REASONS[b.reason] ?? b.reason}` };
}

/** The signed payload fields worth showing beside a signature, as label/value pairs. */
export function payloadLines(payload: Record<string, unknown>, names: { rectifier?: string | null; toOrgUnit?: string | null } = {}): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const str = (k: string) => (typeof payload[k] === 'string' && (payload[k] as string).trim() ? (payload[k] as string) : null);
  if (payload.fixedOnSite === true) out.push(['立行立改', '是']);
  if (str('measures')) out.push(['整改措施', str('measures')!]);
  if (str('rectifierId')) out.push(['整改责任人', names.rectifier ?? '已指定']);
  if (str('deadline')) out.push(['整改时限', str('deadline')!]);
  if (str('newDeadline')) out.push(['申请延期至', str('newDeadline')!]);
  if (str('toOrgUnitId')) out.push(['上报至', names.toOrgUnit ?? '县级单位']);
  if (str('reason')) out.push(['理由', str('reason')!]);
  if (str('plan')) out.push(['长期整改计划', str('plan')!]);
  return out;
}
