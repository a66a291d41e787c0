import { Card, Result, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { CoverageTab } from './CoverageTab';
import { RoleGrantsTable } from '../security/RoleGrantsTable';
import { OrgUnitsTab } from './OrgUnitsTab';
import { UsersTab } from './UsersTab';

const TABS = ['org-units', 'users', 'role-grants', 'coverage'];

/** 管理 (admin): org units, user accounts, role requests (decided by a security admin), supervision-group coverage of the admin's county. */
export function AdminPage() {
  const { hasRole } = useAuth();
  const [params, setParams] = useSearchParams();
  if (!hasRole('admin')) return <Result status="403" title="只有系统管理员可以使用管理功能" />;
  const tab = TABS.includes(params.get('tab') ?? '') ? params.get('tab')! : 'org-units';
  return (
    <Card title="管理">
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'org-units', label: '组织机构', children: <OrgUnitsTab /> },
          { key: 'users', label: '用户', children: <UsersTab /> },
          { key: 'role-grants', label: '角色授予申请', children: <RoleGrantsTable canDecide={false} /> },
          { key: 'coverage', label: '督查组负责范围', children: <CoverageTab /> },
        ]}
      />
    </Card>
  );
}
