import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Flex, Segmented, Spin } from 'antd';
import type { Dayjs } from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { api, ok } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { exportPath } from '../../lib/stats';

const SeriesChart = lazy(() => import('./SeriesChart'));

interface Props {
  campaignId: string;
  /** Follows the progress table's drill-down. */
  townshipId?: string;
  phone: boolean;
  onExport: (path: string, name: string) => void;
}

/** 日 / 周 / 半月 / 月 progress as a line chart (figures as of the end of each day, Friday, 15th and month end, or month end). */
type Interval = 'day' | 'week' | 'half_month' | 'month';

const TITLES: Record<Interval, string> = { day: '每日进度', week: '每周五进度', half_month: '半月进度（15日、月末）', month: '每月进度（月末）' };

export function SeriesCard({ campaignId, townshipId, phone, onExport }: Props) {
  const [interval, setInterval] = useState<Interval>('day');
  const [from, setFrom] = useState<Dayjs | null>(null);
  const [to, setTo] = useState<Dayjs | null>(null);
  const params = {
    interval,
    ...(townshipId ? { townshipId } : {}),
    ...(from ? { from: from.format('YYYY-MM-DD') } : {}),
    ...(to ? { to: to.format('YYYY-MM-DD') } : {}),
  };
  const series = useQuery({
    queryKey: ['stats', campaignId, 'series', params],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/series', { params: { path: { id: campaignId }, query: params } })),
  });
  const points = series.data?.points ?? [];

  return (
    <Card
      title={TITLES[interval]}
      size={phone ? 'small' : 'default'}
      extra={
        <Button
          icon={<DownloadOutlined />}
          size={phone ? 'small' : 'middle'}
          onClick={() => onExport(exportPath(`/api/campaigns/${encodeURIComponent(campaignId)}/series.xlsx`, params), '进度序列.xlsx')}
        >
          导出
        </Button>
      }
    >
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center">
          <Segmented<Interval>
            aria-label="统计周期"
            value={interval}
            onChange={setInterval}
            options={[
              { value: 'day', label: '日' },
              { value: 'week', label: '周' },
              { value: 'half_month', label: '半月' },
              { value: 'month', label: '月' },
            ]}
          />
          <Flex gap={8} style={phone ? { width: '100%' } : undefined}>
            <DatePicker
              aria-label="开始日期"
              placeholder="开始日期"
              value={from}
              onChange={setFrom}
              disabledDate={(d) => !!to && d.isAfter(to, 'day')}
              inputReadOnly={phone}
              style={phone ? { flex: 1 } : { width: 140 }}
            />
            <DatePicker
              aria-label="截止日期"
              placeholder="截止日期（今日）"
              value={to}
              onChange={setTo}
              disabledDate={(d) => !!from && d.isBefore(from, 'day')}
              inputReadOnly={phone}
              style={phone ? { flex: 1 } : { width: 160 }}
            />
          </Flex>
        </Flex>
        {series.isError && <Alert type="error" showIcon title={messageOf(series.error)} />}
        {series.isLoading ? (
          <Spin style={{ display: 'block', padding: 48 }} />
        ) : points.length ? (
          <Suspense fallback={<Spin style={{ display: 'block', padding: 48 }} />}>
            <SeriesChart points={points} interval={interval} phone={phone} />
          </Suspense>
        ) : (
          !series.isError && <Empty description="所选期间没有数据" />
        )}
      </Flex>
    </Card>
  );
}
