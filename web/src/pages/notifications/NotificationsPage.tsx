import { CheckOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Empty, Grid, List, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMarkRead, useNotifications, useUnreadCount, type Notification } from '../../components/NotificationBell';
import { messageOf } from '../../lib/api-error';

/** Messages that are not about one step of an item, tagged so they stand out. */
const KIND_TAGS: Record<string, { label: string; color: string }> = {
  deadlineSoon: { label: '时限将至', color: 'orange' },
  deadlinePassed: { label: '已超期', color: 'red' },
  phaseEnded: { label: '阶段到期', color: 'orange' },
  supervisionNotice: { label: '督办', color: 'red' },
  noticeAcknowledged: { label: '督办签收', color: 'blue' },
  noticeReplied: { label: '督办回复', color: 'blue' },
};

/** 消息: my notifications; opening one marks it read and goes to its item. */
export function NotificationsPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const navigate = useNavigate();
  const { data = [], isLoading, error } = useNotifications();
  const { markRead, markAllRead, markingAll } = useMarkRead();
  const [only, setOnly] = useState<'all' | 'unread'>('all');
  const { data: unread = data.filter((n) => !n.readAt).length } = useUnreadCount();
  const rows = only === 'unread' ? data.filter((n) => !n.readAt) : data;

  const openOne = (n: Notification) => {
    if (!n.readAt) markRead(n.id);
    if (n.itemId) navigate(`/items/${n.itemId}`);
  };

  return (
    <Card
      title={
        <Space>
          消息
          {unread > 0 && <Badge count={unread} overflowCount={99} />}
        </Space>
      }
      extra={
        !phone && (
          <Button icon={<CheckOutlined />} disabled={unread === 0} loading={markingAll} onClick={() => markAllRead()}>
            全部标为已读
          </Button>
        )
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Segmented
          value={only}
          onChange={(v) => setOnly(v as 'all' | 'unread')}
          options={[
            { value: 'all', label: `全部（${data.length}）` },
            { value: 'unread', label: `未读（${unread}）` },
          ]}
          block={phone}
        />
        {phone && (
          <Button icon={<CheckOutlined />} block size="large" disabled={unread === 0} loading={markingAll} onClick={() => markAllRead()}>
            全部标为已读
          </Button>
        )}
        {error && <Alert type="error" showIcon title={messageOf(error)} />}
        <List<Notification>
          loading={isLoading}
          dataSource={rows}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={only === 'unread' ? '没有未读消息' : '暂无消息'} /> }}
          renderItem={(n) => (
            <List.Item
              data-testid={`notification-${n.id}`}
              onClick={() => openOne(n)}
              style={{ cursor: n.itemId || !n.readAt ? 'pointer' : undefined, paddingInline: 8 }}
              extra={n.itemId ? <RightOutlined style={{ color: '#bbb' }} /> : undefined}
            >
              <List.Item.Meta
                avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
                title={
                  // Meta titles are semibold by default: read messages go back to normal weight.
                  <Typography.Text strong={!n.readAt} style={n.readAt ? { fontWeight: 'normal' } : undefined}>
                    {n.message}
                  </Typography.Text>
                }
                description={
                  <Typography.Text type="secondary">
                    {KIND_TAGS[n.kind] && <Tag color={KIND_TAGS[n.kind].color}>{KIND_TAGS[n.kind].label}</Tag>}
                    {dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')}
                    {n.readAt ? ' · 已读' : ' · 未读'}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
        <Typography.Text type="secondary">显示最近 100 条消息。</Typography.Text>
      </Space>
    </Card>
  );
}
