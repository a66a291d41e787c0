import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Grid, Input, List, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { placeFieldErrors } from '../admin/queries';
import { useRoleGrants, type RoleGrant } from './queries';

const STATUS_COLORS: Record<RoleGrant['status'], string> = { pending: 'orange', approved: 'green', rejected: 'default' };

function StatusTag({ g }: { g: RoleGrant }) {
  return <Tag color={STATUS_COLORS[g.status]}>{g.statusLabel}</Tag>;
}

function Person({ p }: { p: RoleGrant['user'] | null }) {
  if (!p) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {p.displayName} <Typography.Text type="secondary">({p.username})</Typography.Text>
    </span>
  );
}

/** Approve (optional comment) or reject (reason required) one request. */
function DecideModal({ decision, onClose }: { decision: { grant: RoleGrant; approve: boolean } | undefined; onClose: () => void }) {
  const [form] = Form.useForm<{ text?: string }>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const grant = decision?.grant;
  const decide = useMutation({
    mutationFn: (text: string | undefined) =>
      decision!.approve
        ? ok(api.POST('/api/role-grants/{id}/approve', { params: { path: { id: grant!.id } }, body: text ? { comment: text } : {} }))
        : ok(api.POST('/api/role-grants/{id}/reject', { params: { path: { id: grant!.id } }, body: { reason: text ?? '' } })),
    onSuccess: (g) => {
      message.success(
        g.status === 'approved'
          ? `已批准：${g.user.displayName} 获得${g.roleLabel}角色，其全部登录已结束`
          : `已驳回为 ${g.user.displayName} 授予${g.roleLabel}的申请`,
      );
      void queryClient.invalidateQueries({ queryKey: ['role-grants'] });
      void queryClient.invalidateQueries({ queryKey: ['security', 'users'] });
      form.resetFields();
      onClose();
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, ['comment', 'reason'])) setError(messageOf(err));
    },
  });
  const approve = decision?.approve ?? true;
  return (
    <Modal
      open={!!decision}
      title={grant ? `${approve ? '批准' : '驳回'}：为 ${grant.user.displayName} 授予${grant.roleLabel}` : ''}
      okText={approve ? '批准' : '驳回'}
      okButtonProps={{ danger: !approve }}
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      {grant && (
        <Typography.Paragraph type="secondary">
          申请人：{grant.proposedBy.displayName}（{dayjs(grant.proposedAt).format('YYYY-MM-DD HH:mm')}）{grant.reason ? `，理由：${grant.reason}` : ''}。
          {approve ? '批准后角色立即生效，该用户的全部登录随即结束，须重新登录。' : ''}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={(v) => decide.mutate(v.text?.trim() || undefined)} onValuesChange={() => setError(null)}>
        <Form.Item
          name="text"
          label={approve ? '意见（可选）' : '驳回理由'}
          rules={approve ? [{ max: 200 }] : [{ required: true, whitespace: true, message: '请说明驳回的理由' }, { max: 200 }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/**
 * 角色授予申请: the admin proposes, a security admin approves or rejects
 * (`canDecide`). Pending ones first; the history on demand.
 */
export function RoleGrantsTable({ canDecide }: { canDecide: boolean }) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [show, setShow] = useState<'pending' | 'all'>('pending');
  const grants = useRoleGrants(show === 'pending' ? 'pending' : undefined);
  const [decision, setDecision] = useState<{ grant: RoleGrant; approve: boolean }>();

  const actions = (g: RoleGrant) =>
    canDecide && g.status === 'pending' ? (
      <Space wrap>
        <Button size={phone ? 'middle' : 'small'} type="primary" onClick={() => setDecision({ grant: g, approve: true })}>
          批准
        </Button>
        <Button size={phone ? 'middle' : 'small'} danger onClick={() => setDecision({ grant: g, approve: false })}>
          驳回
        </Button>
      </Space>
    ) : g.decidedBy ? (
      <Typography.Text type="secondary">
        {g.decidedBy.displayName}
        {g.decisionComment ? `：${g.decisionComment}` : ''}
      </Typography.Text>
    ) : (
      <Typography.Text type="secondary">等待安全管理员批准</Typography.Text>
    );

  if (grants.error) return <Alert type="error" showIcon title={messageOf(grants.error)} />;
  const rows = grants.data ?? [];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Segmented<'pending' | 'all'>
        value={show}
        onChange={setShow}
        options={[
          { value: 'pending', label: '待批准' },
          { value: 'all', label: '全部申请' },
        ]}
      />
      {phone ? (
        <List<RoleGrant>
          loading={grants.isLoading}
          dataSource={rows}
          locale={{ emptyText: <Empty description={show === 'pending' ? '没有待批准的申请' : '没有申请'} /> }}
          renderItem={(g) => (
            <List.Item data-testid={`grant-row-${g.user.username}-${g.role}`}>
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap size={4}>
                  <Person p={g.user} />
                  <Tag color="blue">{g.roleLabel}</Tag>
                  <StatusTag g={g} />
                </Space>
                <Typography.Text type="secondary">
                  {g.proposedBy.displayName} 申请于 {dayjs(g.proposedAt).format('MM-DD HH:mm')}
                  {g.reason ? `：${g.reason}` : ''}
                </Typography.Text>
                {actions(g)}
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Table<RoleGrant>
          rowKey="id"
          size="middle"
          loading={grants.isLoading}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50 } : false}
          locale={{ emptyText: <Empty description={show === 'pending' ? '没有待批准的申请' : '没有申请'} /> }}
          scroll={{ x: true }}
          onRow={(g) => ({ 'data-testid': `grant-row-${g.user.username}-${g.role}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: '用户', key: 'user', render: (_: unknown, g) => <Person p={g.user} /> },
            { title: '申请角色', key: 'role', render: (_: unknown, g) => <Tag color="blue">{g.roleLabel}</Tag> },
            { title: '申请人', key: 'proposer', render: (_: unknown, g) => <Person p={g.proposedBy} /> },
            { title: '申请时间', dataIndex: 'proposedAt', width: 140, render: (t: string) => dayjs(t).format('YYYY-MM-DD HH:mm') },
            { title: '理由', dataIndex: 'reason', render: (r: string | null) => r ?? '—' },
            { title: '状态', key: 'status', width: 90, render: (_: unknown, g) => <StatusTag g={g} /> },
            { title: canDecide ? '操作' : '处理', key: 'actions', render: (_: unknown, g) => actions(g) },
          ]}
        />
      )}
      <DecideModal decision={decision} onClose={() => setDecision(undefined)} />
    </Space>
  );
}
