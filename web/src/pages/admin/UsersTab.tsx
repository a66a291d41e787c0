import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Grid, Input, List, Modal, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';
import { buildOrgTree, orgUnitPath, type OrgTreeNode } from '../../lib/org-tree';
import { placeFieldErrors, useOrgUnits, useUsers, type OrgUnit, type User } from './queries';
import { PASSWORD_HINT } from '../../lib/password-rules';
import { EXCLUSIVE_ROLES, passwordProblem, ROLE_LABELS, rolesForUnitKind, rolesProblem, type Role } from './user-roles';

interface TreeOption {
  value: string;
  title: string;
  children?: TreeOption[];
}

function toTreeOptions(nodes: OrgTreeNode<OrgUnit>[]): TreeOption[] {
  return nodes.map((n) => ({
    value: n.unit.id,
    title: `${n.unit.name}（${n.unit.kindLabel}）`,
    children: n.children.length ? toTreeOptions(n.children) : undefined,
  }));
}

const passwordRule = { validator: (_: unknown, v: string) => (passwordProblem(v) ? Promise.reject(new Error(passwordProblem(v)!)) : Promise.resolve()) };

interface CreateValues {
  username?: string;
  displayName?: string;
  phone?: string;
  orgUnitId?: string;
  roles?: Role[];
  password?: string;
}

function CreateUserModal({ open, units, onClose }: { open: boolean; units: OrgUnit[]; onClose: () => void }) {
  const [form] = Form.useForm<CreateValues>();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const orgUnitId = Form.useWatch('orgUnitId', form);
  const unitKind = units.find((u) => u.id === orgUnitId)?.kind;
  const treeData = useMemo(() => toTreeOptions(buildOrgTree(units)), [units]);
  const allowed = rolesForUnitKind(unitKind);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(null);
    }
  }, [open, form]);

  // Roles that no longer fit the newly picked unit are dropped rather than refused later.
  useEffect(() => {
    const roles: Role[] = form.getFieldValue('roles') ?? [];
    const kept = roles.filter((r) => allowed.includes(r));
    if (kept.length !== roles.length) form.setFieldValue('roles', kept);
  }, [unitKind]); // eslint-disable-line react-hooks/exhaustive-deps

  const create = useMutation({
    mutationFn: (v: CreateValues) =>
      ok(
        api.POST('/api/admin/users', {
          body: {
            username: v.username!.trim(),
            displayName: v.displayName!.trim(),
            ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}),
            orgUnitId: v.orgUnitId!,
            roles: v.roles!,
            password: v.password!,
          },
        }),
      ),
    onSuccess: (u) => {
      message.success(`已新建用户 ${u.displayName}（${u.username}）`);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      onClose();
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, ['username', 'displayName', 'phone', 'orgUnitId', 'roles', 'password'])) setError(messageOf(err));
    },
  });

  return (
    <Modal
      open={open}
      title="新建用户"
      okText="新建"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={phone ? '100%' : 560}
    >
      <Form<CreateValues>
        form={form}
        layout="vertical"
        size={phone ? 'large' : 'middle'}
        onFinish={(v) => create.mutate(v)}
        onValuesChange={() => setError(null)}
        autoComplete="off"
      >
        <Form.Item
          name="username"
          label="用户名（登录名）"
          rules={[
            { required: true, message: '请填写用户名' },
            { pattern: /^[A-Za-z0-9._-]{2,64}$/, message: '2–64 位字母、数字、点、横线或下划线' },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 64 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label="手机号码（可选）" rules={[{ pattern: /^1[3-9][0-9]{9}$/, message: '须为 11 位手机号码' }]}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item name="orgUnitId" label="所属单位" rules={[{ required: true, message: '请选择所属单位' }]}>
          <TreeSelect treeData={treeData} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} placeholder="选择单位" />
        </Form.Item>
        <Form.Item
          name="roles"
          label="角色"
          required
          extra="系统管理员、审计员只能单独授予"
          rules={[
            {
              validator: (_, roles: Role[] | undefined) => {
                const problem = rolesProblem(roles ?? [], unitKind);
                return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
              },
            },
          ]}
        >
          <Select mode="multiple" placeholder={unitKind ? '选择角色' : '先选择所属单位'} options={allowed.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
        </Form.Item>
        <Form.Item name="password" label="初始密码" required rules={[passwordRule]} extra={PASSWORD_HINT}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  const [form] = Form.useForm<{ password?: string; confirm?: string }>();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (user) {
      form.resetFields();
      setError(null);
    }
  }, [user, form]);
  const reset = useMutation({
    mutationFn: (password: string) => ok(api.POST('/api/admin/users/{id}/reset-password', { params: { path: { id: user!.id } }, body: { password } })),
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
      <Typography.Paragraph type="secondary">重置后该用户的全部登录立即失效，需用新密码重新登录。</Typography.Paragraph>
      <Form form={form} layout="vertical" size={phone ? 'large' : 'middle'} onFinish={(v) => reset.mutate(v.password!)} autoComplete="off">
        <Form.Item name="password" label="新密码" required rules={[passwordRule]} extra={PASSWORD_HINT}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="再次输入新密码"
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, v) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

function RoleTags({ user }: { user: User }) {
  return (
    <Space size={[4, 4]} wrap>
      {user.roles.map((r, i) => (
        <Tag key={r} color={EXCLUSIVE_ROLES.includes(r) ? 'purple' : 'blue'} style={{ marginInlineEnd: 0 }}>
          {user.roleLabels[i] ?? ROLE_LABELS[r]}
        </Tag>
      ))}
    </Space>
  );
}

/** 用户: the county's users; new user, reset password, deactivate. */
export function UsersTab() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const users = useUsers();
  const units = useOrgUnits();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User>();

  const unitName = (u: User) => (u.orgUnit ? orgUnitPath(units.data ?? [], u.orgUnit.id) || u.orgUnit.name : '—');
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const list = users.data ?? [];
    if (!needle) return list;
    return list.filter((u) => [u.username, u.displayName, u.orgUnit?.name ?? '', ...u.roleLabels].some((s) => s.toLowerCase().includes(needle)));
  }, [users.data, q]);

  const deactivate = (u: User) =>
    modal.confirm({
      title: `停用 ${u.displayName}（${u.username}）？`,
      content: '停用后该用户不能再登录，其全部登录立即失效；签过的字仍然保留。',
      okText: '停用',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await ok(api.POST('/api/admin/users/{id}/deactivate', { params: { path: { id: u.id } } }));
          message.success(`已停用 ${u.displayName}`);
          await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
        } catch (err) {
          message.error(messageOf(err));
        }
      },
    });

  const actions = (u: User) => (
    <Space wrap>
      <Button size={phone ? 'middle' : 'small'} onClick={() => setResetting(u)} disabled={!u.active}>
        重置密码
      </Button>
      {u.active && u.id !== me?.id && (
        <Button size={phone ? 'middle' : 'small'} danger onClick={() => deactivate(u)}>
          停用
        </Button>
      )}
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
        <div style={{ flex: 1 }} />
        <Button type="primary" icon={<PlusOutlined />} block={phone} size={phone ? 'large' : 'middle'} onClick={() => setCreating(true)}>
          新建用户
        </Button>
      </Flex>
      {phone ? (
        <List<User>
          loading={users.isLoading}
          dataSource={rows}
          renderItem={(u) => (
            <List.Item data-testid={`user-row-${u.username}`}>
              <div style={{ width: '100%' }}>
                <Space wrap size={4}>
                  <Typography.Text strong delete={!u.active}>
                    {u.displayName}
                  </Typography.Text>
                  <Typography.Text type="secondary">{u.username}</Typography.Text>
                  {!u.active && <Tag>已停用</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary">{unitName(u)}</Typography.Text>
                </div>
                <div style={{ marginBlock: 6 }}>
                  <RoleTags user={u} />
                </div>
                {actions(u)}
              </div>
            </List.Item>
          )}
        />
      ) : (
        <Table<User>
          rowKey="id"
          size="middle"
          loading={users.isLoading}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50 } : false}
          scroll={{ x: true }}
          onRow={(u) => ({ 'data-testid': `user-row-${u.username}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: '用户名', dataIndex: 'username' },
            { title: '姓名', dataIndex: 'displayName' },
            { title: '单位', key: 'unit', render: (_: unknown, u) => unitName(u) },
            { title: '角色', key: 'roles', render: (_: unknown, u) => <RoleTags user={u} /> },
            { title: '状态', dataIndex: 'active', width: 80, render: (a: boolean) => (a ? <Tag color="success">启用</Tag> : <Tag>已停用</Tag>) },
            { title: '新建时间', dataIndex: 'createdAt', width: 110, render: (t: string) => dayjs(t).format('YYYY-MM-DD') },
            { title: '操作', key: 'actions', width: 170, render: (_: unknown, u) => actions(u) },
          ]}
        />
      )}
      <CreateUserModal open={creating} units={units.data ?? []} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
    </Space>
  );
}
