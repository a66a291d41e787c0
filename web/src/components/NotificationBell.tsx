import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Dropdown, Empty, Grid, List, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { messageOf } from '../lib/api-error';

export type Notification = Schemas['NotificationResponse'];

/** My notifications (newest 100), shared by the header bell and the 消息 page. */
export function useNotifications() {
  return useQuery({
    queryKey: ['notifications'],
    queryFn: () => ok(api.GET('/api/notifications')),
    refetchInterval: 60_000,
  });
}

/** How many of my notifications are unread: all of them, not only the 100 the list holds. */
export function useUnreadCount() {
  return useQuery({
    queryKey: ['notifications', 'unread-count'],
    queryFn: async () => (await ok(api.GET('/api/notifications/unread-count'))).unread,
    refetchInterval: 60_000,
  });
}

/** Marks messages read: shown as read at once, then refetched so the bell's count follows. */
export function useMarkRead() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const markLocally = (id: string | 'all') => {
    queryClient.setQueryData<Notification[]>(['notifications'], (list) =>
      list?.map((n) => (n.readAt || (id !== 'all' && n.id !== id) ? n : { ...n, readAt: new Date().toISOString() })),
    );
    queryClient.setQueryData<number>(['notifications', 'unread-count'], (count) => (id === 'all' ? 0 : Math.max(0, (count ?? 1) - 1)));
  };
  const one = useMutation({
    mutationFn: (id: string) => ok(api.POST('/api/notifications/{id}/read', { params: { path: { id } } })),
    onMutate: (id) => markLocally(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const all = useMutation({
    mutationFn: () => ok(api.POST('/api/notifications/read-all')),
    onMutate: () => markLocally('all'),
    onError: (err) => message.error(messageOf(err)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  return { markRead: one.mutate, markAllRead: all.mutate, markingAll: all.isPending };
}

/**
 * Unread count in the header with the latest messages in a dropdown (on a phone the
 * bell opens the 消息 page); opening one marks it read and goes to its item.
 */
export function NotificationBell() {
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [open, setOpen] = useState(false);
  const { data: list = [] } = useNotifications();
  const { markRead, markAllRead, markingAll } = useMarkRead();
  const { data: unread = list.filter((n) => !n.readAt).length } = useUnreadCount();
  const openOne = (n: Notification) => {
    if (!n.readAt) markRead(n.id);
    setOpen(false);
    if (n.itemId) navigate(`/items/${n.itemId}`);
  };
  const panel = (
    <div style={{ width: 320, maxWidth: '90vw', background: '#fff', boxShadow: '0 6px 16px rgba(0,0,0,.12)', borderRadius: 8, padding: 8 }}>
      {list.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息" />
      ) : (
        <List
          size="small"
          dataSource={list.slice(0, 8)}
          renderItem={(n) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => openOne(n)}>
              <List.Item.Meta
                title={
                  // Meta titles are semibold by default: read messages go back to normal weight.
                  <Typography.Text strong={!n.readAt} style={n.readAt ? { fontWeight: 'normal' } : undefined}>
                    {n.message}
                  </Typography.Text>
                }
                description={dayjs(n.createdAt).format('MM-DD HH:mm')}
              />
            </List.Item>
          )}
        />
      )}
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', paddingTop: 4, paddingInline: 8 }}>
        <Button type="link" size="small" style={{ paddingInline: 0 }} disabled={unread === 0} loading={markingAll} onClick={() => markAllRead()}>
          全部标为已读
        </Button>
        <Link to="/notifications" onClick={() => setOpen(false)}>
          查看全部消息
        </Link>
      </div>
    </div>
  );
  const button = (
    <Button type="text" aria-label={`消息，未读 ${unread} 条`} data-testid="notification-bell" onClick={phone ? () => navigate('/notifications') : undefined}>
      <Badge count={unread} size="small" overflowCount={99}>
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );
  // A phone's header has no room for the dropdown beside the bell: the bell opens the 消息 page instead.
  if (phone) return button;
  return (
    <Dropdown popupRender={() => panel} trigger={['click']} placement="bottomRight" open={open} onOpenChange={setOpen}>
      {button}
    </Dropdown>
  );
}
