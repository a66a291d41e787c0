import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Flex, Form, Grid, Input, List, Modal, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';
import type { OrgUnitKind } from '../../lib/org-tree';
import { PASSWORD_HINT } from '../../lib/password-rules';
import { placeFieldErrors } from '../admin/queries';
import {
  directlySettable,
  passwordProblem,
  PRIVILEGED_ROLES,
  ROLE_LABELS,
  rolesForUnitKind,
  rolesProblem,
  SEPARATED_ROLES,
  type Role,
} from '../admin/user-roles';
import { useSecurityUsers, type SecurityUser } from './queries';

/** Roles and the waiting ones, as tags. */
export function UserRoleTags({ user }: { user: Pick<SecurityUser, 'roles' | 'roleLabels' | 'pendingRoles'> }) {
  return (
    <Space size={[4, 4]} wrap>
      {user.roles.length === 0 && user.pendingRoles.length === 0 && <Typography.Text type="secondary">无角色</Typography.Text>}
      {user.roles.map((r, i) => (
        <Tag key={r} color={SEPARATED_ROLES.includes(r) ? 'purple' : PRIVILEGED_ROLES.includes(r) ? 'red' : 'blue'} style={{ marginInlineEnd: 0 }}>
          {user.roleLabels[i] ?? ROLE_LABELS[r]}
        </Tag>
      ))}
      {user.pendingRoles.map((r) => (
        <Tag key={`pending-${r}`} color="orange" style={{ marginInlineEnd: 0 }}>
          待批准：{ROLE_LABELS[r]}
        </Tag>
      ))}
    </Space>
  );
}

/** The security admin sets a user's roles: ordinary ones freely, privileged ones only kept or removed. */
function RolesModal({ user, onClose }: { user: SecurityUser | undefined; onClose: () => void }) {
  const [form] = Form.useForm<{ roles: Role[] }>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const kind = user?.orgUnit?.kind as OrgUnitKind | undefined;
  const offered = useMemo(() => {
    const fit = rolesForUnitKind(kind);
    return [...new Set([...fit, ...(user?.roles ?? [])])];
  }, [kind, user]);
  useEffect(() => {
    if (user) {
      form.setFieldsValue({ roles: user.roles });
      setError(null);
    }
  }, [user, form]);
  const save = useMutation({
    mutationFn: (roles: Role[]) => ok(api.PUT('/api/users/{id}/roles', { params: { path: { id: user!.id } }, body: { roles } })),
    onSuccess: (u) => {
      message.success(`已设置 ${u.displayName} 的角色；其全部登录已结束，须重新登录`);
      void queryClient.invalidateQueries({ queryKey: ['security', 'users'] });
      onClose();
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, ['roles'])) setError(messageOf(err));
    },
  });
  return (
    <Modal
      open={!!user}
      title={user ? `设置角色：${user.displayName}（${user.username}）` : '设置角色'}
      okText="保存"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        保存后立即生效，该用户的全部登录随即结束。县巩固办、系统管理员、安全管理员、审计员须由系统管理员申请、安全管理员批准后授予，这里只能保留或撤销。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v.roles ?? [])} onValuesChange={() => setError(null)}>
        <Form.Item
          name="roles"
          label={`角色（${user?.orgUnit?.name ?? ''}）`}
          rules={[
            {
              validator: (_, roles: Role[] | undefined) => {
                const problem = rolesProblem(roles ?? [], kind);
                return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
              },
            },
          ]}
        >
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            {offered.map((r) => {
              const settable = directlySettable(r, user?.roles ?? []);
              return (
                <Checkbox key={r} value={r} disabled={!settable}>
                  {ROLE_LABELS[r]}
                  {!settable && <Typography.Text type="secondary">（须经系统管理员申请）</Typography.Text>}
                </Checkbox>
              );
            })}
          </Checkbox.Group>
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

const passwordRule = { validator: (_: unknown, v: string) => (passwordProblem(v) ? Promise.reject(new Error(passwordProblem(v)!)) : Promise.resolve()) };

/** The security admin resets the password of a security admin or an auditor. */
function ResetModal({ user, onClose }: { user: SecurityUser | undefined; onClose: () => void }) {
  const [form] = Form.useForm<{ password?: string }>();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const reset = useMutation({
    mutationFn: (password: string) => ok(api.POST('/api/users/{id}/reset-password', { params: { path: { id: user!.id } }, body: { password } })),
    onSuccess: (u) => {
      message.success(`已重置 ${u.displayName} 的密码，其全部登录已注销`);
      onClose();
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, ['password'])) setError(messageOf(err));
    },
  });
  return (
    <Modal
      open={!!user}
      title={user ? `重置密码：${user.displayName}（${user.username}）` : '重置密码'}
      okText="重置密码"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => reset.mutate(v.password!)} autoComplete="off">
        <Form.Item name="password" label="新密码" required rules={[passwordRule]} extra={PASSWORD_HINT}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/** 用户与角色 (security admin): roles, locked accounts, the passwords of security admins and auditors. */
export function UserRolesTab() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const users = useSecurityUsers();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<SecurityUser>();
  const [resetting, setResetting] = useState<SecurityUser>();

  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const list = users.data ?? [];
    if (!needle) return list;
    return list.filter((u) => [u.username, u.displayName, u.orgUnit?.name ?? '', ...u.roleLabels].some((s) => s.toLowerCase().includes(needle)));
  }, [users.data, q]);

  const unlock = (u: SecurityUser) =>
    modal.confirm({
      title: `解除 ${u.displayName}（${u.username}）的锁定？`,
      content: `该账号因连续登录失败被锁定至 ${dayjs(u.lockedUntil).format('HH:mm')}。解除后可立即登录。`,
      okText: '解除锁定',
      cancelText: '取消',
      onOk: async () => {
        try {
          await ok(api.POST('/api/users/{id}/unlock', { params: { path: { id: u.id } } }));
          message.success(`已解除 ${u.displayName} 的锁定`);
          await queryClient.invalidateQueries({ queryKey: ['security', 'users'] });
        } catch (err) {
          message.error(messageOf(err));
        }
      },
    });

  const actions = (u: SecurityUser) => {
    const self = u.id === me?.id;
    const resettable = !self && u.roles.some((r) => r === 'security_admin' || r === 'auditor');
    return (
      <Space wrap>
        <Tooltip title={self ? '不能修改自己的角色' : undefined}>
          <Button size={phone ? 'middle' : 'small'} onClick={() => setEditing(u)} disabled={self}>
            设置角色
          </Button>
        </Tooltip>
        {u.lockedUntil && (
          <Button size={phone ? 'middle' : 'small'} type="primary" ghost onClick={() => unlock(u)}>
            解除锁定
          </Button>
        )}
        {resettable && (
          <Button size={phone ? 'middle' : 'small'} onClick={() => setResetting(u)}>
            重置密码
          </Button>
        )}
      </Space>
    );
  };

  const status = (u: SecurityUser) => (
    <Space size={4} wrap>
      {u.active ? <Tag color="success">启用</Tag> : <Tag>已停用</Tag>}
      {u.lockedUntil && <Tag color="error">锁定至 {dayjs(u.lockedUntil).format('HH:mm')}</Tag>}
    </Space>
  );

  if (users.error) return <Alert type="error" showIcon title={messageOf(users.error)} />;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Flex gap={8} wrap vertical={phone}>
        <Input.Search
          allowClear
          placeholder="按姓名、用户名、单位或角色查找"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ maxWidth: phone ? undefined : 320 }}
          size={phone ? 'large' : 'middle'}
        />
      </Flex>
      {phone ? (
        <List<SecurityUser>
          loading={users.isLoading}
          dataSource={rows}
          renderItem={(u) => (
            <List.Item data-testid={`security-user-${u.username}`}>
              <div style={{ width: '100%' }}>
                <Space wrap size={4}>
                  <Typography.Text strong>{u.displayName}</Typography.Text>
                  <Typography.Text type="secondary">{u.username}</Typography.Text>
                  {status(u)}
                </Space>
                <div>
                  <Typography.Text type="secondary">{u.orgUnit?.name ?? '—'}</Typography.Text>
                </div>
                <div style={{ marginBlock: 6 }}>
                  <UserRoleTags user={u} />
                </div>
                {actions(u)}
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<SecurityUser>
          rowKey="id"
          size="middle"
          loading={users.isLoading}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50 } : false}
          scroll={{ x: true }}
          onRow={(u) => ({ 'data-testid': `security-user-${u.username}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: '用户名', dataIndex: 'username' },
            { title: '姓名', dataIndex: 'displayName' },
            { title: '单位', key: 'unit', render: (_: unknown, u) => u.orgUnit?.name ?? '—' },
            { title: '角色', key: 'roles', render: (_: unknown, u) => <UserRoleTags user={u} /> },
            { title: '状态', key: 'status', width: 150, render: (_: unknown, u) => status(u) },
            { title: '操作', key: 'actions', width: 230, render: (_: unknown, u) => actions(u) },
          ]}
        />
      )}
      <RolesModal user={editing} onClose={() => setEditing(undefined)} />
      <ResetModal user={resetting} onClose={() => setResetting(undefined)} />
    </Space>
  );
}
