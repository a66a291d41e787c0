import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, DatePicker, Empty, Flex, Grid, List, Result, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, download, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';
import { AUDIT_ACTION_LABELS, AUDIT_SUBJECT_LABELS, auditActionLabel, auditQuery, nextBefore, type AuditEvent, type AuditFilters } from './audit-log';

const PAGE = 200;

function Target({ e }: { e: AuditEvent }) {
  const label = AUDIT_SUBJECT_LABELS[e.subjectType] ?? e.subjectType;
  if (!e.subjectId) return <span style={{ whiteSpace: 'nowrap' }}>{label}</span>;
  const short = e.subjectId.slice(0, 8);
  if (e.subjectType === 'item')
    return (
      <Link to={`/items/${e.subjectId}`}>
        {label} {short}
      </Link>
    );
  if (e.subjectType === 'campaign')
    return (
      <Link to={`/campaigns/${e.subjectId}`}>
        {label} {short}
      </Link>
    );
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {label} <Typography.Text copyable={{ text: e.subjectId }}>{short}</Typography.Text>
    </span>
  );
}

function Actor({ e }: { e: AuditEvent }) {
  if (!e.actorId) return <Typography.Text type="secondary">系统</Typography.Text>;
  if (!e.actor) return <Typography.Text code>{e.actorId.slice(0, 8)}</Typography.Text>;
  return (
    <span style={{ whiteSpace: 'nowrap' }} title={e.actorId}>
      {e.actor.displayName} <Typography.Text type="secondary">({e.actor.username})</Typography.Text>
    </span>
  );
}

function Details({ details }: { details: AuditEvent['details'] }) {
  return <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(details, null, 2)}</pre>;
}

/** 审计日志 (auditor): sensitive actions of the county, newest first. */
export function AuditPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { hasRole } = useAuth();
  const [filters, setFilters] = useState<AuditFilters>({});
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const exportXlsx = async () => {
    setExporting(true);
    try {
      const { limit: _all, ...q } = auditQuery(filters, 1);
      await download(`/api/audit-events/export.xlsx?${new URLSearchParams(q as Record<string, string>)}`, '审计日志.xlsx');
    } catch (err) {
      message.error(messageOf(err));
    } finally {
      setExporting(false);
    }
  };

  const query = useInfiniteQuery({
    queryKey: ['audit-events', filters],
    enabled: hasRole('auditor'),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => ok(api.GET('/api/audit-events', { params: { query: auditQuery(filters, PAGE, pageParam) } })),
    getNextPageParam: (last) => nextBefore(last, PAGE),
  });
  const loaded = useMemo(() => query.data?.pages.flat() ?? [], [query.data]);
  const rows = loaded;
  // actors seen so far (the auditor cannot list users); the filter keeps its choice while others load
  const [actors, setActors] = useState(new Map<string, string>());
  useEffect(() => {
    const fresh = loaded.filter((e) => e.actor && !actors.has(e.actor.id));
    if (fresh.length) setActors((m) => new Map([...m, ...fresh.map((e) => [e.actor!.id, `${e.actor!.displayName}（${e.actor!.username}）`] as const)]));
  }, [loaded, actors]);
  const actionOptions = useMemo(() => {
    const seen = new Set([...Object.keys(AUDIT_ACTION_LABELS), ...loaded.map((e) => e.action)]);
    return [...seen].map((a) => ({ value: a, label: auditActionLabel(a) }));
  }, [loaded]);

  if (!hasRole('auditor')) return <Result status="403" title="只有审计员可以查看审计日志" />;

  const toolbar = (
    <Flex gap={8} wrap vertical={phone}>
      <Select
        allowClear
        aria-label="操作"
        placeholder="全部操作"
        value={filters.action}
        onChange={(action) => setFilters((f) => ({ ...f, action }))}
        options={actionOptions}
        style={{ minWidth: 220 }}
        size={phone ? 'large' : 'middle'}
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        aria-label="操作人"
        placeholder="全部操作人"
        value={filters.actorId}
        onChange={(actorId) => setFilters((f) => ({ ...f, actorId }))}
        options={[...actors].map(([value, label]) => ({ value, label }))}
        style={{ minWidth: 200 }}
        size={phone ? 'large' : 'middle'}
      />
      <DatePicker.RangePicker
        aria-label="时间"
        value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
        onChange={(range) =>
          setFilters((f) => ({ ...f, from: range?.[0]?.format('YYYY-MM-DD') ?? undefined, to: range?.[1]?.format('YYYY-MM-DD') ?? undefined }))
        }
        allowEmpty={[true, true]}
        inputReadOnly={phone}
        size={phone ? 'large' : 'middle'}
      />
      <Button onClick={() => void exportXlsx()} loading={exporting} size={phone ? 'large' : 'middle'}>
        导出 .xlsx
      </Button>
    </Flex>
  );

  const more = query.hasNextPage && (
    <div style={{ textAlign: 'center', marginTop: 12 }}>
      <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage} block={phone}>
        加载更早的记录
      </Button>
    </div>
  );

  return (
    <Card title="审计日志">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {toolbar}
        <Typography.Text type="secondary">
          已加载符合条件的记录 {loaded.length} 条{query.hasNextPage ? '；更早的记录需继续加载' : ''}
        </Typography.Text>
        {query.error && <Alert type="error" showIcon title={messageOf(query.error)} />}
        {phone ? (
          <List<AuditEvent>
            loading={query.isLoading}
            dataSource={rows}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的记录" /> }}
            renderItem={(e) => (
              <List.Item data-testid={`audit-row-${e.id}`}>
                <div style={{ width: '100%', minWidth: 0 }}>
                  <Space wrap size={4}>
                    <Tag color={e.result === 'failure' ? 'red' : 'blue'}>{auditActionLabel(e.action)}</Tag>
                    <Typography.Text type="secondary">{dayjs(e.createdAt).format('YYYY-MM-DD HH:mm:ss')}</Typography.Text>
                    {e.sourceIp && <Typography.Text type="secondary">来自 {e.sourceIp}</Typography.Text>}
                  </Space>
                  <div>
                    操作人 <Actor e={e} /> · <Target e={e} />
                  </div>
                  {e.requestId && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      请求 {e.requestId}
                    </Typography.Text>
                  )}
                  <Collapse size="small" ghost items={[{ key: 'd', label: '详情', children: <Details details={e.details} /> }]} />
                </div>
              </List.Item>
            )}
          />
        ) : (
          <Table<AuditEvent>
            rowKey="id"
            size="small"
            loading={query.isLoading}
            dataSource={rows}
            pagination={false}
            scroll={{ x: true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的记录" /> }}
            onRow={(e) => ({ 'data-testid': `audit-row-${e.id}` }) as React.HTMLAttributes<HTMLElement>}
            expandable={{ expandedRowRender: (e) => <Details details={e.details} />, rowExpandable: (e) => Object.keys(e.details).length > 0 }}
            columns={[
              { title: '时间', dataIndex: 'createdAt', width: 170, render: (t: string) => dayjs(t).format('YYYY-MM-DD HH:mm:ss') },
              { title: '操作人', key: 'actor', width: 160, render: (_: unknown, e: AuditEvent) => <Actor e={e} /> },
              {
                title: '操作',
                key: 'action',
                render: (_: unknown, e: AuditEvent) => <Tag color={e.result === 'failure' ? 'red' : 'blue'}>{auditActionLabel(e.action)}</Tag>,
              },
              { title: '结果', dataIndex: 'result', width: 84, render: (r: AuditEvent['result']) => (r === 'failure' ? '失败' : '成功') },
              { title: '来源地址', dataIndex: 'sourceIp', width: 130, render: (ip: string | null) => ip ?? '—' },
              { title: '对象', key: 'target', render: (_: unknown, e) => <Target e={e} /> },
              {
                title: '详情',
                dataIndex: 'details',
                render: (d: AuditEvent['details']) => (
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
                    {JSON.stringify(d)}
                  </Typography.Text>
                ),
              },
              {
                title: '请求 ID',
                dataIndex: 'requestId',
                width: 150,
                render: (r: string | null) => (r ? <Typography.Text copyable={{ text: r }}>{r.slice(0, 12)}</Typography.Text> : '—'),
              },
            ]}
          />
        )}
        {more}
      </Space>
    </Card>
  );
}
