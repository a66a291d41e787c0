import { Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import type { ProblemType } from './queries';

function toNodes(types: readonly ProblemType[]): DataNode[] {
  return types.map((t) => ({
    key: t.code,
    title: (
      <span title={t.description}>
        <Typography.Text type="secondary" style={{ marginInlineEnd: 6 }}>
          {t.code}
        </Typography.Text>
        {t.name}
        {t.responsibleUnits?.length ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            （责任单位：{t.responsibleUnits.join('、')}）
          </Typography.Text>
        ) : null}
      </span>
    ),
    children: t.children?.length ? toNodes(t.children) : undefined,
  }));
}

/** A campaign's or preset's problem-type taxonomy, fully expanded. */
export function ProblemTypeTree({ types, height }: { types: readonly ProblemType[]; height?: number }) {
  return <Tree treeData={toNodes(types)} defaultExpandAll selectable={false} blockNode height={height} showLine />;
}
