import { BellOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Dropdown, Empty, List, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { api, ok } from '../api/client';

/** Unread count in the header with the latest messages in a dropdown; each links to its item. */
export function NotificationBell() {
  const navigate = useNavigate();
  const { data = [] } = useQuery({
    queryKey: ['notifications'],
    queryFn: () => ok(api.GET('/api/notifications')),
    refetchInterval: 60_000,
  });
  const list = data as Array<{ id: string; itemId: string | null; message: string; createdAt: string; readAt: string | null }>;
  const unread = list.filter((n) => !n.readAt).length;
  const panel = (
    <div style={{ width: 320, maxWidth: '90vw', background: '#fff', boxShadow: '0 6px 16px rgba(0,0,0,.12)', borderRadius: 8, padding: 8 }}>
      {list.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息" />
      ) : (
        <List
          size="small"
          dataSource={list.slice(0, 8)}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: n.itemId ? 'pointer' : undefined }}
              onClick={() => n.itemId && navigate(`/items/${n.itemId}`)}
            >
              <List.Item.Meta
                title={<Typography.Text strong={!n.readAt}>{n.message}</Typography.Text>}
                description={dayjs(n.createdAt).format('MM-DD HH:mm')}
              />
            </List.Item>
          )}
        />
      )}
      <div style={{ textAlign: 'center', paddingTop: 4 }}>
        <Link to="/notifications">查看全部消息</Link>
      </div>
    </div>
  );
  return (
    <Dropdown popupRender={() => panel} trigger={['click']} placement="bottomRight">
      <Button type="text" aria-label={`消息，未读 ${unread} 条`} data-testid="notification-bell">
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Dropdown>
  );
}
