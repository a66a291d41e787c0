import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { api, ok } from '../api/client';
import { buildOrgTree, type FlatOrgUnit, type OrgTreeNode } from '../lib/org-tree';

/** The org units the caller may see (GET /api/auth/scope), shared by every page that asks. */
export function useScope() {
  return useQuery({
    queryKey: ['scope'],
    queryFn: () => ok(api.GET('/api/auth/scope')),
    staleTime: 5 * 60_000,
  });
}

interface TreeData {
  value: string;
  title: string;
  children?: TreeData[];
}

const toTreeData = (nodes: OrgTreeNode[]): TreeData[] =>
  nodes.map((n) => ({ value: n.key, title: n.unit.name, ...(n.children.length ? { children: toTreeData(n.children) } : {}) }));

interface Props {
  value?: string;
  onChange?: (id: string | undefined) => void;
  placeholder?: string;
  size?: 'small' | 'middle' | 'large';
  style?: React.CSSProperties;
  'aria-label'?: string;
}

/** Picks a township, village or department within the caller's scope (乡镇 / 行政村 tree); supervision groups hold no problems. */
export function OrgUnitTreeSelect({ value, onChange, placeholder = '乡镇 / 行政村', size, style, ...rest }: Props) {
  const { data, isLoading } = useScope();
  const tree = useMemo(() => toTreeData(buildOrgTree<FlatOrgUnit>((data?.orgUnits ?? []).filter((u) => u.kind !== 'supervision_group'))), [data]);
  return (
    <TreeSelect<string>
      // remount once loaded so the top level opens by default
      key={tree.length ? 'loaded' : 'loading'}
      aria-label={rest['aria-label'] ?? placeholder}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      loading={isLoading}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      placeholder={placeholder}
      treeData={tree}
      treeDefaultExpandedKeys={tree.map((n) => n.value)}
      size={size}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
    />
  );
}
