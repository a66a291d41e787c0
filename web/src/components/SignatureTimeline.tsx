import { FilePdfOutlined, SafetyCertificateOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Image, Skeleton, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../../src/auth/roles';
import { authFetch, type Schemas } from '../api/client';

type Signature = Schemas['SignatureResponse'];
type Evidence = Schemas['EvidenceRefResponse'];

/** Signer roles: the granted roles plus 整改责任人, which is a relation to the item rather than a role. */
export const SIGNER_ROLE_LABELS: Record<string, string> = { ...ROLE_LABELS, rectifier: '整改责任人' };

/** Signatures that send a record back or refuse it read red; closing and inspecting green. */
const KIND_COLORS: Record<string, string> = {
  return: 'red',
  rejection: 'red',
  reopen: 'red',
  dismissal: 'gray',
  acceptance: 'green',
  inspection: 'green',
  archive: 'green',
};

interface Props {
  signatures: Signature[];
  /** Chinese name of a state (stateBefore/stateAfter). */
  stateLabel?: (state: string) => string;
  /** Label/value lines from the signed payload (措施、时限、理由…). */
  details?: (s: Signature) => Array<[string, string]>;
  /** The first link the verification found broken, marked in red. */
  brokenSeq?: number | null;
}

/** A signature chain (签字链), oldest first: who signed, in which role and unit, when, what they decided, with evidence. */
export function SignatureTimeline({ signatures, stateLabel = (s) => s, details, brokenSeq }: Props) {
  if (!signatures.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无签字" />;
  return (
    <Timeline
      items={signatures.map((s) => {
        const broken = brokenSeq === s.seq;
        const lines = details?.(s) ?? [];
        return {
          key: s.id,
          color: broken ? 'red' : (KIND_COLORS[s.kind] ?? 'blue'),
          icon: broken ? <WarningOutlined style={{ color: '#cf1322' }} /> : undefined,
          content: (
            <Flex vertical gap={4} data-testid={`signature-${s.seq}`}>
              <Flex gap={8} wrap align="baseline">
                <Typography.Text strong>{s.kindLabel}</Typography.Text>
                <Typography.Text type="secondary">{dayjs(s.signedAt).format('YYYY-MM-DD HH:mm')}</Typography.Text>
              </Flex>
              <Typography.Text>
                {s.signer.name}
                {s.onBehalfOf ? (
                  // 委派: the delegate signed in the delegator's place; the signature records both.
                  <Tag color="purple" style={{ marginInlineStart: 6 }} data-testid={`on-behalf-${s.seq}`}>
                    代 {s.onBehalfOf.name}
                  </Tag>
                ) : null}
                <Typography.Text type="secondary">
                  {' · '}
                  {SIGNER_ROLE_LABELS[s.signer.role] ?? s.signer.role} · {s.signer.orgUnitName}
                </Typography.Text>
              </Typography.Text>
              {s.stateBefore !== s.stateAfter ? (
                <Typography.Text type="secondary">
                  {stateLabel(s.stateBefore)} → {stateLabel(s.stateAfter)}
                </Typography.Text>
              ) : null}
              {s.comment ? <Typography.Paragraph style={{ margin: 0 }}>意见：{s.comment}</Typography.Paragraph> : null}
              {lines.map(([label, value]) => (
                <Typography.Paragraph key={label} style={{ margin: 0 }}>
                  {label}：{value}
                </Typography.Paragraph>
              ))}
              {s.evidence.length ? (
                <Flex wrap gap={8}>
                  {s.evidence.map((e) => (
                    <EvidenceThumbnail key={e.id} evidence={e} />
                  ))}
                </Flex>
              ) : null}
              {broken ? (
                <Tag color="error" icon={<WarningOutlined />} style={{ width: 'fit-content' }}>
                  此环节校验未通过
                </Tag>
              ) : null}
              <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 11, wordBreak: 'break-all' }}>
                <SafetyCertificateOutlined /> #{s.seq} {s.hash.slice(0, 16)}…
              </Typography.Text>
            </Flex>
          ),
        };
      })}
    />
  );
}

/** Loads an attachment with the access token (GET /api/attachments/{id}) into a blob URL for the page's lifetime. */
function useAttachmentUrl(id: string): { url?: string; type?: string; failed: boolean } {
  const [state, setState] = useState<{ url?: string; type?: string; failed: boolean }>({ failed: false });
  useEffect(() => {
    let url: string | undefined;
    let cancelled = false;
    authFetch(new Request(`/api/attachments/${id}`))
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const blob = await res.blob();
        if (cancelled) return;
        url = URL.createObjectURL(blob);
        setState({ url, type: blob.type, failed: false });
      })
      .catch(() => !cancelled && setState({ failed: true }));
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [id]);
  return state;
}

/** One piece of evidence: a thumbnail (or a PDF link) with the SHA-256 it was signed with. */
function EvidenceThumbnail({ evidence }: { evidence: Evidence }) {
  const { url, type, failed } = useAttachmentUrl(evidence.id);
  let preview: React.ReactNode;
  if (failed) preview = <Typography.Text type="danger">{evidence.filename}（无法加载）</Typography.Text>;
  else if (!url) preview = <Skeleton.Image active style={{ width: 88, height: 88 }} />;
  else if (type?.startsWith('image/'))
    preview = <Image src={url} alt={evidence.filename} width={88} height={88} style={{ objectFit: 'cover', borderRadius: 4 }} />;
  else
    preview = (
      <Button icon={<FilePdfOutlined />} href={url} target="_blank" rel="noopener" style={{ maxWidth: 200 }}>
        <Typography.Text ellipsis style={{ maxWidth: 150 }}>
          {evidence.filename}
        </Typography.Text>
      </Button>
    );
  return (
    <Flex vertical gap={2} style={{ maxWidth: 200 }}>
      {preview}
      <Typography.Text
        type="secondary"
        style={{ fontFamily: 'monospace', fontSize: 10, wordBreak: 'break-all', lineHeight: 1.3 }}
        copyable={{ text: evidence.sha256, tooltips: ['复制 SHA-256', '已复制'] }}
        title={`SHA-256 ${evidence.sha256}`}
      >
        SHA-256 {evidence.sha256}
      </Typography.Text>
    </Flex>
  );
}
