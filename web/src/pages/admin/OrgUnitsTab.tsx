import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Grid, Input, Modal, Select, Skeleton, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useMemo, useState } from 'react';
import { api, ok, type Schemas } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { buildOrgTree, orgUnitPath, parentCandidates, type OrgTreeNode } from '../../lib/org-tree';
import { placeFieldErrors, useOrgUnits, type OrgUnit } from './queries';

type NewKind = Schemas['CreateOrgUnitDto']['kind'];

export const KIND_LABELS: Record<OrgUnit['kind'], string> = {
  county: '县（区）',
  township: '乡镇（街道）',
  village: '行政村（社区）',
  department: '县直部门',
  supervision_group: '督查组',
};

const KIND_COLORS: Record<OrgUnit['kind'], string> = { county: 'red', township: 'blue', village: 'green', department: 'purple', supervision_group: 'orange' };

const NEW_KINDS: NewKind[] = ['township', 'village', 'department', 'supervision_group'];

function toTreeData(nodes: OrgTreeNode<OrgUnit>[]): DataNode[] {
  return nodes.map((n) => ({
    key: n.key,
    title: (
      <Space size={6} wrap>
        <span>{n.unit.name}</span>
        <Tag color={KIND_COLORS[n.unit.kind]} style={{ marginInlineEnd: 0 }}>
          {n.unit.kindLabel}
        </Tag>
        {n.unit.code && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {n.unit.code}
          </Typography.Text>
        )}
      </Space>
    ),
    children: n.children.length ? toTreeData(n.children) : undefined,
  }));
}

interface Values {
  kind: NewKind;
  parentId?: string;
  name?: string;
  code?: string;
}

function CreateOrgUnitModal({ open, units, preset, onClose }: { open: boolean; units: OrgUnit[]; preset?: OrgUnit; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const kind = Form.useWatch('kind', form);
  const [error, setError] = useState<string | null>(null);
  const parents = useMemo(() => (kind ? parentCandidates(units, kind) : []), [units, kind]);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    // Opening from a township offers a village under it; otherwise a township under the county.
    const startKind: NewKind = preset?.kind === 'township' ? 'village' : 'township';
    form.setFieldsValue({ kind: startKind });
  }, [open, preset, form]);

  useEffect(() => {
    if (!kind) return;
    const current = form.getFieldValue('parentId');
    if (current && parents.some((p) => p.id === current)) return;
    const fromPreset = preset && parents.find((p) => p.id === preset.id);
    form.setFieldValue('parentId', fromPreset?.id ?? (parents.length === 1 ? parents[0].id : undefined));
  }, [kind, parents, preset, form]);

  const create = useMutation({
    mutationFn: (v: Values) =>
      ok(
        api.POST('/api/admin/org-units', {
          body: { kind: v.kind, parentId: v.parentId!, name: v.name!.trim(), ...(v.code?.trim() ? { code: v.code.trim() } : {}) },
        }),
      ),
    onSuccess: (u) => {
      message.success(`已新建${u.kindLabel}「${u.name}」`);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'org-units'] });
      void queryClient.invalidateQueries({ queryKey: ['scope'] });
      onClose();
    },
    onError: (err) => {
      if (!placeFieldErrors(form, err, ['kind', 'parentId', 'name', 'code'])) setError(messageOf(err));
    },
  });

  return (
    <Modal
      open={open}
      title="新建单位"
      okText="新建"
      cancelText="取消"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" size={phone ? 'large' : 'middle'} onFinish={(v) => create.mutate(v)} onValuesChange={() => setError(null)}>
        <Form.Item name="kind" label="单位类型" rules={[{ required: true }]}>
          <Select options={NEW_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="parentId" label="上级单位" rules={[{ required: true, message: '请选择上级单位' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={parents.map((p) => ({ value: p.id, label: orgUnitPath(units, p.id) || p.name }))}
            placeholder={kind === 'village' ? '选择所属乡镇' : '选择上级单位'}
          />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称' }, { max: 100 }]}>
          <Input
            placeholder={
              kind === 'village'
                ? '如：大同村'
                : kind === 'department'
                  ? '如：县住房和城乡建设局'
                  : kind === 'supervision_group'
                    ? '如：县巩固衔接第二督查组'
                    : '如：城关镇'
            }
          />
        </Form.Item>
        <Form.Item name="code" label="统计用区划代码（可选）" rules={[{ pattern: /^[0-9]{6}([0-9]{3}([0-9]{3})?)?$/, message: '须为 6、9 或 12 位数字' }]}>
          <Input inputMode="numeric" maxLength={12} placeholder="12 位，如 341522100000" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

/** 组织机构: the county's units as a tree; new townships, villages, departments and supervision groups. */
export function OrgUnitsTab() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { data: units = [], isLoading, error } = useOrgUnits();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string>();
  const treeData = useMemo(() => toTreeData(buildOrgTree(units)), [units]);
  const selectedUnit = units.find((u) => u.id === selected);

  if (isLoading) return <Skeleton active />;
  if (error) return <Alert type="error" showIcon title={messageOf(error)} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} block={phone} size={phone ? 'large' : 'middle'} onClick={() => setCreating(true)}>
        {selectedUnit?.kind === 'township' ? `在${selectedUnit.name}下新建` : '新建单位'}
      </Button>
      <Tree
        treeData={treeData}
        defaultExpandAll
        blockNode
        showLine
        selectedKeys={selected ? [selected] : []}
        onSelect={(keys) => setSelected(keys[0] as string | undefined)}
      />
      <CreateOrgUnitModal open={creating} units={units} preset={selectedUnit} onClose={() => setCreating(false)} />
    </Space>
  );
}
