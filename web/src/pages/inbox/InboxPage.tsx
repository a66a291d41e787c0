import { CheckSquareOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Empty, Flex, Grid, List, Space, Table, Tag, Typography, theme, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { BatchActionForm } from '../../components/actions/BatchActionForm';
import { isDeleted, ItemActions, type ItemActionResult } from '../../components/actions/ItemActions';
import { messageOf } from '../../lib/api-error';
import { batchActionsFor, batchOutcome, batchSpec, batchSummary, inboxAfterBatch, isBatchable, type BatchAction } from '../../lib/batch';
import { deadlineStatus, deadlineText } from '../../lib/deadline';
import { isInboxActionable } from '../../lib/item-actions';
import { ITEM_STATE_COLORS, itemPlace } from '../../lib/labels';
import { DelegationBanner } from '../delegations/DelegationBanner';

/** An inbox entry; an item written back after an action carries no duplicate count until the next refetch. */
type InboxItem = Schemas['ItemWithActionsResponse'] & Partial<Pick<Schemas['InboxItemResponse'], 'openDuplicates'>>;
type BatchAnswer = Schemas['ItemBatchResponse'];

/** The inbox after an action: the row as it is now, or gone when nothing waits on me any more. */
function applyResult(rows: InboxItem[] | undefined, id: string, result: ItemActionResult): InboxItem[] | undefined {
  if (!rows) return rows;
  if (isDeleted(result) || !isInboxActionable(result.availableActions)) return rows.filter((r) => r.id !== id);
  return rows.map((r) => (r.id === id ? result : r));
}

function StateTag({ item }: { item: InboxItem }) {
  const duplicates = item.openDuplicates ?? 0;
  return (
    <Flex vertical gap={4} align="start">
      <Tag color={ITEM_STATE_COLORS[item.state]}>{item.stateLabel}</Tag>
      {duplicates > 0 && (
        <Tag color="orange" title={`同一户同一问题类型另有 ${duplicates} 个未销号的问题`} style={{ marginInlineEnd: 0 }}>
          疑似重复
        </Tag>
      )}
      {/* 委派: an item the caller reviews for the delegator; the name wraps inside the narrow column. */}
      {item.actingFor && (
        <Tag color="purple" data-testid={`acting-for-${item.number}`} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
          代 {item.actingFor.name}
        </Tag>
      )}
    </Flex>
  );
}

/** Why the last batch left this row undone, in the server's words. */
function BatchError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <Typography.Text type="danger" data-testid="batch-error">
      未完成：{message}
    </Typography.Text>
  );
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

/** Items of an inbox page: the server's default. */
const INBOX_PAGE = 50;

/** One page of 待办 and the cursor of the next (the X-Next-Cursor answer header), null at the end. */
async function inboxPage(cursor: string | null): Promise<{ items: InboxItem[]; nextCursor: string | null }> {
  const call = api.GET('/api/inbox', { params: { query: { limit: INBOX_PAGE, ...(cursor ? { cursor } : {}) } } });
  const items = await ok(call);
  return { items, nextCursor: (await call).response.headers.get('X-Next-Cursor') };
}

/** 待办: the items I can act on now, earliest 整改时限 first (the server's order). */
export function InboxPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  // The inbox comes in pages (X-Next-Cursor): the first with the query, the rest appended by 加载更多.
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const { data, isLoading, isFetching, error, refetch } = useQuery({
    queryKey: ['inbox'],
    queryFn: async () => {
      const page = await inboxPage(null);
      setNextCursor(page.nextCursor);
      return page.items;
    },
  });
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await inboxPage(nextCursor);
      queryClient.setQueryData<InboxItem[]>(['inbox'], (old) => [...(old ?? []), ...page.items.filter((i) => !old?.some((o) => o.id === i.id))]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setLoadingMore(false);
    }
  };
  const rows = data ?? [];
  const overdueCount = rows.filter((r) => r.overdue).length;

  // 批量审批: the selected rows (desktop: the table's checkboxes; phone: 批量 mode), the open batch form, and what the last batch left undone.
  const [selected, setSelected] = useState<string[]>([]);
  const [batchMode, setBatchMode] = useState(false);
  const [batchAction, setBatchAction] = useState<BatchAction | null>(null);
  const [batchErrors, setBatchErrors] = useState<Record<string, string>>({});
  const [batchResult, setBatchResult] = useState<{ text: string; failed: boolean } | null>(null);
  // A selected row that moved on (no batch action any more) drops out of the selection.
  const selectedRows = rows.filter((r) => selected.includes(r.id) && isBatchable(r));
  const batchActions = batchActionsFor(selectedRows);
  const anyBatchable = rows.some(isBatchable);
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  const onDone = (id: string) => (result: ItemActionResult) => {
    setBatchErrors(({ [id]: _, ...rest }) => rest);
    setSelected((s) => s.filter((x) => x !== id));
    queryClient.setQueryData<InboxItem[]>(['inbox'], (old) => applyResult(old, id, result));
  };
  const open = (item: InboxItem) => navigate(`/items/${item.id}`);

  const onBatchDone = (action: BatchAction, answer: BatchAnswer) => {
    const outcome = batchOutcome(selectedRows, answer.results);
    queryClient.setQueryData<InboxItem[]>(['inbox'], (old) => (old ? inboxAfterBatch(old, outcome.done) : old));
    for (const item of outcome.done) queryClient.setQueryData(['item', item.id], item);
    for (const k of [['items'], ['notifications']]) void queryClient.invalidateQueries({ queryKey: k });
    setBatchErrors(Object.fromEntries(outcome.failed.map((f) => [f.itemId, f.message])));
    // What failed stays selected, to look at or to do one by one.
    setSelected(outcome.failed.map((f) => f.itemId));
    const text = batchSummary(batchSpec(action, selectedRows).label, outcome);
    setBatchResult({ text, failed: outcome.failed.length > 0 });
    if (!outcome.failed.length) message.success(text);
    // Rows refused because they moved on meanwhile are shown as they are now, with the message, until the next refresh.
    for (const f of outcome.failed.filter((x) => x.code === 'TRANSITION_REFUSED' || x.code === 'VERSION_CONFLICT')) {
      void ok(api.GET('/api/items/{id}', { params: { path: { id: f.itemId } } }))
        .then((now) => queryClient.setQueryData<InboxItem[]>(['inbox'], (old) => old?.map((r) => (r.id === now.id ? now : r))))
        .catch(() => undefined);
    }
  };

  const batchBar = (phone ? batchMode : anyBatchable) ? (
    <Flex align="center" gap={8} wrap data-testid="batch-bar">
      <Typography.Text type={selectedRows.length ? undefined : 'secondary'}>
        {selectedRows.length ? `已选 ${selectedRows.length} 项` : phone ? '点选问题后批量签字' : '勾选多个问题可批量签字'}
      </Typography.Text>
      {batchActions.map((a) => (
        <Button key={a} type="primary" size={phone ? 'large' : 'middle'} onClick={() => setBatchAction(a)} autoInsertSpace={false}>
          {batchSpec(a, selectedRows).label}
        </Button>
      ))}
      {selectedRows.length > 0 && batchActions.length === 0 && <Typography.Text type="secondary">所选问题没有共同的批量操作</Typography.Text>}
      {selectedRows.length > 0 && (
        <Button type="link" onClick={() => setSelected([])} autoInsertSpace={false}>
          取消选择
        </Button>
      )}
    </Flex>
  ) : null;

  const batchNotice = batchResult ? (
    <Alert
      type={batchResult.failed ? 'warning' : 'success'}
      showIcon
      closable
      onClose={() => setBatchResult(null)}
      title={batchResult.text}
      style={{ marginBottom: 12 }}
    />
  ) : null;

  const batchForm = batchAction ? (
    <BatchActionForm
      action={batchAction}
      rows={selectedRows}
      phone={phone}
      onClose={() => setBatchAction(null)}
      onDone={(answer) => onBatchDone(batchAction, answer)}
    />
  ) : null;

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
          <BatchError message={batchErrors[r.id]} />
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
      {data && <Typography.Text type="secondary">{nextCursor ? `已显示 ${rows.length} 项，还有更多` : `共 ${rows.length} 项`}</Typography.Text>}
      {overdueCount > 0 && <Tag color="error">超期 {overdueCount} 项</Tag>}
      {phone && anyBatchable && (
        <Button
          icon={<CheckSquareOutlined />}
          type={batchMode ? 'primary' : 'default'}
          onClick={() => {
            setBatchMode((m) => !m);
            setSelected([]);
          }}
          style={{ marginInlineStart: 'auto' }}
          autoInsertSpace={false}
        >
          {batchMode ? '退出批量' : '批量'}
        </Button>
      )}
      <Button
        icon={<ReloadOutlined />}
        onClick={() => void refetch()}
        loading={isFetching && !isLoading}
        aria-label="刷新"
        style={phone && anyBatchable ? undefined : { marginInlineStart: 'auto' }}
      >
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

  const more = nextCursor ? (
    <Flex justify="center">
      <Button onClick={() => void loadMore()} loading={loadingMore} size={phone ? 'large' : 'middle'} block={phone}>
        加载更多待办
      </Button>
    </Flex>
  ) : null;

  if (phone) {
    return (
      <Flex vertical gap={12}>
        {header}
        <DelegationBanner />
        {failure}
        {batchNotice}
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
                onClick={() => (batchMode ? isBatchable(item) && toggle(item.id) : open(item))}
                title={
                  <Space size={8}>
                    {batchMode && (
                      <Checkbox
                        checked={selected.includes(item.id) && isBatchable(item)}
                        disabled={!isBatchable(item)}
                        aria-label={`选择序号 ${item.number}`}
                        onClick={(e) => e.stopPropagation()}
                        onChange={() => toggle(item.id)}
                      />
                    )}
                    <span>序号 {item.number}</span>
                    <StateTag item={item} />
                  </Space>
                }
                extra={item.overdue ? <Tag color="error">{deadlineText(deadlineStatus(item))}</Tag> : null}
              >
                <Flex vertical gap={6}>
                  <Typography.Text strong>{[itemPlace(item), item.household?.name].filter(Boolean).join(' · ')}</Typography.Text>
                  <Typography.Text type="secondary">{item.problemType.name ?? item.problemType.code}</Typography.Text>
                  <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                    {item.description}
                  </Typography.Paragraph>
                  {item.deadline && <Typography.Text type={item.overdue ? 'danger' : 'secondary'}>整改时限：{item.deadline}</Typography.Text>}
                  <BatchError message={batchErrors[item.id]} />
                  <div style={{ marginTop: 4 }}>
                    <ItemActions item={item} layout="block" onDone={onDone(item.id)} />
                  </div>
                </Flex>
              </Card>
            </List.Item>
          )}
        />
        {more}
        {/* After the list, held at the bottom of the screen while scrolling: within the thumb's reach. */}
        {batchBar && (
          <Card size="small" style={{ position: 'sticky', bottom: 0, zIndex: 5, boxShadow: token.boxShadowSecondary }}>
            {batchBar}
          </Card>
        )}
        {batchForm}
      </Flex>
    );
  }

  return (
    <Card title={header}>
      <DelegationBanner />
      {failure}
      {batchNotice}
      {batchBar && <div style={{ marginBottom: 12 }}>{batchBar}</div>}
      <Table<InboxItem>
        rowKey="id"
        rowSelection={
          anyBatchable
            ? {
                selectedRowKeys: selectedRows.map((r) => r.id),
                onChange: (keys) => setSelected(keys as string[]),
                getCheckboxProps: (r) => ({ disabled: !isBatchable(r), 'aria-label': `选择序号 ${r.number}` }),
                // The checkbox cell selects; the rest of the row opens the item.
                onCell: () => ({ onClick: (e: React.MouseEvent) => e.stopPropagation() }),
                columnWidth: 48,
              }
            : undefined
        }
        columns={columns}
        dataSource={rows}
        loading={isLoading}
        tableLayout="fixed"
        scroll={{ x: 880 }}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description="暂无待办" /> }}
        footer={nextCursor ? () => more : undefined}
        onRow={(r) =>
          ({
            onClick: () => open(r),
            style: { cursor: 'pointer', ...(r.overdue ? { background: token.colorErrorBg } : {}) },
            'data-testid': `item-row-${r.number}`,
          }) as React.HTMLAttributes<HTMLElement>
        }
      />
      {batchForm}
    </Card>
  );
}
