import { Signature } from './signature.entity';
import { AnySignatureKind, SignatureResponse, SignerRole } from './signature.response';

export const SIGNATURE_KIND_LABELS: Record<string, string> = {
  investigation: '排查签字',
  review: '审核签字',
  return: '退回',
  dismissal: '不予认定',
  rectification: '整改签字',
  extension_request: '申请延期',
  extension_decision: '延期审批',
  escalation: '上报县级',
  acceptance: '验收销号',
  rejection: '验收不通过',
  inspection: '督查签字',
  reopen: '督查重新打开',
  long_term: '转为长期整改',
  campaign_start: '启动专项行动',
  phase_advance: '推进阶段',
  archive: '归档',
  summary_report: '报送总结报告',
};

export function mapSignature(s: Signature): SignatureResponse {
  return {
    id: s.id,
    seq: s.seq,
    // Written only by the engines, from the workflows' kind tables and signer roles.
    kind: s.kind as AnySignatureKind,
    kindLabel: SIGNATURE_KIND_LABELS[s.kind] ?? s.kind,
    eventType: s.eventType,
    signer: { id: s.signerId, name: s.signerName, role: s.signerRole as SignerRole, orgUnitId: s.signerOrgUnitId, orgUnitName: s.signerOrgUnitName },
    onBehalfOf: s.onBehalfOfId ? { id: s.onBehalfOfId, name: s.onBehalfOfName ?? '' } : null,
    signedAt: s.signedAt.toISOString(),
    comment: s.comment,
    payload: s.payload,
    evidence: s.evidence,
    stateBefore: s.stateBefore,
    stateAfter: s.stateAfter,
    prevHash: s.prevHash,
    hash: s.hash,
    keyId: s.keyId,
  };
}
