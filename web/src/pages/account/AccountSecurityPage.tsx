import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Descriptions, Flex, Form, Input, Modal, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { fieldErrorsOf, messageOf } from '../../lib/api-error';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpEnrolment } from './TotpEnrolment';

type Status = Schemas['TotpStatusResponse'];
type Dialog = 'replace' | 'codes' | 'disable' | null;

/** Asks for a code (and for turning it off, the password), sends it, and shows the server's field errors in place. */
function CodeForm({
  withPassword,
  okText,
  onSubmit,
}: {
  withPassword?: boolean;
  okText: string;
  onSubmit: (v: { password?: string; code: string }) => Promise<void>;
}) {
  const [form] = Form.useForm<{ password?: string; code: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { password?: string; code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ ...values, code: values.code.trim() });
    } catch (e) {
      const fields = fieldErrorsOf(e);
      form.setFields((['password', 'code'] as const).map((name) => ({ name, errors: fields[name] ? [fields[name]] : [] })));
      if (!fields.password && !fields.code) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} autoComplete="off">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {withPassword && (
        <Form.Item name="password" label="登录密码" rules={[{ required: true, message: '请输入登录密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
      )}
      <Form.Item name="code" label="动态验证码（或一个恢复码）" rules={[{ required: true, message: '请输入动态验证码或恢复码' }]}>
        <Input autoComplete="one-time-code" maxLength={64} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} danger={withPassword}>
        {okText}
      </Button>
    </Form>
  );
}

/** 账号安全: the caller's second factor — bind, replace, new recovery codes, turn off (unless the role requires it). */
export function AccountSecurityPage() {
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const status = useQuery({ queryKey: ['totp'], queryFn: () => ok(api.GET('/api/auth/totp')) });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  /** Confirmed but the recovery codes still on screen: a refetch saying "enabled" must not take them away. */
  const [holding, setHolding] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['totp'] });
    await queryClient.invalidateQueries({ queryKey: ['me'] });
  };
  const close = () => {
    setDialog(null);
    setNewCodes(null);
    void refresh();
  };
  const s: Status | undefined = status.data;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 880 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        账号安全
      </Typography.Title>
      <Card
        title={
          <Space>
            <SafetyCertificateOutlined />
            双因素认证（动态验证码）
          </Space>
        }
        data-testid="totp-card"
      >
        {status.isPending && <Skeleton active />}
        {status.isError && <Alert type="error" showIcon title={messageOf(status.error)} />}
        {s && (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label="状态">
                {s.enabled ? <Tag color="success">已启用</Tag> : <Tag>未启用</Tag>}
                {s.required && <Tag color="warning">您的角色须启用</Tag>}
              </Descriptions.Item>
              {s.enabled && s.enabledAt && <Descriptions.Item label="绑定时间">{dayjs(s.enabledAt).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>}
              {s.enabled && (
                <Descriptions.Item label="剩余恢复码">
                  {s.recoveryCodesLeft} 个{s.recoveryCodesLeft <= 3 && <Typography.Text type="warning">（不多了，建议重新生成）</Typography.Text>}
                </Descriptions.Item>
              )}
            </Descriptions>
            {(!s.enabled || holding) && (
              <TotpEnrolment
                onConfirmed={() => setHolding(true)}
                onDone={() => {
                  setHolding(false);
                  void message.success('双因素认证已启用');
                  void refresh();
                }}
              />
            )}
            {s.enabled && !holding && (
              <Flex wrap gap="small">
                <Button onClick={() => setDialog('replace')}>更换验证器</Button>
                <Button onClick={() => setDialog('codes')}>重新生成恢复码</Button>
                {!s.required && (
                  <Button danger onClick={() => setDialog('disable')}>
                    关闭双因素认证
                  </Button>
                )}
              </Flex>
            )}
            {s.enabled && s.required && (
              <Typography.Text type="secondary">
                按照等级保护要求，您的角色须使用双因素认证，不能关闭；手机更换或丢失时可用恢复码登录后更换验证器。
              </Typography.Text>
            )}
          </Space>
        )}
      </Card>

      <Modal open={dialog === 'replace'} title="更换验证器" footer={null} onCancel={close} destroyOnHidden width={680}>
        <TotpEnrolment replacing onDone={close} />
      </Modal>
      <Modal open={dialog === 'codes'} title="重新生成恢复码" footer={null} onCancel={close} destroyOnHidden width={640}>
        {newCodes ? (
          <RecoveryCodes codes={newCodes} doneText="完成" onDone={close} />
        ) : (
          <>
            <Alert type="info" showIcon title="重新生成后，原有的恢复码全部作废。" style={{ marginBottom: 12 }} />
            <CodeForm
              okText="重新生成"
              onSubmit={async ({ code }) => setNewCodes((await ok(api.POST('/api/auth/totp/recovery-codes', { body: { code } }))).recoveryCodes)}
            />
          </>
        )}
      </Modal>
      <Modal open={dialog === 'disable'} title="关闭双因素认证" footer={null} onCancel={() => setDialog(null)} destroyOnHidden>
        <Alert type="warning" showIcon title="关闭后，登录只需密码；恢复码随之作废。" style={{ marginBottom: 12 }} />
        <CodeForm
          withPassword
          okText="关闭双因素认证"
          onSubmit={async ({ password, code }) => {
            await ok(api.DELETE('/api/auth/totp', { body: { password: password ?? '', code } }));
            void message.success('双因素认证已关闭');
            close();
          }}
        />
      </Modal>
    </Space>
  );
}
