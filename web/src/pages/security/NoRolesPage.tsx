import { Button, Result } from 'antd';
import { useAuth } from '../../auth/AuthProvider';
import { logout } from '../../auth/session';

/** An account whose roles a security admin has yet to set: the API answers it nothing else, so the console says why. */
export function NoRolesPage() {
  const { me } = useAuth();
  return (
    <Result
      status="info"
      title="账号尚未授予角色"
      subTitle={`${me?.displayName ?? ''}（${me?.username ?? ''}），您的账号已建立，角色须由安全管理员设置或批准后才能使用。请联系本县安全管理员。`}
      extra={
        <Button type="primary" onClick={() => void logout()}>
          退出
        </Button>
      }
    />
  );
}
