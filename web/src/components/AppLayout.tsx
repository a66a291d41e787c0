import {
  AuditOutlined,
  BarChartOutlined,
  FlagOutlined,
  FormOutlined,
  InboxOutlined,
  LogoutOutlined,
  MenuOutlined,
  MessageOutlined,
  UserSwitchOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SettingOutlined,
  TableOutlined,
} from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography, type MenuProps } from 'antd';
import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { logout } from '../auth/session';
import { NotificationBell } from './NotificationBell';
import { OutboxIndicator } from './OutboxIndicator';

const WORKERS = ['investigator', 'township_leader', 'county_office', 'department_staff', 'inspector'];

/** The pages each role works with, in the order they use them. */
function menuFor(hasRole: (...r: string[]) => boolean): MenuProps['items'] {
  const items: NonNullable<MenuProps['items']> = [];
  if (hasRole(...WORKERS)) items.push({ key: '/inbox', icon: <InboxOutlined />, label: '待办' });
  if (hasRole(...WORKERS, 'auditor')) items.push({ key: '/items', icon: <TableOutlined />, label: '问题台账' });
  if (hasRole('investigator', 'department_staff')) items.push({ key: '/items/new', icon: <FormOutlined />, label: '登记问题' });
  if (hasRole(...WORKERS, 'auditor')) items.push({ key: '/stats', icon: <BarChartOutlined />, label: '统计' });
  if (hasRole(...WORKERS)) items.push({ key: '/campaigns', icon: <FlagOutlined />, label: '专项行动' });
  items.push({ key: '/notifications', icon: <MessageOutlined />, label: '消息' });
  // Reviewers delegate; everyone who signs may hold a delegation and see it there.
  if (hasRole(...WORKERS)) items.push({ key: '/delegations', icon: <UserSwitchOutlined />, label: '委派' });
  if (hasRole('admin')) items.push({ key: '/admin', icon: <SettingOutlined />, label: '管理' });
  if (hasRole('security_admin')) items.push({ key: '/security', icon: <SafetyOutlined />, label: '安全管理' });
  if (hasRole('auditor')) items.push({ key: '/audit', icon: <AuditOutlined />, label: '审计' });
  return items;
}

export function AppLayout() {
  const { me, hasRole } = useAuth();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const items = menuFor(hasRole);
  const selected = pathname === '/items/new' ? '/items/new' : '/' + (pathname.split('/')[1] ?? '');
  const go: MenuProps['onClick'] = ({ key }) => {
    setDrawer(false);
    navigate(key);
  };
  const menu = <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={go} style={{ borderInlineEnd: 0 }} />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider theme="light" width={200} breakpoint="lg" collapsedWidth={64} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <div style={{ height: 56, display: 'flex', alignItems: 'center', paddingInline: 20 }}>
            <Typography.Title level={4} style={{ margin: 0, color: '#c8102e' }}>
              清零
            </Typography.Title>
          </div>
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            paddingInline: phone ? 8 : 24,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
            height: 56,
            lineHeight: '56px',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          {phone && <Button type="text" icon={<MenuOutlined />} aria-label="菜单" onClick={() => setDrawer(true)} />}
          {phone && (
            <Typography.Text strong style={{ color: '#c8102e', whiteSpace: 'nowrap' }}>
              清零
            </Typography.Text>
          )}
          <div style={{ flex: 1 }} />
          <OutboxIndicator />
          <NotificationBell />
          <Space size={4} style={{ minWidth: 0, lineHeight: 1.3 }} data-testid="current-user">
            <div style={{ display: 'flex', flexDirection: 'column', minWidth: 0, textAlign: 'right' }}>
              <Typography.Text strong ellipsis>
                {me?.displayName}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                {me?.orgUnit.name}
                {!phone &&
                  me?.roleLabels.map((r) => (
                    <Tag key={r} style={{ marginInlineStart: 4, marginInlineEnd: 0 }}>
                      {r}
                    </Tag>
                  ))}
              </Typography.Text>
            </div>
          </Space>
          <Button type="text" icon={<SafetyCertificateOutlined />} onClick={() => navigate('/account')} aria-label="账号安全">
            {phone ? null : '账号安全'}
          </Button>
          <Button type="text" icon={<LogoutOutlined />} onClick={() => void logout()} aria-label="退出">
            {phone ? null : '退出'}
          </Button>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 8 : 24, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" width={240} title="清零" styles={{ body: { padding: 0 } }}>
        {menu}
        <div style={{ padding: 16, color: '#888', fontSize: 12 }}>{me?.roleLabels.join('、')}</div>
      </Drawer>
    </Layout>
  );
}
