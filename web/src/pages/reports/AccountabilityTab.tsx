import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Segmented, Table, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { exportPath } from '../../lib/stats';

type Person = Schemas['AccountabilityPersonResponse'];
type Township = Schemas['AccountabilityTownshipResponse'];
type Steps = Schemas['StepsResponse'];

const STEPS: Array<[keyof Steps, string]> = [
  ['investigation', '排查'],
  ['review', '审核'],
  ['rectification', '整改'],
  ['acceptance', '验收'],
  ['inspection', '督查'],
];

const count = (v: number) =>
  v > 0 ? (
    <Typography.Text type="danger" strong>
      {v}
    </Typography.Text>
  ) : (
    v
  );

/** Per step: signed, and how many of those were later reopened / overdue (shown as 签 / 开 / 超). */
function stepColumns<T extends { steps: Steps }>(): TableColumnsType<T> {
  return STEPS.map(([key, label]) => ({
    title: `${label}（签/开/超）`,
    key,
    width: 110,
    align: 'center' as const,
    render: (_: unknown, r: T) => (
      <span>
        {r.steps[key].signed} / {count(r.steps[key].reopened)} / {count(r.steps[key].overdue)}
      </span>
    ),
  }));
}

const peopleColumns: TableColumnsType<Person> = [
  { title: '签字人', key: 'signer', width: 180, render: (_, p) => p.signer.name },
  { title: '单位', key: 'unit', width: 120, render: (_, p) => p.orgUnit.name },
  { title: '签字问题', dataIndex: 'items', width: 80, align: 'right' },
  { title: '重新打开', dataIndex: 'reopened', width: 80, align: 'right', render: count },
  { title: '超期', dataIndex: 'overdue', width: 64, align: 'right', render: count },
  ...stepColumns<Person>(),
];

const townshipColumns: TableColumnsType<Township> = [
  { title: '乡镇', key: 'township', width: 100, render: (_, t) => t.township.name },
  { title: '签字问题', dataIndex: 'items', width: 80, align: 'right' },
  { title: '重新打开', dataIndex: 'reopened', width: 80, align: 'right', render: count },
  { title: '超期', dataIndex: 'overdue', width: 64, align: 'right', render: count },
  ...stepColumns<Township>(),
];

/** 谁签字谁负责: items signed at each step in a period, per person and per township, and how many were later reopened or overdue. */
export function AccountabilityTab({ campaignId, phone, onExport }: { campaignId: string; phone: boolean; onExport: (path: string, name: string) => void }) {
  const [from, setFrom] = useState<Dayjs | null>(null);
  const [to, setTo] = useState<Dayjs | null>(null);
  const [view, setView] = useState<'people' | 'townships'>('people');
  const params = { ...(from ? { from: from.format('YYYY-MM-DD') } : {}), ...(to ? { to: to.format('YYYY-MM-DD') } : {}) };
  const report = useQuery({
    queryKey: ['stats', campaignId, 'accountability', params],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/accountability', { params: { path: { id: campaignId }, query: params } })),
  });
  return (
    <Card
      size={phone ? 'small' : 'default'}
      title="签字责任（谁签字谁负责）"
      extra={
        <Button
          icon={<DownloadOutlined />}
          size={phone ? 'small' : 'middle'}
          onClick={() => onExport(exportPath(`/api/campaigns/${encodeURIComponent(campaignId)}/accountability.xlsx`, params), '签字责任.xlsx')}
        >
          导出
        </Button>
      }
    >
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center" justify="space-between">
          <Segmented<'people' | 'townships'>
            value={view}
            onChange={setView}
            options={[
              { value: 'people', label: '按人员' },
              { value: 'townships', label: '按乡镇' },
            ]}
          />
          <Flex gap={8}>
            <DatePicker aria-label="期间开始" placeholder="期间开始" value={from} onChange={setFrom} inputReadOnly={phone} style={{ width: 140 }} />
            <DatePicker aria-label="期间结束" placeholder="期间结束（今日）" value={to} onChange={setTo} inputReadOnly={phone} style={{ width: 160 }} />
          </Flex>
        </Flex>
        {report.isError && <Alert type="error" showIcon title={messageOf(report.error)} />}
        {report.data && (
          <Typography.Text type="secondary">
            {report.data.from} 至 {report.data.to}
          </Typography.Text>
        )}
        {view === 'people' ? (
          <Table<Person>
            data-testid="accountability-people"
            size="small"
            rowKey={(p) => p.signer.id}
            columns={peopleColumns}
            dataSource={report.data?.people ?? []}
            loading={report.isLoading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: '期间内没有签字' }}
          />
        ) : (
          <Table<Township>
            data-testid="accountability-townships"
            size="small"
            rowKey={(t) => t.township.id}
            columns={townshipColumns}
            dataSource={report.data?.townships ?? []}
            loading={report.isLoading}
            pagination={false}
            scroll={{ x: 'max-content' }}
          />
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          签/开/超：期间内在该环节签字的问题数 / 其中之后被督查重新打开的 /
          其中之后超期的。审核含不予认定，督查含重新打开。督查重新打开的问题记在整改人、验收人及此前签字的每个人名下。
        </Typography.Text>
      </Flex>
    </Card>
  );
}
