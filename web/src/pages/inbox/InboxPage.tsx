import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Grid, List, Space, Table, Tag, Typography, theme, type TableColumnsType } from 'antd';
import { useNavigate } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { isDeleted, ItemActions, type ItemActionResult } from '../../components/actions/ItemActions';
import { messageOf } from '../../lib/api-error';
import { deadlineStatus, deadlineText } from '../../lib/deadline';
import { isInboxActionable } from '../../lib/item-actions';
import { ITEM_STATE_COLORS, itemPlace } from '../../lib/labels';

type InboxItem = Schemas['ItemWithActionsResponse'];

/** The inbox after an action: the row as it is now, or gone when nothing waits on me any more. */
function applyResult(rows: InboxItem[] | undefined, id: string, result: ItemActionResult): InboxItem[] | undefined {
  if (!rows) return rows;
  if (isDeleted(result) || !isInboxActionable(result.availableActions)) return rows.filter((r) => r.id !== id);
  return rows.map((r) => (r.id === id ? result : r));
}

function StateTag({ item }: { item: InboxItem }) {
  return <Tag color={ITEM_STATE_COLORS[item.state]}>{item.stateLabel}</Tag>;
}

function Deadline({ item }: { item: InboxItem }) {
  const { token } = theme.useToken();
  const status = deadlineStatus(item);
  const note = deadlineText(status);
  if (!item.deadline) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap>
      <span style={status.kind === 'overdue' ? { color: token.colorError } : undefined}>{item.deadline}</span>
      {status.kind === 'overdue' && <Tag color="error">{note}</Tag>}
      {status.kind === 'today' && <Tag color="warning">{note}</Tag>}
    </Space>
  );
}

/** 待办: the items I can act on now, earliest 整改时限 first (the server's order). */
export function InboxPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { token } = theme.useToken();
  const { data, isLoading, isFetching, error, refetch } = useQuery({
    queryKey: ['inbox'],
    queryFn: () => ok(api.GET('/api/inbox')),
  });
  const rows = data ?? [];
  const overdueCount = rows.filter((r) => r.overdue).length;

  const onDone = (id: string) => (result: ItemActionResult) =>
    queryClient.setQueryData<InboxItem[]>(['inbox'], (old) => applyResult(old, id, result));
  const open = (item: InboxItem) => navigate(`/items/${item.id}`);

  const columns: TableColumnsType<InboxItem> = [
    { title: '序号', dataIndex: 'number', width: 64 },
    { title: '状态', key: 'state', width: 92, render: (_, r) => <StateTag item={r} /> },
    {
      title: '所在地 / 户主',
      key: 'place',
      width: 150,
      render: (_, r) => (
        <Flex vertical>
          <span>{itemPlace(r)}</span>
          {r.household?.name && <Typography.Text type="secondary">{r.household.name}</Typography.Text>}
        </Flex>
      ),
    },
    {
      title: '问题类型 / 具体问题',
      key: 'problem',
      render: (_, r) => (
        <Flex vertical style={{ minWidth: 0 }}>
          <Typography.Text type="secondary" ellipsis>
            {r.problemType.name ?? r.problemType.code}
          </Typography.Text>
          <Typography.Text ellipsis={{ tooltip: r.description }}>{r.description}</Typography.Text>
        </Flex>
      ),
    },
    { title: '整改时限', key: 'deadline', width: 150, render: (_, r) => <Deadline item={r} /> },
    {
      title: '操作',
      key: 'actions',
      width: 260,
      render: (_, r) => <ItemActions item={r} layout="compact" onDone={onDone(r.id)} />,
    },
  ];

  const header = (
    <Flex align="center" gap={8} wrap>
      <Typography.Title level={4} style={{ margin: 0 }}>
        待办
      </Typography.Title>
      {data && <Typography.Text type="secondary">共 {rows.length} 项</Typography.Text>}
      {overdueCount > 0 && <Tag color="error">超期 {overdueCount} 项</Tag>}
      <Button icon={<ReloadOutlined />} onClick={() => void refetch()} loading={isFetching && !isLoading} aria-label="刷新" style={{ marginInlineStart: 'auto' }}>
        {phone ? null : '刷新'}
      </Button>
    </Flex>
  );

  const failure = error ? (
    <Alert
      type="error"
      showIcon
      title={messageOf(error)}
      action={
        <Button size="small" onClick={() => void refetch()}>
          重试
        </Button>
      }
      style={{ marginBottom: 16 }}
    />
  ) : null;

  if (phone) {
    return (
      <Flex vertical gap={12}>
        {header}
        {failure}
        <List
          loading={isLoading}
          dataSource={rows}
          rowKey="id"
          locale={{ emptyText: <Empty description="暂无待办" /> }}
          split={false}
          renderItem={(item) => (
            <List.Item style={{ padding: 0, marginBottom: 12 }}>
              <Card
                data-testid={`item-row-${item.number}`}
                size="small"
                style={{ width: '100%', borderColor: item.overdue ? token.colorError : undefined }}
                styles={{ header: item.overdue ? { background: token.colorErrorBg } : undefined }}
                onClick={() => open(item)}
                title={
                  <Space size={8}>
                    <span>序号 {item.number}</span>
                    <StateTag item={item} />
                  </Space>
                }
                extra={item.overdue ? <Tag color="error">{deadlineText(deadlineStatus(item))}</Tag> : null}
              >
                <Flex vertical gap={6}>
                  <Typography.Text strong>
                    {[itemPlace(item), item.household?.name].filter(Boolean).join(' · ')}
                  </Typography.Text>
                  <Typography.Text type="secondary">{item.problemType.name ?? item.problemType.code}</Typography.Text>
                  <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                    {item.description}
                  </Typography.Paragraph>
                  {item.deadline && (
                    <Typography.Text type={item.overdue ? 'danger' : 'secondary'}>整改时限：{item.deadline}</Typography.Text>
                  )}
                  <div style={{ marginTop: 4 }}>
                    <ItemActions item={item} layout="block" onDone={onDone(item.id)} />
                  </div>
                </Flex>
              </Card>
            </List.Item>
          )}
        />
      </Flex>
    );
  }

  return (
    <Card title={header}>
      {failure}
      <Table<InboxItem>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={isLoading}
        tableLayout="fixed"
        scroll={{ x: 880 }}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description="暂无待办" /> }}
        onRow={(r) => ({
          onClick: () => open(r),
          style: { cursor: 'pointer', ...(r.overdue ? { background: token.colorErrorBg } : {}) },
          'data-testid': `item-row-${r.number}`,
        } as React.HTMLAttributes<HTMLElement>)}
      />
    </Card>
  );
}
