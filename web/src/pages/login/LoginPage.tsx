import { KeyOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { login, type SecondFactor } from '../../auth/session';
import { ApiError, fieldErrorsOf, messageOf } from '../../lib/api-error';
import { nextLoginStep, sixDigits, type LoginStep } from '../../lib/totp';

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
    case 'TOTP_INVALID':
      return '请确认手机时间准确，输入验证器当前显示的验证码。连续多次输错后账号将暂时锁定。';
    case 'NETWORK':
      return '无法连接服务器。';
    default:
      return undefined;
  }
}

/**
 * Username and password; for an account with a second factor (the API
 * answers TOTP_REQUIRED after the right password) a second step asks for the
 * authenticator's 6-digit code, or a recovery code.
 */
export function LoginPage() {
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<LoginStep>('password');
  const [credentials, setCredentials] = useState<LoginForm | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');

  const attempt = async (values: LoginForm, second: SecondFactor) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password, second);
    } catch (e) {
      const code = e instanceof ApiError ? e.code : undefined;
      const next = nextLoginStep(step, code);
      setStep(next);
      setCode('');
      if (next === 'totp') setCredentials(values);
      else setCredentials(null);
      // Asking for the code is the next step, not an error.
      if (code !== 'TOTP_REQUIRED') setError(e);
      const fields = fieldErrorsOf(e);
      if (next === 'password') form.setFields((['username', 'password'] as const).map((name) => ({ name, errors: fields[name] ? [fields[name]] : [] })));
    } finally {
      setBusy(false);
    }
  };
  const submit = (values: LoginForm) => attempt(values, {});
  const submitSecond = (value?: string) => {
    if (!credentials) return;
    if (useRecovery) {
      if (recoveryCode.trim()) void attempt(credentials, { recoveryCode: recoveryCode.trim() });
      return;
    }
    const digits = sixDigits(value ?? code);
    if (digits) void attempt(credentials, { totpCode: digits });
    else setError(new ApiError(400, 'VALIDATION_FAILED', '请输入 6 位动态验证码'));
  };
  const backToPassword = () => {
    setStep('password');
    setCredentials(null);
    setError(null);
    setUseRecovery(false);
    form.setFieldValue('password', '');
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
        {step === 'totp' && credentials && (
          <div data-testid="login-totp">
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              <KeyOutlined /> 双因素认证
            </Typography.Title>
            <Typography.Paragraph type="secondary">
              {useRecovery
                ? `账号 ${credentials.username.trim()} 已启用双因素认证。请输入一个恢复码（每个只能用一次）。`
                : `账号 ${credentials.username.trim()} 已启用双因素认证。请输入手机上身份验证器显示的 6 位动态验证码。`}
            </Typography.Paragraph>
            <Form layout="vertical" onFinish={() => submitSecond()} requiredMark={false} size="large">
              {useRecovery ? (
                <Form.Item label="恢复码" htmlFor="login-recovery-code">
                  <Input
                    id="login-recovery-code"
                    value={recoveryCode}
                    onChange={(e) => setRecoveryCode(e.target.value)}
                    placeholder="xxxx-xxxx-xxxx-xxxx"
                    autoComplete="off"
                    autoCapitalize="none"
                    maxLength={64}
                    autoFocus
                  />
                </Form.Item>
              ) : (
                <Form.Item label="动态验证码">
                  <Input.OTP
                    length={6}
                    value={code}
                    onChange={(v) => {
                      setCode(v);
                      if (sixDigits(v)) submitSecond(v);
                    }}
                    formatter={(v) => v.replace(/\D/g, '')}
                    autoComplete="one-time-code"
                    disabled={busy}
                    autoFocus
                    data-testid="login-totp-code"
                  />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" block loading={busy}>
                登录
              </Button>
            </Form>
            <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 8 }}>
              <Button type="link" style={{ paddingInline: 0 }} onClick={backToPassword}>
                返回
              </Button>
              <Button
                type="link"
                style={{ paddingInline: 0 }}
                onClick={() => {
                  setUseRecovery(!useRecovery);
                  setError(null);
                }}
              >
                {useRecovery ? '使用动态验证码' : '手机不在身边？使用恢复码'}
              </Button>
            </div>
          </div>
        )}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large" style={step === 'totp' ? { display: 'none' } : undefined}>
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
