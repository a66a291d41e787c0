import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { login } from '../../auth/session';
import { ApiError, fieldErrorsOf, messageOf } from '../../lib/api-error';

interface LoginForm {
  username: string;
  password: string;
}

/** Words for the login refusals the API answers with (its own Chinese message is shown as well). */
function hintFor(err: unknown): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  switch (err.code) {
    case 'RATE_LIMITED':
      return '尝试次数过多，请稍后再试。';
    case 'INVALID_CREDENTIALS':
      // The same answer for a wrong password, a locked, a deactivated or an unknown account (by design).
      return '连续多次输错密码后账号将暂时锁定。忘记密码请联系系统管理员重置。';
    case 'NETWORK':
      return '无法连接服务器。';
    default:
      return undefined;
  }
}

export function LoginPage() {
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
    } catch (e) {
      setError(e);
      const fields = fieldErrorsOf(e);
      form.setFields((['username', 'password'] as const).map((name) => ({ name, errors: fields[name] ? [fields[name]] : [] })));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: 'linear-gradient(180deg,#fff1f0 0%,#f5f5f5 60%)',
      }}
    >
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={2} style={{ textAlign: 'center', color: '#c8102e', marginBottom: 0 }}>
          清零
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          巩固拓展脱贫攻坚成果 · 排查整改工作台
        </Typography.Paragraph>
        {!navigator.onLine && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message="网络未连接"
            description="登录需要网络。已保存在本机、尚未发送的问题和整改材料不会丢失，联网并登录后自动发送。"
          />
        )}
        {error != null && (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} message={messageOf(error)} description={hintFor(error)} data-testid="login-error" />
        )}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
