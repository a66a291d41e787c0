import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Grid, InputNumber, Radio, Space, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { placeFieldErrors } from '../admin/queries';
import { usePasswordPolicy } from './queries';

interface Values {
  minLength: number;
  minCharClasses: 3 | 4;
  maxAgeDays: number;
  historySize: number;
}

const FIELDS = ['minLength', 'minCharClasses', 'maxAgeDays', 'historySize'];

/** 密码策略 (security admin): the county's numbers; common passwords, the username and control characters are always refused. */
export function PasswordPolicyTab() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const policy = usePasswordPolicy();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (policy.data) {
      const { minLength, minCharClasses, maxAgeDays, historySize } = policy.data;
      form.setFieldsValue({ minLength, minCharClasses: minCharClasses === 4 ? 4 : 3, maxAgeDays, historySize });
    }
  }, [policy.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => ok(api.PUT('/api/security/password-policy', { body: v })),
    onSuccess: (p) => {
      message.success('密码策略已保存，立即生效');
      queryClient.setQueryData(['security', 'password-policy'], p);
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, FIELDS)) setError(messageOf(err));
    },
  });

  if (policy.error) return <Alert type="error" showIcon title={messageOf(policy.error)} />;
  if (!policy.data) return <Spin />;
  const p = policy.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 640 }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="当前策略">
          {p.source === 'county' ? `本县设置（${p.updatedAt ? dayjs(p.updatedAt).format('YYYY-MM-DD HH:mm') : ''}）` : '服务默认值（本县尚未设置）'}
        </Descriptions.Item>
        <Descriptions.Item label="用户看到的规则">
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {p.rules.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </Descriptions.Item>
      </Descriptions>
      <Card size="small" title="修改密码策略">
        <Form<Values>
          form={form}
          layout={phone ? 'vertical' : 'horizontal'}
          labelCol={phone ? undefined : { span: 8 }}
          onFinish={(v) => save.mutate(v)}
          onValuesChange={() => setError(null)}
        >
          <Form.Item name="minLength" label="最少位数" extra="8–64 位" rules={[{ required: true, message: '请填写最少位数' }]}>
            <InputNumber min={8} max={64} precision={0} addonAfter="位" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="minCharClasses" label="字符类别" extra="大写字母、小写字母、数字、符号" rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 3, label: '至少三类' },
                { value: 4, label: '全部四类' },
              ]}
            />
          </Form.Item>
          <Form.Item name="maxAgeDays" label="密码有效期" extra="1–365 天，到期须修改" rules={[{ required: true, message: '请填写密码有效期' }]}>
            <InputNumber min={1} max={365} precision={0} addonAfter="天" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="historySize" label="不得重复使用" extra="最近 1–24 个密码（含当前密码）" rules={[{ required: true, message: '请填写个数' }]}>
            <InputNumber min={1} max={24} precision={0} addonAfter="个" style={{ width: 160 }} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Form.Item wrapperCol={phone ? undefined : { offset: 8 }}>
            <Button type="primary" htmlType="submit" loading={save.isPending} block={phone}>
              保存
            </Button>
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">
          常见密码、包含用户名、控制字符始终不允许。新策略在下次设置密码、下次核对有效期时生效，保存记入审计日志。
        </Typography.Text>
      </Card>
    </Space>
  );
}
