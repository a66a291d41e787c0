import { LockOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { logout } from '../../auth/session';
import { fieldErrorsOf, messageOf } from '../../lib/api-error';
import { passwordProblem } from '../../lib/password-rules';

interface ChangeForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * The only page a user sees while their password must be changed (it expired,
 * or an admin gave it): current, new and confirm, the policy listed, the
 * server's field errors beside the fields. After the change the console carries on.
 */
export function ChangePasswordPage() {
  const { me, passwordChanged } = useAuth();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ChangeForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: ChangeForm) => {
    setBusy(true);
    setError(null);
    try {
      await ok(api.POST('/api/auth/change-password', { body: { currentPassword: values.currentPassword, newPassword: values.newPassword } }));
      void message.success('密码已修改');
      form.resetFields();
      await passwordChanged();
    } catch (e) {
      const fields = fieldErrorsOf(e);
      form.setFields(FIELDS.map((name) => ({ name, errors: fields[name] ? [fields[name]] : [] })));
      if (!FIELDS.some((f) => fields[f])) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, background: '#f5f5f5' }}>
      <Card style={{ width: 420, maxWidth: '100%' }} data-testid="change-password">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          修改密码
        </Typography.Title>
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${me?.displayName ?? ''}，您的密码已过期或由管理员设置，请先修改密码再继续使用。`}
        />
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          新密码须符合：
        </Typography.Paragraph>
        <ul style={{ marginTop: 0, paddingLeft: 20, color: 'rgba(0,0,0,0.65)' }}>
          {(me?.passwordRules ?? []).map((rule) => (
            <li key={rule}>{rule}</li>
          ))}
        </ul>
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} autoComplete="off">
          <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label="新密码"
            rules={[
              {
                validator: (_, v: string | undefined) => {
                  const problem = passwordProblem(v, me?.username);
                  return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
                },
              },
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="确认新密码"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: (_, v: string | undefined) =>
                  !v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
              }),
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            修改密码
          </Button>
          <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout()}>
            退出登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
