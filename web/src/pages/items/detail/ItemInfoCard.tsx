import { Card, Descriptions, Grid, Tag, Tooltip, Typography, type DescriptionsProps } from 'antd';
import dayjs from 'dayjs';
import type { Schemas } from '../../../api/client';
import { useCampaigns } from '../../../lib/campaign';

type Item = Schemas['ItemResponse'];

const time = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : null);

function IdNumber({ household }: { household: NonNullable<Item['household']> }) {
  if (!household.idNumber) return <Typography.Text type="secondary">未登记</Typography.Text>;
  return (
    <span>
      <Typography.Text style={{ fontFamily: 'monospace' }} data-testid="id-number" copyable={!household.idNumberMasked}>
        {household.idNumber}
      </Typography.Text>
      {household.idNumberMasked ? (
        <Tag style={{ marginInlineStart: 8 }}>已脱敏</Tag>
      ) : (
        <Tooltip title="县巩固办查看完整号码，每次查看都记入审计日志">
          <Tag color="orange" style={{ marginInlineStart: 8 }}>
            完整号码·已记入审计
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}

/** Where the problem is, whose household, who recorded it, and the record's history in brief. */
export function ItemInfoCard({ item }: { item: Item }) {
  const screens = Grid.useBreakpoint();
  const { data: campaigns } = useCampaigns();
  const campaign = campaigns?.find((c) => c.id === item.campaignId);
  const place = item.township && item.township.id !== item.orgUnit.id ? `${item.township.name} ${item.orgUnit.name}` : item.orgUnit.name;

  const items: NonNullable<DescriptionsProps['items']> = [
    { key: 'campaign', label: '专项行动', children: campaign?.title ?? '—', span: 'filled' },
    { key: 'type', label: '问题类型', children: item.problemType.name ?? item.problemType.code },
    { key: 'place', label: item.orgUnit.kind === 'department' ? '行业部门' : '乡镇 / 行政村', children: place },
    { key: 'name', label: '户主姓名', children: item.household?.name || <Typography.Text type="secondary">—（村级或乡镇级问题）</Typography.Text> },
    { key: 'id', label: '身份证号码', children: item.household ? <IdNumber household={item.household} /> : '—' },
    { key: 'investigator', label: '排查人', children: item.investigator.name },
    { key: 'reviewLevel', label: '审核验收', children: item.reviewLevel === 'county' ? '县巩固办' : '乡镇分管负责人' },
  ];
  if (item.responsibleOrgUnit) items.push({ key: 'responsible', label: '上报至', children: item.responsibleOrgUnit.name });
  if (item.sectorDepartment) items.push({ key: 'sector', label: '行业排查', children: `${item.sectorDepartment.name}（县巩固办审核）` });
  if (item.reopenCount > 0)
    items.push({
      key: 'reopened',
      label: '督查重新打开',
      children: <Typography.Text type="danger">{item.reopenCount} 次</Typography.Text>,
    });
  if (item.extension)
    items.push({
      key: 'extension',
      label: '延期申请',
      span: 'filled',
      children: (
        <span>
          <Tag color="warning">待审批</Tag>申请延期至 {item.extension.requestedDeadline}：{item.extension.reason}
        </span>
      ),
    });
  if (item.longTerm || item.longTermPlan)
    items.push({
      key: 'longTerm',
      label: '长期整改计划',
      span: 'filled',
      children: <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{item.longTermPlan ?? '—'}</Typography.Text>,
    });
  items.push({
    key: 'remark',
    label: '备注',
    span: 'filled',
    children: item.remark ? <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{item.remark}</Typography.Text> : '—',
  });
  items.push({ key: 'created', label: '登记时间', children: time(item.createdAt) });
  items.push({ key: 'updated', label: '最近更新', children: time(item.updatedAt) });
  if (item.closedAt) items.push({ key: 'closed', label: '销号时间', children: time(item.closedAt) });

  return (
    <Card title="基本信息" size={screens.md ? 'default' : 'small'}>
      <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" items={items} />
    </Card>
  );
}
