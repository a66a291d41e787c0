import { Space, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useNavigate } from 'react-router';
import { ledgerCells } from '../../../lib/item-filters';
import { ItemStateTag, OverdueTag } from './ItemStateTag';
import type { LedgerItem } from './types';

const clip = (text: string | null | undefined, width: number) =>
  text ? (
    <Tooltip title={text} placement="topLeft">
      <Typography.Text ellipsis style={{ maxWidth: width }}>
        {text}
      </Typography.Text>
    </Tooltip>
  ) : (
    <Typography.Text type="secondary">—</Typography.Text>
  );

const columns: TableColumnsType<LedgerItem> = [
  { title: '编号', dataIndex: 'number', width: 72, fixed: 'left' },
  { title: '乡镇', key: 'township', width: 110, render: (_, i) => ledgerCells(i).township || '—' },
  { title: '行政村', key: 'village', width: 120, render: (_, i) => ledgerCells(i).village || '—' },
  { title: '户主', key: 'household', width: 80, render: (_, i) => i.household?.name || '—' },
  { title: '身份证号码', key: 'idNumber', width: 180, render: (_, i) => i.household?.idNumber || '—' },
  { title: '问题类型', key: 'type', width: 140, render: (_, i) => clip(i.problemType.name ?? i.problemType.code, 124) },
  { title: '具体问题', dataIndex: 'description', width: 220, render: (v: string) => clip(v, 204) },
  { title: '整改措施', dataIndex: 'measures', width: 200, render: (v: string | null) => clip(v, 184) },
  {
    title: '整改责任人',
    key: 'rectifier',
    width: 140,
    render: (_, i) => {
      const c = ledgerCells(i);
      if (!c.rectifier) return <Typography.Text type="secondary">—</Typography.Text>;
      return c.planned ? <Tooltip title="台账填写的计划责任人，审核确认时确定">{c.rectifier}（计划）</Tooltip> : c.rectifier;
    },
  },
  {
    title: '整改时限',
    key: 'deadline',
    width: 150,
    render: (_, i) => {
      const c = ledgerCells(i);
      if (!c.deadline) return <Typography.Text type="secondary">—</Typography.Text>;
      return (
        <Space size={4}>
          <Typography.Text type={i.overdue ? 'danger' : undefined}>{c.deadline}</Typography.Text>
          {i.overdue && <OverdueTag />}
        </Space>
      );
    },
  },
  {
    title: '状态',
    key: 'state',
    width: 100,
    fixed: 'right',
    render: (_, i) => <ItemStateTag state={i.state} label={i.stateLabel} />,
  },
];

/** The ledger as a table (desktop); scrolls sideways inside its card, a row opens the item. */
export function LedgerTable({ items, loading }: { items: LedgerItem[]; loading: boolean }) {
  const navigate = useNavigate();
  return (
    <Table<LedgerItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      onRow={(i) =>
        ({
          onClick: () => navigate(`/items/${i.id}`),
          style: { cursor: 'pointer' },
          'data-testid': `item-row-${i.number}`,
        }) as React.HTMLAttributes<HTMLElement>
      }
      locale={{ emptyText: '没有符合条件的问题' }}
    />
  );
}
