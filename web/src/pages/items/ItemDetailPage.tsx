import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Collapse, Flex, Grid, Result, Row, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api, ok, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { ItemActions, isDeleted } from '../../components/actions/ItemActions';
import { WorkflowDiagram } from '../../components/WorkflowDiagram';
import { ApiError, messageOf } from '../../lib/api-error';
import { deadlineStatus, deadlineText } from '../../lib/deadline';
import { ITEM_STATE_COLORS } from '../../lib/labels';
import { itemStateIds } from '../../lib/workflow-diagram';
import { ChecklistCard } from './detail/ChecklistCard';
import { ItemInfoCard } from './detail/ItemInfoCard';
import { SignatureChainCard } from './detail/SignatureChainCard';

type Item = Schemas['ItemWithActionsResponse'];

/** 问题详情: the 四项清单, the household, what the user may do now, the signature chain and where the item stands in its workflow. */
export function ItemDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { me } = useAuth();
  const screens = Grid.useBreakpoint();
  const wide = !!screens.xl;
  const phone = !screens.md;

  // Arriving from a long list or form, start at the top of the item. A block body: newer
  // Chromium returns a Promise from scrollTo, which React would call as the effect's cleanup.
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [id]);

  const query = useQuery({
    queryKey: ['item', id],
    queryFn: () => ok(api.GET('/api/items/{id}', { params: { path: { id } } })) as Promise<Item>,
  });

  if (query.error && !query.data) {
    const notFound = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return notFound ? (
      <Result
        status="404"
        title="问题不存在或不在您的权限范围内"
        extra={
          <Button type="primary" onClick={() => navigate('/items')}>
            返回问题台账
          </Button>
        }
      />
    ) : (
      <Result status="error" title="问题详情加载失败" subTitle={messageOf(query.error)} extra={<Button onClick={() => void query.refetch()}>重试</Button>} />
    );
  }
  const item = query.data;
  if (!item) return <Card loading style={{ minHeight: 300 }} />;

  // EDIT is PATCH /api/items/{id}: the edit form, not an event form; it gets the header button.
  const mine = !!me && item.investigator.id === me.id;
  const canEdit = item.availableActions.includes('EDIT') || (mine && (item.state === 'draft' || item.state === 'returned'));
  const actionable = { ...item, availableActions: item.availableActions.filter((a) => a !== 'EDIT') };
  const status = deadlineStatus(item);

  const header = (
    <Card size={phone ? 'small' : 'default'}>
      <Flex justify="space-between" align="flex-start" gap={8} wrap>
        <Flex vertical gap={4} style={{ minWidth: 0 }}>
          <Flex align="center" gap={8} wrap>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label="返回" onClick={() => navigate(-1)} style={{ marginInlineStart: -8 }} />
            <Typography.Title level={4} style={{ margin: 0 }}>
              问题 #{item.number}
            </Typography.Title>
            <Tag color={ITEM_STATE_COLORS[item.state]} data-testid="item-state" style={{ marginInlineEnd: 0 }}>
              {item.stateLabel}
            </Tag>
            {status.kind === 'overdue' ? (
              <Tag color="error" data-testid="overdue-tag" style={{ marginInlineEnd: 0 }}>
                {deadlineText(status)}
              </Tag>
            ) : null}
            {item.extension ? <Tag color="warning">延期申请待审批</Tag> : null}
            {item.reopenCount > 0 ? <Tag color="volcano">督查重新打开 {item.reopenCount} 次</Tag> : null}
            {item.fixedOnSite ? <Tag color="green">立行立改</Tag> : null}
            {item.longTerm ? <Tag color="purple">长期整改</Tag> : null}
            {item.inspected ? <Tag color="green">已督查</Tag> : null}
          </Flex>
          <Typography.Text type="secondary">
            {item.township && item.township.id !== item.orgUnit.id ? `${item.township.name} · ` : ''}
            {item.orgUnit.name} · {item.problemType.name ?? item.problemType.code}
            {item.household?.name ? ` · 户主 ${item.household.name}` : ''}
          </Typography.Text>
        </Flex>
        {canEdit ? (
          <Button icon={<EditOutlined />} onClick={() => navigate(`/items/${item.id}/edit`)} block={phone} size={phone ? 'large' : 'middle'}>
            修改
          </Button>
        ) : null}
      </Flex>
    </Card>
  );

  const actions =
    actionable.availableActions.length > 0 ? (
      <Card title="办理" size={phone ? 'small' : 'default'}>
        <ItemActions
          item={actionable}
          layout={wide || phone ? 'block' : 'inline'}
          onDone={(u) => {
            if (isDeleted(u)) return void navigate('/items', { replace: true });
            queryClient.setQueryData(['item', id], u);
          }}
        />
      </Card>
    ) : null;

  const chart = <WorkflowDiagram workflowId={item.workflow.id} current={itemStateIds(item.state, !!item.extension)} />;
  // On phones the chart is wide and tall: opened on demand, it scrolls in its own box.
  const diagram = phone ? (
    <Collapse style={{ background: '#fff' }} items={[{ key: 'wf', label: '流程图（红框为当前所处状态）', children: chart }]} />
  ) : (
    <Card title="流程图" extra={<Typography.Text type="secondary">红框为当前所处状态</Typography.Text>}>
      {chart}
    </Card>
  );

  const stale = query.error ? <Alert type="warning" showIcon title={`显示的是上次加载的内容：${messageOf(query.error)}`} /> : null;

  if (!wide) {
    return (
      <Flex vertical gap={phone ? 12 : 16}>
        {header}
        {stale}
        {actions}
        <ChecklistCard item={item} />
        <ItemInfoCard item={item} />
        <SignatureChainCard item={item} />
        {diagram}
      </Flex>
    );
  }
  return (
    <Flex vertical gap={16}>
      {header}
      {stale}
      <Row gutter={16} align="top">
        <Col span={15}>
          <Flex vertical gap={16}>
            <ChecklistCard item={item} />
            <ItemInfoCard item={item} />
            {diagram}
          </Flex>
        </Col>
        <Col span={9}>
          <Flex vertical gap={16}>
            {actions}
            <SignatureChainCard item={item} />
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
