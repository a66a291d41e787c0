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
import { UserRoleTags } from '../security/UserRolesTab';
import { passwordProblem, ROLE_LABELS, rolesForUnitKind, rolesProblem, SEPARATED_ROLES, type Role } from './user-roles';

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
            roles: v.roles ?? [],
            password: v.password!,
          },
        }),
      ),
    onSuccess: (u) => {
      message.success(
        u.pendingRoles.length
          ? `已新建用户 ${u.displayName}（${u.username}），所申请的角色待安全管理员批准`
          : `已新建用户 ${u.displayName}（${u.username}），角色由安全管理员设置`,
      );
      void queryClient.invalidateQueries({ queryKey: ['role-grants'] });
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
          label="申请角色（可选）"
          extra="新建的账号没有角色：所选角色成为授予申请，由安全管理员批准后生效。系统管理员、安全管理员、审计员只能单独授予。"
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

/** 编辑: name, phone, unit (the roles must fit the new unit; the security admin changes them otherwise). */
function EditUserModal({ user, units, onClose }: { user: User | undefined; units: OrgUnit[]; onClose: () => void }) {
  const [form] = Form.useForm<{ displayName?: string; phone?: string; orgUnitId?: string }>();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const treeData = useMemo(() => toTreeOptions(buildOrgTree(units)), [units]);
  useEffect(() => {
    if (user) {
      form.setFieldsValue({ displayName: user.displayName, phone: user.phone ?? '', orgUnitId: user.orgUnitId });
      setError(null);
    }
  }, [user, form]);
  const save = useMutation({
    mutationFn: (v: { displayName?: string; phone?: string; orgUnitId?: string }) =>
      ok(
        api.PATCH('/api/admin/users/{id}', {
          params: { path: { id: user!.id } },
          body: { displayName: v.displayName!.trim(), phone: v.phone?.trim() ? v.phone.trim() : null, orgUnitId: v.orgUnitId! },
        }),
      ),
    onSuccess: (u) => {
      message.success(`已保存 ${u.displayName} 的信息`);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      onClose();
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, ['displayName', 'phone', 'orgUnitId'])) setError(messageOf(err));
    },
  });
  return (
    <Modal
      open={!!user}
      title={user ? `编辑用户：${user.username}` : '编辑用户'}
      okText="保存"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={phone ? '100%' : 560}
    >
      <Form form={form} layout="vertical" size={phone ? 'large' : 'middle'} onFinish={(v) => save.mutate(v)} onValuesChange={() => setError(null)}>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 64 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label="手机号码（可选）" rules={[{ pattern: /^1[3-9][0-9]{9}$/, message: '须为 11 位手机号码' }]}>
          <Input inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item
          name="orgUnitId"
          label="所属单位"
          extra="调到角色不适用的单位前，须先由安全管理员调整角色"
          rules={[{ required: true, message: '请选择所属单位' }]}
        >
          <TreeSelect treeData={treeData} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/** 申请授予: the admin asks a security admin to grant a role (the only way to county_office and the 三员 roles). */
function ProposeRoleModal({ user, units, onClose }: { user: User | undefined; units: OrgUnit[]; onClose: () => void }) {
  const [form] = Form.useForm<{ role?: Role; reason?: string }>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const kind = units.find((u) => u.id === user?.orgUnitId)?.kind;
  const options = user
    ? rolesForUnitKind(kind)
        .filter((r) => !user.roles.includes(r) && !user.pendingRoles.includes(r))
        .map((r) => ({ value: r, label: ROLE_LABELS[r], disabled: !!rolesProblem([...user.roles, r], kind) }))
    : [];
  useEffect(() => {
    if (user) {
      form.resetFields();
      setError(null);
    }
  }, [user, form]);
  const propose = useMutation({
    mutationFn: (v: { role?: Role; reason?: string }) =>
      ok(api.POST('/api/role-grants', { body: { userId: user!.id, role: v.role!, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) } })),
    onSuccess: (g) => {
      message.success(`已申请为 ${g.user.displayName} 授予${g.roleLabel}，待安全管理员批准`);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      void queryClient.invalidateQueries({ queryKey: ['role-grants'] });
      onClose();
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, ['role', 'reason'])) setError(messageOf(err));
    },
  });
  return (
    <Modal
      open={!!user}
      title={user ? `申请授予角色：${user.displayName}（${user.username}）` : '申请授予角色'}
      okText="提交申请"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={propose.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">角色由安全管理员批准后生效（三权分立：系统管理员申请、安全管理员批准，两人不能是同一人）。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => propose.mutate(v)} onValuesChange={() => setError(null)}>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择要申请的角色' }]}>
          <Select placeholder={options.length ? '选择角色' : '没有可申请的角色'} options={options} />
        </Form.Item>
        <Form.Item name="reason" label="理由（可选）" rules={[{ max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：任职文件文号" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/** 用户: the county's accounts; new user, edit, request a role, reset password, deactivate or reactivate (roles are the security admin's). */
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
  const [editing, setEditing] = useState<User>();
  const [proposing, setProposing] = useState<User>();

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

  const reactivate = async (u: User) => {
    try {
      await ok(api.POST('/api/admin/users/{id}/reactivate', { params: { path: { id: u.id } } }));
      message.success(`已重新启用 ${u.displayName}`);
      await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
    } catch (err) {
      message.error(messageOf(err));
    }
  };

  const actions = (u: User) => {
    const size = phone ? 'middle' : 'small';
    // A security admin's or an auditor's password is reset by a security admin (the admin would otherwise hold their account).
    const resetBySecurity = u.roles.some((r) => r === 'security_admin' || r === 'auditor');
    return (
      <Space wrap>
        <Button size={size} onClick={() => setEditing(u)}>
          编辑
        </Button>
        {u.active && u.id !== me?.id && !u.roles.some((r) => SEPARATED_ROLES.includes(r)) && (
          <Button size={size} onClick={() => setProposing(u)}>
            申请授予
          </Button>
        )}
        {!resetBySecurity && (
          <Button size={size} onClick={() => setResetting(u)} disabled={!u.active}>
            重置密码
          </Button>
        )}
        {u.active && u.id !== me?.id && (
          <Button size={size} danger onClick={() => deactivate(u)}>
            停用
          </Button>
        )}
        {!u.active && (
          <Button size={size} onClick={() => void reactivate(u)}>
            启用
          </Button>
        )}
      </Space>
    );
  };

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
                  <UserRoleTags user={u} />
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
            { title: '角色', key: 'roles', render: (_: unknown, u) => <UserRoleTags user={u} /> },
            {
              title: '状态',
              key: 'status',
              width: 90,
              render: (_: unknown, u) => (
                <Space size={4} wrap>
                  {u.active ? <Tag color="success">启用</Tag> : <Tag>已停用</Tag>}
                  {u.lockedUntil && <Tag color="error">已锁定</Tag>}
                </Space>
              ),
            },
            { title: '新建时间', dataIndex: 'createdAt', width: 110, render: (t: string) => dayjs(t).format('YYYY-MM-DD') },
            { title: '操作', key: 'actions', width: 250, render: (_: unknown, u) => actions(u) },
          ]}
        />
      )}
      <CreateUserModal open={creating} units={units.data ?? []} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
      <EditUserModal user={editing} units={units.data ?? []} onClose={() => setEditing(undefined)} />
      <ProposeRoleModal user={proposing} units={units.data ?? []} onClose={() => setProposing(undefined)} />
    </Space>
  );
}
