import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, Descriptions, Empty, Form, Grid, Input, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';
import { SignConfirmModal } from '../../components/signing/SignConfirmModal';
import { SIGNING_GRANT_HEADER } from '../../lib/signing-grant';
import { useSummaryReports, type CampaignDetail, type SummaryReport } from './queries';

const percent = (r: number | null) => (r == null ? '—' : `${(r * 100).toFixed(1)}%`);

function Figures({ report, phone }: { report: SummaryReport; phone: boolean }) {
  const f = report.figures;
  return (
    <Descriptions
      size="small"
      bordered
      column={phone ? 2 : 4}
      items={[
        { key: 'found', label: '排查发现', children: f.found },
        { key: 'confirmed', label: '已确认', children: f.confirmed },
        { key: 'closed', label: '已销号', children: f.closed },
        { key: 'dismissed', label: '不予认定', children: f.dismissed },
        { key: 'rectifying', label: '整改中', children: f.rectifying },
        { key: 'overdue', label: '超期', children: f.overdue },
        { key: 'rate', label: '整改率', children: percent(f.rectificationRate) },
        { key: 'avg', label: '平均销号天数', children: f.avgDaysToClose == null ? '—' : f.avgDaysToClose.toFixed(1) },
      ]}
    />
  );
}

/**
 * 总结报告 of one campaign: the townships that filed (with the figures frozen at
 * filing) and those that have not; a township leader files theirs here.
 */
export function SummaryReports({ campaign }: { campaign: CampaignDetail }) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { me, hasRole } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data, isLoading, error } = useSummaryReports(campaign.id);
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);

  if (isLoading) return <Skeleton active />;
  if (error) return <Alert type="error" showIcon title={messageOf(error)} />;
  if (!data) return null;

  const isLeader = hasRole('township_leader') && me?.orgUnit.kind === 'township';
  const ownMissing = isLeader && data.missing.some((t) => t.id === me?.orgUnit.id);
  const inSummary = campaign.currentPhase?.kind === 'summary';

  const file = async (key: string, grant: string | undefined) => {
    await ok(
      api.POST('/api/campaigns/{id}/summary-reports', {
        params: { path: { id: campaign.id }, header: { 'Idempotency-Key': key, ...(grant ? { [SIGNING_GRANT_HEADER]: grant } : {}) } },
        body: { text: text.trim() },
      }),
    );
    setConfirming(false);
    setText('');
    message.success('总结报告已报送');
    await queryClient.invalidateQueries({ queryKey: ['summary-reports', campaign.id] });
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {ownMissing && (
        <Card size="small" title={`报送${me?.orgUnit.name}的总结报告`}>
          {inSummary ? (
            <>
              <Typography.Paragraph type="secondary">报送时本乡镇的统计数字随报告冻结，并以您的名义签字；每个乡镇只报送一份。</Typography.Paragraph>
              <Form layout="vertical" size={phone ? 'large' : 'middle'}>
                <Form.Item label="总结报告正文" required>
                  <Input.TextArea
                    aria-label="总结报告正文"
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                    autoSize={{ minRows: 6, maxRows: 20 }}
                    maxLength={50000}
                    placeholder="本乡镇排查、整改、提升工作的开展情况，主要成效，存在的问题和下一步打算。"
                  />
                </Form.Item>
                <Button type="primary" block={phone} disabled={!text.trim()} onClick={() => setConfirming(true)}>
                  报送总结报告
                </Button>
              </Form>
            </>
          ) : (
            <Alert
              type="info"
              showIcon
              title="总结报告只能在工作总结阶段报送"
              description={`当前${campaign.currentPhase ? `处于「${campaign.currentPhase.name}」阶段` : `为「${campaign.stateLabel}」`}，进入工作总结阶段后在此报送。`}
            />
          )}
        </Card>
      )}

      <Card size="small" title={`尚未报送（${data.missing.length}）`}>
        {data.missing.length === 0 ? (
          <Typography.Text type="secondary">全部乡镇均已报送</Typography.Text>
        ) : (
          <Space wrap>
            {data.missing.map((t) => (
              <Tag key={t.id} color="orange">
                {t.name}
              </Tag>
            ))}
          </Space>
        )}
      </Card>

      <Card size="small" title={`已报送（${data.filed.length}）`}>
        {data.filed.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无乡镇报送总结报告" />
        ) : (
          <Collapse
            items={data.filed.map((r) => ({
              key: r.id,
              label: (
                <Space wrap size={4}>
                  <Typography.Text strong>{r.township.name}</Typography.Text>
                  <Typography.Text type="secondary">
                    {r.filedBy.name} {dayjs(r.filedAt).format('YYYY-MM-DD HH:mm')} 报送
                  </Typography.Text>
                </Space>
              ),
              children: (
                <>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    报送时的统计（截至 {r.figures.asOf}）
                  </Typography.Paragraph>
                  <Figures report={r} phone={phone} />
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{r.text}</Typography.Paragraph>
                </>
              ),
            }))}
          />
        )}
      </Card>

      <SignConfirmModal
        open={confirming}
        title="报送总结报告"
        okText="签字报送"
        description={<Typography.Paragraph>报送后不能修改。本乡镇当前的统计数字将随报告冻结。</Typography.Paragraph>}
        onCancel={() => setConfirming(false)}
        onSign={(key, _comment, grant) => file(key, grant)}
      />
    </Space>
  );
}
