import { Card, Result, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { PasswordPolicyTab } from './PasswordPolicyTab';
import { RoleGrantsTable } from './RoleGrantsTable';
import { UserRolesTab } from './UserRolesTab';

const TABS = ['grants', 'users', 'password-policy'];

/** 安全管理 (security admin): role grants to approve, users' roles and locks, the password policy. */
export function SecurityPage() {
  const { hasRole } = useAuth();
  const [params, setParams] = useSearchParams();
  if (!hasRole('security_admin')) return <Result status="403" title="只有安全管理员可以使用安全管理功能" />;
  const tab = TABS.includes(params.get('tab') ?? '') ? params.get('tab')! : 'grants';
  return (
    <Card title="安全管理">
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'grants', label: '角色授予申请', children: <RoleGrantsTable canDecide /> },
          { key: 'users', label: '用户与角色', children: <UserRolesTab /> },
          { key: 'password-policy', label: '密码策略', children: <PasswordPolicyTab /> },
        ]}
      />
    </Card>
  );
}
