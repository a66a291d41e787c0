import { Alert, Empty, Skeleton, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { messageOf } from '../../lib/api-error';
import { useCampaignSignatures, type Signature } from './queries';

const COLORS: Record<string, string> = { campaign_start: 'blue', phase_advance: 'green', archive: 'gray' };

function describe(s: Signature): string | null {
  const from = typeof s.payload.fromPhase === 'string' ? s.payload.fromPhase : null;
  const to = typeof s.payload.toPhase === 'string' ? s.payload.toPhase : null;
  if (from && to && from !== to) return `${from} → ${to}`;
  if (from) return `于「${from}」阶段`;
  if (to) return `进入「${to}」`;
  return null;
}

/** The campaign's signature chain: start, each phase advance, archive. */
export function CampaignSignatures({ campaignId }: { campaignId: string }) {
  const { data, isLoading, error } = useCampaignSignatures(campaignId);
  if (isLoading) return <Skeleton active />;
  if (error) return <Alert type="error" showIcon title={messageOf(error)} />;
  if (!data?.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无签字：专项行动启动后，每次推进阶段和归档都由县巩固办签字" />;
  return (
    <Timeline
      items={data.map((s) => ({
        key: s.id,
        color: COLORS[s.kind] ?? 'blue',
        content: (
          <div data-testid={`campaign-signature-${s.seq}`}>
            <Typography.Text strong>{s.kindLabel}</Typography.Text>
            {describe(s) && <Typography.Text> · {describe(s)}</Typography.Text>}
            <div>
              <Typography.Text type="secondary">
                {s.signer.name}（{s.signer.orgUnitName}）签字 · {dayjs(s.signedAt).format('YYYY-MM-DD HH:mm')}
              </Typography.Text>
            </div>
            {s.comment && <div style={{ whiteSpace: 'pre-wrap' }}>意见：{s.comment}</div>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: s.hash }}>
              #{s.seq} 哈希 {s.hash.slice(0, 12)}…
            </Typography.Text>
          </div>
        ),
      }))}
    />
  );
}
