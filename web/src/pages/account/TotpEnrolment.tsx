import { Alert, Button, Flex, Form, Input, QRCode, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { fieldErrorsOf, messageOf } from '../../lib/api-error';
import { groupSecret, sixDigits } from '../../lib/totp';
import { RecoveryCodes } from './RecoveryCodes';

type Enrolment = Schemas['TotpEnrolmentResponse'];

interface Props {
  /** An authenticator is active: replacing it takes a code from it (or a recovery code) first. */
  replacing?: boolean;
  /** The server confirmed the authenticator; the recovery codes are on screen (keep this mounted until onDone). */
  onConfirmed?: () => void;
  /** After the recovery codes were seen. */
  onDone: () => void;
}

/**
 * Binding an authenticator app: start (the server makes a secret), scan the
 * QR code or type the secret, confirm with the code the app shows, then save
 * the recovery codes shown this once.
 */
export function TotpEnrolment({ replacing = false, onConfirmed, onDone }: Props) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [current, setCurrent] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (call: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      await call();
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (fields.code) setFieldError(fields.code);
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    run(async () => {
      setEnrolment(await ok(api.POST('/api/auth/totp/enrol', { body: replacing ? { code: current.trim() } : {} })));
      setCode('');
    });
  const confirm = (value = code) =>
    run(async () => {
      const digits = sixDigits(value);
      if (!digits) {
        setFieldError('请输入验证器显示的 6 位数字');
        return;
      }
      const done = await ok(api.POST('/api/auth/totp/confirm', { body: { code: digits } }));
      setCodes(done.recoveryCodes);
      onConfirmed?.();
    }).finally(() => setCode(''));

  const step = codes ? 2 : enrolment ? 1 : 0;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="totp-enrolment">
      <Steps size="small" current={step} items={[{ title: '开始绑定' }, { title: '扫码并确认' }, { title: '保存恢复码' }]} />
      {error && <Alert type="error" showIcon title={error} />}
      {step === 0 && (
        <Form layout="vertical" onFinish={() => void start()}>
          <Typography.Paragraph>
            双因素认证：登录时除密码外，还须输入手机上身份验证器每 30 秒更新一次的 6
            位动态验证码。请先在手机上准备一个身份验证器，如微信中的「腾讯身份验证器」小程序、Microsoft Authenticator 或 Google Authenticator。
          </Typography.Paragraph>
          {replacing && (
            <Form.Item
              label="当前验证器的动态验证码（或一个恢复码）"
              htmlFor="totp-current"
              validateStatus={fieldError ? 'error' : undefined}
              help={fieldError ?? '更换前须证明您持有当前的验证器；确认新验证器之前，当前的照常有效。'}
            >
              <Input id="totp-current" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="one-time-code" maxLength={64} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={busy} disabled={replacing && !current.trim()}>
            {replacing ? '开始更换' : '开始绑定'}
          </Button>
        </Form>
      )}
      {step === 1 && enrolment && (
        <Flex wrap gap="large" align="flex-start">
          <QRCode value={enrolment.uri} size={200} bordered data-testid="totp-qrcode" />
          <Flex vertical gap="small" style={{ flex: '1 1 260px', minWidth: 0 }}>
            <Typography.Text>
              1. 用身份验证器扫描二维码（账号显示为「{enrolment.issuer}: {enrolment.accountName}」）。
            </Typography.Text>
            <Typography.Text type="secondary">无法扫码时，在验证器中选择手动输入，填写以下密钥（基于时间）：</Typography.Text>
            <Typography.Paragraph
              copyable={{ text: enrolment.secret, tooltips: ['复制密钥', '已复制'] }}
              data-testid="totp-secret"
              style={{ fontFamily: 'monospace', fontSize: 16, marginBottom: 0, wordBreak: 'break-all' }}
            >
              {groupSecret(enrolment.secret)}
            </Typography.Paragraph>
            <Typography.Text>2. 输入验证器显示的 6 位动态验证码：</Typography.Text>
            <Form layout="vertical" onFinish={() => void confirm()}>
              <Form.Item validateStatus={fieldError ? 'error' : undefined} help={fieldError} style={{ marginBottom: 12 }}>
                <Input.OTP
                  length={6}
                  value={code}
                  onChange={(v) => {
                    setCode(v);
                    if (sixDigits(v)) void confirm(v);
                  }}
                  formatter={(v) => v.replace(/\D/g, '')}
                  autoComplete="one-time-code"
                  aria-label="动态验证码"
                  data-testid="totp-confirm-code"
                  disabled={busy}
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                确认绑定
              </Button>
            </Form>
          </Flex>
        </Flex>
      )}
      {step === 2 && codes && <RecoveryCodes codes={codes} onDone={onDone} />}
    </Space>
  );
}
