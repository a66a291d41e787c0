import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Empty, Grid, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client';
import { messageOf } from '../../lib/api-error';
import { compareOrgUnits } from '../../lib/org-tree';
import { useOrgUnits, type OrgUnit } from './queries';

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function GroupCoverage({ group, townships }: { group: OrgUnit; townships: OrgUnit[] }) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = ['admin', 'coverage', group.id];
  const coverage = useQuery({ queryKey: key, queryFn: () => ok(api.GET('/api/admin/org-units/{id}/coverage', { params: { path: { id: group.id } } })) });
  const saved = (coverage.data ?? []).map((t) => t.id);
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => setPicked((coverage.data ?? []).map((t) => t.id)), [coverage.data]);

  const save = useMutation({
    mutationFn: () => ok(api.PUT('/api/admin/org-units/{id}/coverage', { params: { path: { id: group.id } }, body: { townshipIds: picked } })),
    onSuccess: (list) => {
      queryClient.setQueryData(key, list);
      message.success(`已保存${group.name}的负责范围`);
    },
    onError: (err) => message.error(messageOf(err)),
  });

  return (
    <Card size="small" title={group.name} data-testid={`coverage-${group.id}`}>
      {coverage.isLoading ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : coverage.error ? (
        <Alert type="error" showIcon title={messageOf(coverage.error)} />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Checkbox.Group
            aria-label={`${group.name}负责的乡镇`}
            value={picked}
            onChange={(v) => setPicked(v as string[])}
            options={townships.map((t) => ({ value: t.id, label: t.name }))}
            style={phone ? { display: 'grid', gridTemplateColumns: '1fr 1fr', rowGap: 12 } : undefined}
          />
          <Space wrap>
            <Button
              type="primary"
              disabled={sameSet(saved, picked)}
              loading={save.isPending}
              onClick={() => save.mutate()}
              block={phone}
              size={phone ? 'large' : 'middle'}
            >
              保存负责范围
            </Button>
            <Typography.Text type="secondary">负责 {picked.length} 个乡镇；督查组成员只能看到并抽查这些乡镇的问题。</Typography.Text>
          </Space>
        </Space>
      )}
    </Card>
  );
}

/** 督查组负责范围: for each supervision group, the townships it covers. */
export function CoverageTab() {
  const { data: units = [], isLoading, error } = useOrgUnits();
  if (isLoading) return <Skeleton active />;
  if (error) return <Alert type="error" showIcon title={messageOf(error)} />;
  const groups = units.filter((u) => u.kind === 'supervision_group');
  const townships = units.filter((u) => u.kind === 'township').sort(compareOrgUnits);
  if (groups.length === 0) return <Empty description="尚无督查组：先在「组织机构」中新建督查组" />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {groups.map((g) => (
        <GroupCoverage key={g.id} group={g} townships={townships} />
      ))}
    </Space>
  );
}
