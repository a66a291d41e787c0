import { FilterOutlined } from '@ant-design/icons';
import { Badge, Button, Checkbox, Col, Drawer, Flex, Form, Input, Row, Select, TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { OrgUnitTreeSelect } from '../../../components/OrgUnitTreeSelect';
import { activeFilterCount, ITEM_STATES, NO_FILTERS, type ItemFilters, type ProblemTypeNode } from '../../../lib/item-filters';

export interface RectifierOption {
  value: string;
  label: string;
}

interface Props {
  filters: ItemFilters;
  onChange: (next: ItemFilters) => void;
  problemTypes: ProblemTypeNode[];
  rectifiers: RectifierOption[];
  phone: boolean;
}

/** The ledger's filters: inline on a desktop; a search box and a 筛选 drawer on a phone. */
export function LedgerFilters({ filters, onChange, problemTypes, rectifiers, phone }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(filters.q ?? '');
  useEffect(() => setText(filters.q ?? ''), [filters.q]);
  const set = (patch: Partial<ItemFilters>) => onChange({ ...filters, ...patch });
  const size = phone ? 'large' : 'middle';

  const search = (
    <Input.Search
      aria-label="关键词"
      placeholder="搜索具体问题、整改措施、户主姓名、备注"
      allowClear
      value={text}
      maxLength={100}
      onChange={(e) => setText(e.target.value)}
      onSearch={(v) => set({ q: v.trim() || undefined })}
      size={size}
    />
  );

  const fields = [
    {
      key: 'org',
      label: '乡镇 / 行政村',
      node: (
        <OrgUnitTreeSelect
          value={filters.orgUnitId}
          onChange={(orgUnitId) => set({ orgUnitId })}
          size={size}
          placeholder="全部单位"
          aria-label="乡镇 / 行政村"
        />
      ),
    },
    {
      key: 'state',
      label: '状态',
      node: (
        <Select<string[]>
          aria-label="状态"
          mode="multiple"
          allowClear
          placeholder="全部状态"
          value={filters.states}
          onChange={(states) => set({ states: states as ItemFilters['states'] })}
          options={ITEM_STATES.map((s) => ({ value: s.value, label: s.label }))}
          maxTagCount="responsive"
          size={size}
          style={{ width: '100%' }}
        />
      ),
    },
    {
      key: 'type',
      label: '问题类型',
      node: (
        <TreeSelect<string>
          aria-label="问题类型"
          allowClear
          showSearch={{ treeNodeFilterProp: 'title' }}
          placeholder="全部类型"
          value={filters.problemType}
          onChange={(v) => set({ problemType: v ?? undefined })}
          treeData={problemTypes}
          size={size}
          style={{ width: '100%' }}
          popupMatchSelectWidth={false}
        />
      ),
    },
    {
      key: 'rectifier',
      label: '整改责任人',
      node: (
        <Select<string>
          aria-label="整改责任人"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="全部责任人"
          value={filters.rectifierId}
          onChange={(v) => set({ rectifierId: v ?? undefined })}
          options={rectifiers}
          size={size}
          style={{ width: '100%' }}
        />
      ),
    },
  ];

  const flags = (
    <Flex gap={16} wrap align="center" style={{ minHeight: phone ? 40 : 32 }}>
      <Checkbox checked={filters.overdue} onChange={(e) => set({ overdue: e.target.checked })}>
        只看超期
      </Checkbox>
      <Checkbox checked={filters.reopened} onChange={(e) => set({ reopened: e.target.checked })}>
        只看重新打开过
      </Checkbox>
    </Flex>
  );

  const count = activeFilterCount(filters);

  if (phone) {
    const drawerCount = activeFilterCount({ ...filters, q: undefined });
    return (
      <>
        <Flex gap={8}>
          <div style={{ flex: 1, minWidth: 0 }}>{search}</div>
          <Badge count={drawerCount} size="small">
            <Button size="large" icon={<FilterOutlined />} onClick={() => setOpen(true)}>
              筛选
            </Button>
          </Badge>
        </Flex>
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="bottom"
          size="auto"
          title="筛选问题"
          styles={{ body: { paddingBottom: 8 } }}
          footer={
            <Flex gap={8}>
              <Button size="large" block disabled={count === 0} onClick={() => onChange(NO_FILTERS)}>
                清除筛选
              </Button>
              <Button size="large" block type="primary" onClick={() => setOpen(false)}>
                完成
              </Button>
            </Flex>
          }
        >
          <Form layout="vertical">
            {fields.map((f) => (
              <Form.Item key={f.key} label={f.label} style={{ marginBottom: 12 }}>
                {f.node}
              </Form.Item>
            ))}
            {flags}
          </Form>
        </Drawer>
      </>
    );
  }

  return (
    <Form layout="vertical" component="div">
      <Row gutter={[16, 0]}>
        {fields.map((f) => (
          <Col key={f.key} xs={24} md={12} xl={6}>
            <Form.Item label={f.label} style={{ marginBottom: 12 }}>
              {f.node}
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 8]} align="middle">
        <Col flex="auto" style={{ maxWidth: 520 }}>
          {search}
        </Col>
        <Col flex="none">{flags}</Col>
        <Col flex="none">
          <Button type="link" disabled={count === 0} onClick={() => onChange(NO_FILTERS)}>
            清除筛选
          </Button>
        </Col>
      </Row>
    </Form>
  );
}
