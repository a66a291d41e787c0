import { StopOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Grid, Input, List, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, newIdempotencyKey, ok, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';

type Delegation = Schemas['DelegationResponse'];

const STATUS: Record<Delegation['status'], { label: string; color: string }> = {
  active: { label: '委派中', color: 'green' },
  scheduled: { label: '未开始', color: 'blue' },
  ended: { label: '已结束', color: 'default' },
};

/**
 * 委派: a township leader or county office user hands review and acceptance to
 * a colleague of the unit for some days (休假、外出); the delegate's signatures
 * then read "代 委派人". Everyone sees the delegations they gave or hold.
 */
export function DelegationsPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { me, hasRole } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const reviewer = hasRole('township_leader', 'county_office');
  const list = useQuery({ queryKey: ['delegations'], queryFn: () => ok(api.GET('/api/delegations')) });
  const candidates = useQuery({ queryKey: ['delegation-candidates'], queryFn: () => ok(api.GET('/api/delegations/candidates')), enabled: reviewer });
  const [form] = Form.useForm<{ delegateId: string; days: [Dayjs, Dayjs]; reason?: string }>();
  const [key, setKey] = useState(newIdempotencyKey);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['delegations'] });
    // What the delegate may do changes at once: their inbox and items read again.
    void queryClient.invalidateQueries({ queryKey: ['inbox'] });
  };
  const create = useMutation({
    mutationFn: (v: { delegateId: string; days: [Dayjs, Dayjs]; reason?: string }) =>
      ok(
        api.POST('/api/delegations', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            delegateId: v.delegateId,
            startsOn: v.days[0].format('YYYY-MM-DD'),
            endsOn: v.days[1].format('YYYY-MM-DD'),
            reason: v.reason?.trim() || undefined,
          },
        }),
      ),
    onSuccess: (d) => {
      message.success(`已委派给${d.delegate.name}（${d.startsOn} 至 ${d.endsOn}）`);
      form.resetFields();
      setKey(newIdempotencyKey());
      refresh();
    },
    onError: () => setKey(newIdempotencyKey()),
  });
  const end = useMutation({
    mutationFn: (id: string) => ok(api.POST('/api/delegations/{id}/end', { params: { path: { id }, header: { 'Idempotency-Key': newIdempotencyKey() } } })),
    onSuccess: () => {
      message.success('委派已结束');
      refresh();
    },
    onError: (err) => message.error(messageOf(err)),
  });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {reviewer && (
        <Card title="委派审核验收职责">
          <Typography.Paragraph type="secondary">
            休假、外出期间，可将审核、验收、延期审批等职责委派给本单位另一位工作人员。委派期间受托人以“代 {me?.displayName}
            ”签字，签字同时记录双方；受托人整改过的问题仍不能由其验收。
          </Typography.Paragraph>
          {create.error && <Alert type="error" showIcon title={messageOf(create.error)} style={{ marginBottom: 12 }} />}
          <Form form={form} layout={phone ? 'vertical' : 'inline'} onFinish={(v) => create.mutate(v)} style={{ rowGap: 12 }}>
            <Form.Item name="delegateId" label="受托人" rules={[{ required: true, message: '请选择受托人' }]}>
              <Select
                style={{ minWidth: 200 }}
                loading={candidates.isLoading}
                placeholder="本单位工作人员"
                options={(candidates.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本单位没有可受托的工作人员" />}
              />
            </Form.Item>
            <Form.Item name="days" label="起止日期" rules={[{ required: true, message: '请选择起止日期' }]}>
              <DatePicker.RangePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} style={{ width: phone ? '100%' : undefined }} />
            </Form.Item>
            <Form.Item name="reason" label="事由">
              <Input placeholder="如：休假" maxLength={500} style={{ minWidth: 160 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<UserSwitchOutlined />} loading={create.isPending} block={phone}>
                委派
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <Card title="委派记录">
        {list.error && <Alert type="error" showIcon title={messageOf(list.error)} />}
        <List<Delegation>
          loading={list.isLoading}
          dataSource={list.data ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无委派" /> }}
          renderItem={(d) => {
            const mine = d.delegator.id === me?.id;
            return (
              <List.Item
                data-testid={`delegation-${d.id}`}
                actions={
                  mine && d.status !== 'ended'
                    ? [
                        <Popconfirm key="end" title="提前结束这项委派？" okText="结束委派" cancelText="取消" onConfirm={() => end.mutate(d.id)}>
                          <Button danger icon={<StopOutlined />} loading={end.isPending && end.variables === d.id}>
                            结束委派
                          </Button>
                        </Popconfirm>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space wrap size={6}>
                      <span>
                        {d.delegator.name} → {d.delegate.name}
                      </span>
                      <Tag color={STATUS[d.status].color}>{STATUS[d.status].label}</Tag>
                      {d.delegate.id === me?.id && d.status === 'active' && <Tag color="purple">您正代 {d.delegator.name} 审核验收</Tag>}
                    </Space>
                  }
                  description={
                    <Typography.Text type="secondary">
                      {d.orgUnitName} · {d.startsOn} 至 {d.endsOn}
                      {d.reason ? ` · ${d.reason}` : ''}
                      {d.endedAt ? ` · ${dayjs(d.endedAt).format('YYYY-MM-DD HH:mm')} 提前结束` : ''}
                    </Typography.Text>
                  }
                />
              </List.Item>
            );
          }}
        />
      </Card>
    </Space>
  );
}
