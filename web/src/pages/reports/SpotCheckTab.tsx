import { DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, InputNumber, Segmented, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { SignConfirmModal } from '../../components/signing/SignConfirmModal';
import { messageOf } from '../../lib/api-error';
import { SIGNING_GRANT_HEADER } from '../../lib/signing-grant';

type Draw = Schemas['SpotCheckDrawResponse'];
type DrawnItem = Schemas['DrawnItemResponse'];
type CoverageRow = Schemas['CoverageRowResponse'];
type WorklistItem = Schemas['WorklistItemResponse'];

const CHECK_TAGS: Record<DrawnItem['check'], { color: string; label: string }> = {
  pending: { color: 'gold', label: '待复核' },
  passed: { color: 'green', label: '督查通过' },
  reopened: { color: 'red', label: '重新打开' },
};

const itemColumns: TableColumnsType<DrawnItem> = [
  { title: '序号', dataIndex: 'number', width: 64, render: (n: number, i) => <Link to={`/items/${i.id}`}>#{n}</Link> },
  { title: '乡镇', key: 'township', width: 90, render: (_, i) => i.township.name },
  { title: '行政村', key: 'village', width: 110, render: (_, i) => i.orgUnit.name },
  { title: '具体问题', dataIndex: 'description', ellipsis: true },
  { title: '状态', dataIndex: 'stateLabel', width: 80 },
  {
    title: '复核',
    key: 'check',
    width: 150,
    render: (_, i) => (
      <Flex vertical>
        <Tag color={CHECK_TAGS[i.check].color}>{CHECK_TAGS[i.check].label}</Tag>
        {i.checkedBy && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {i.checkedBy.name} {dayjs(i.checkedAt).format('MM-DD')}
          </Typography.Text>
        )}
      </Flex>
    ),
  },
];

const worklistColumns: TableColumnsType<WorklistItem> = [
  { title: '序号', dataIndex: 'number', width: 64, render: (n: number, i) => <Link to={`/items/${i.id}`}>#{n}</Link> },
  { title: '行政村', key: 'village', width: 110, render: (_, i) => i.orgUnit.name },
  { title: '具体问题', dataIndex: 'description', ellipsis: true },
  { title: '状态', dataIndex: 'stateLabel', width: 80 },
  { title: '抽取', key: 'draw', width: 150, render: (_, i) => `${i.draw.drawnByOrgUnit.name} 第 ${i.draw.round} 轮` },
];

const coverageColumns: TableColumnsType<CoverageRow> = [
  { title: '乡镇', key: 'township', width: 90, render: (_, r) => r.township.name },
  { title: '行政村', key: 'village', width: 120, render: (_, r) => r.orgUnit.name },
  { title: '已销号', dataIndex: 'closed', width: 72, align: 'right' },
  {
    title: '已抽取',
    dataIndex: 'drawn',
    width: 72,
    align: 'right',
    render: (v: number, r) => (v === 0 && r.closed > 0 ? <Typography.Text type="danger">0</Typography.Text> : v),
  },
  { title: '已复核', dataIndex: 'checked', width: 72, align: 'right' },
  { title: '督查通过', dataIndex: 'passed', width: 80, align: 'right' },
  {
    title: '重新打开',
    dataIndex: 'reopened',
    width: 80,
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
];

/**
 * 抽查复核: the county office or a supervision group draws a signed random
 * sample of closed and dismissed items (a share or a count per township, at
 * least one per village); the drawn items with their checks, and coverage per village.
 */
export function SpotCheckTab({ campaignId, phone, onExport }: { campaignId: string; phone: boolean; onExport: (path: string, name: string) => void }) {
  const { hasRole } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const mayDraw = hasRole('county_office', 'inspector');
  const [mode, setMode] = useState<'percent' | 'count'>('percent');
  const [value, setValue] = useState<number>(10);
  const [confirming, setConfirming] = useState(false);
  const [selected, setSelected] = useState<string | undefined>();

  const draws = useQuery({
    queryKey: ['spot-checks', campaignId, 'draws'],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/spot-check-draws', { params: { path: { id: campaignId } } })),
  });
  const coverage = useQuery({
    queryKey: ['spot-checks', campaignId, 'coverage'],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/spot-check-coverage', { params: { path: { id: campaignId } } })),
  });
  const worklist = useQuery({
    queryKey: ['spot-checks', campaignId, 'worklist'],
    queryFn: () => ok(api.GET('/api/spot-checks/worklist', { params: { query: { campaignId } } })),
    enabled: hasRole('inspector'),
  });
  const current: Draw | undefined = draws.data?.find((d) => d.id === selected) ?? draws.data?.[0];

  const draw = async (key: string, grant: string | undefined) => {
    const made = await ok(
      api.POST('/api/campaigns/{id}/spot-check-draws', {
        params: { path: { id: campaignId }, header: { 'Idempotency-Key': key, ...(grant ? { [SIGNING_GRANT_HEADER]: grant } : {}) } },
        body: { mode, value },
      }),
    );
    setConfirming(false);
    setSelected(made.id);
    message.success(`已抽取第 ${made.round} 轮，共 ${made.sampleSize} 个问题`);
    await queryClient.invalidateQueries({ queryKey: ['spot-checks', campaignId] });
  };

  const total = coverage.data?.total;
  return (
    <Flex vertical gap={phone ? 8 : 16}>
      {mayDraw && (
        <Card size={phone ? 'small' : 'default'} title="抽取抽查样本">
          <Flex wrap gap={12} align="center">
            <Segmented<'percent' | 'count'>
              value={mode}
              onChange={(m) => {
                setMode(m);
                setValue(m === 'percent' ? 10 : 2);
              }}
              options={[
                { value: 'percent', label: '按比例' },
                { value: 'count', label: '每乡镇数量' },
              ]}
            />
            <InputNumber
              aria-label={mode === 'percent' ? '抽取比例' : '每乡镇抽取数量'}
              min={1}
              max={mode === 'percent' ? 100 : 1000}
              value={value}
              onChange={(v) => setValue(v ?? 1)}
              suffix={mode === 'percent' ? '%' : '个'}
              style={{ width: 120 }}
            />
            <Button type="primary" onClick={() => setConfirming(true)}>
              抽取
            </Button>
          </Flex>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            从{hasRole('county_office') ? '全县各乡镇' : '本督查组负责的乡镇'}
            已销号、不予认定的问题中随机抽取，每个有这类问题的村至少抽一个；随机种子由服务器生成并记录，抽取结果以您的名义签字，同一轮不能重抽，任何人都可以按种子重现抽取结果（npm
            run verify 核对）。
          </Typography.Paragraph>
        </Card>
      )}

      {hasRole('inspector') && (
        <Card size={phone ? 'small' : 'default'} title={`待复核（${worklist.data?.length ?? 0}）`}>
          {worklist.isError && <Alert type="error" showIcon title={messageOf(worklist.error)} />}
          <Table<WorklistItem>
            data-testid="worklist"
            size="small"
            rowKey={(i) => `${i.draw.id}/${i.id}`}
            columns={worklistColumns}
            dataSource={worklist.data ?? []}
            loading={worklist.isLoading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: '没有待复核的抽查问题' }}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            点击序号打开问题，督查通过或重新打开（督查签字）后即离开此清单。
          </Typography.Text>
        </Card>
      )}

      <Card
        size={phone ? 'small' : 'default'}
        title="抽查样本与复核结果"
        extra={
          draws.data?.length ? (
            <Select
              aria-label="抽查轮次"
              value={current?.id}
              onChange={setSelected}
              style={{ width: phone ? 160 : 300 }}
              options={draws.data.map((d) => ({
                value: d.id,
                label: `${d.drawnByOrgUnit.name} 第 ${d.round} 轮（${dayjs(d.drawnAt).format('MM-DD')}）`,
              }))}
            />
          ) : null
        }
      >
        {draws.isError && <Alert type="error" showIcon title={messageOf(draws.error)} />}
        {current ? (
          <Flex vertical gap={8}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {current.drawnBy.name} 于 {dayjs(current.drawnAt).format('YYYY-MM-DD HH:mm')} 抽取（
              {current.mode === 'percent' ? `按比例 ${current.value}%` : `每乡镇 ${current.value} 个`}）：
              {current.townships.map((t) => t.name).join('、')}，从 {current.populationSize} 个问题中抽取 {current.sampleSize} 个；已复核 {current.checked}
              ，督查通过 {current.passed}，重新打开 {current.reopened}。种子{' '}
              <Typography.Text code copyable>
                {current.seed}
              </Typography.Text>
            </Typography.Text>
            <Table<DrawnItem>
              data-testid="draw-items"
              size="small"
              rowKey="id"
              columns={itemColumns}
              dataSource={current.items}
              pagination={false}
              scroll={{ x: 'max-content' }}
            />
          </Flex>
        ) : (
          !draws.isLoading && <Empty description="尚未抽取抽查样本" />
        )}
      </Card>

      <Card
        size={phone ? 'small' : 'default'}
        title="覆盖情况（各村）"
        extra={
          <Button
            icon={<DownloadOutlined />}
            size={phone ? 'small' : 'middle'}
            onClick={() => onExport(`/api/campaigns/${encodeURIComponent(campaignId)}/spot-check-coverage.xlsx`, '抽查复核覆盖.xlsx')}
          >
            导出
          </Button>
        }
      >
        {coverage.isError && <Alert type="error" showIcon title={messageOf(coverage.error)} />}
        <Table<CoverageRow>
          data-testid="coverage-table"
          size="small"
          rowKey={(r) => r.orgUnit.id}
          columns={coverageColumns}
          dataSource={coverage.data?.rows ?? []}
          loading={coverage.isLoading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '没有已销号的问题' }}
        />
        {total && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            合计：{total.villages} 个村有已销号问题，已抽查 {total.villagesDrawn} 个村、复核 {total.villagesChecked} 个村；已抽取 {total.drawn}，已复核{' '}
            {total.checked}，重新打开 {total.reopened}。
          </Typography.Text>
        )}
      </Card>

      <SignConfirmModal
        open={confirming}
        title="抽取抽查样本"
        description={`${mode === 'percent' ? `按比例 ${value}%` : `每乡镇 ${value} 个`}抽取，抽取结果以您的名义签字，不能重抽。`}
        okText="抽取并签字"
        onCancel={() => setConfirming(false)}
        onSign={(key, _comment, grant) => draw(key, grant)}
      />
    </Flex>
  );
}
