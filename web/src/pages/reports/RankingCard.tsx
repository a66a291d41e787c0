import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { exportPath, formatDays, formatRate, rankingPeriod, type RankingPeriod } from '../../lib/stats';

type Entry = Schemas['RankingEntryResponse'];

const columns: TableColumnsType<Entry> = [
  { title: '名次', dataIndex: 'rank', width: 64, align: 'center', render: (r: number | null) => r ?? '—' },
  { title: '乡镇', key: 'township', width: 120, render: (_, e) => e.township.name },
  { title: '整改率', key: 'rate', width: 88, align: 'right', render: (_, e) => formatRate(e.rectificationRate) },
  {
    title: '督查重新打开',
    dataIndex: 'reopened',
    width: 104,
    align: 'right',
    render: (v: number) =>
      v > 0 ? (
        <Typography.Text type="danger" strong>
          {v}
        </Typography.Text>
      ) : (
        v
      ),
  },
  { title: '已确认', dataIndex: 'confirmed', width: 72, align: 'right' },
  { title: '已销号', dataIndex: 'closed', width: 72, align: 'right' },
  {
    title: '超期',
    dataIndex: 'overdue',
    width: 64,
    align: 'right',
    render: (v: number) =>
      v > 0 ? (
        <Typography.Text type="danger" strong>
          {v}
        </Typography.Text>
      ) : (
        v
      ),
  },
  { title: '平均销号天数', key: 'days', width: 110, align: 'right', render: (_, e) => formatDays(e.avgDaysToClose) },
  {
    title: '考评',
    key: 'mark',
    width: 110,
    render: (_, e) =>
      e.commended ? (
        <Tag color="green">表彰</Tag>
      ) : e.lastPlace ? (
        <Tag color="red">末位</Tag>
      ) : e.rank === null ? (
        <Typography.Text type="secondary">未参与排名</Typography.Text>
      ) : null,
  },
];

/** 乡镇考评排名 (月考评): top three commended, the last one marked when more than three are ranked. */
export function RankingCard({ campaignId, phone, onExport }: { campaignId: string; phone: boolean; onExport: (path: string, name: string) => void }) {
  const [period, setPeriod] = useState<RankingPeriod>('all');
  const range = rankingPeriod(period, dayjs().format('YYYY-MM-DD'));
  const ranking = useQuery({
    queryKey: ['stats', campaignId, 'ranking', range],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/ranking', { params: { path: { id: campaignId }, query: range } })),
  });
  const data = ranking.data;
  return (
    <Card
      title="乡镇考评排名"
      size={phone ? 'small' : 'default'}
      extra={
        <Button
          icon={<DownloadOutlined />}
          size={phone ? 'small' : 'middle'}
          onClick={() => onExport(exportPath(`/api/campaigns/${encodeURIComponent(campaignId)}/ranking.xlsx`, range), '乡镇考评排名.xlsx')}
        >
          导出
        </Button>
      }
    >
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center" justify="space-between">
          <Segmented<RankingPeriod>
            value={period}
            onChange={setPeriod}
            options={[
              { value: 'all', label: '截至今日' },
              { value: 'thisMonth', label: '本月' },
              { value: 'lastMonth', label: '上月' },
            ]}
          />
          {data && <Typography.Text type="secondary">{data.from ? `${data.from} 至 ${data.to}` : `截至 ${data.to}`}</Typography.Text>}
        </Flex>
        {ranking.isError && <Alert type="error" showIcon title={messageOf(ranking.error)} />}
        <Table<Entry>
          data-testid="ranking-table"
          size="small"
          rowKey={(e) => e.township.id}
          columns={columns}
          dataSource={data?.entries ?? []}
          loading={ranking.isLoading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '没有可排名的乡镇' }}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          按整改率从高到低排名，相同时期间内督查重新打开少者在前，再相同时超期数少者在前，再相同时平均销号天数少者在前；前三名表彰，参与排名超过三个乡镇时最后一名为末位。没有已确认问题的乡镇不参与排名。
        </Typography.Text>
      </Flex>
    </Card>
  );
}
