import { Button, Table, Typography, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import type { Schemas } from '../../api/client';
import { COUNT_COLUMNS, formatDays, formatRate, type Figures } from '../../lib/stats';

type Report = Schemas['StatsReportResponse'];

interface Row {
  key: string;
  name: string;
  /** Set on an org unit's row; its problem types are the children. */
  orgUnit?: { id: string; kind: string; name: string };
  figures: Figures;
  children?: Row[];
}

/** One row per org unit (townships or departments; villages when drilled down), its problem types folded beneath. */
function rowsOf(report: Report): Row[] {
  return report.byOrgUnit.map((u) => {
    const types = report.rows
      .filter((r) => r.orgUnit.id === u.orgUnit.id)
      .map((r) => ({ key: `${u.orgUnit.id}|${r.problemType.code}`, name: r.problemType.name, figures: r.figures }));
    return { key: u.orgUnit.id, name: u.orgUnit.name, orgUnit: u.orgUnit, figures: u.figures, ...(types.length ? { children: types } : {}) };
  });
}

interface Props {
  report: Report | undefined;
  loading: boolean;
  /** Called for a township's row when the table lists townships. */
  onDrill?: (township: { id: string; name: string }) => void;
  phone: boolean;
}

/** 进度统计: found, confirmed, … per org unit; a township's name drills down to its villages. */
export function ProgressTable({ report, loading, onDrill, phone }: Props) {
  const data = useMemo(() => (report ? rowsOf(report) : []), [report]);
  const unitLabel = report?.groupBy === 'village' ? '行政村' : '乡镇 / 部门';
  const drillable = report?.groupBy === 'township' && !!onDrill;

  const columns: TableColumnsType<Row> = [
    {
      title: phone ? unitLabel : `${unitLabel} / 问题类型`,
      dataIndex: 'name',
      fixed: 'left',
      width: phone ? 128 : 150,
      render: (name: string, row) =>
        row.orgUnit && drillable && row.orgUnit.kind === 'township' ? (
          <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => onDrill!({ id: row.orgUnit!.id, name })}>
            {name}
          </Button>
        ) : row.orgUnit ? (
          <Typography.Text strong>{name}</Typography.Text>
        ) : (
          // inline-block so a wrapped problem-type name stays indented under its first line
          <Typography.Text type="secondary" style={{ display: 'inline-block', verticalAlign: 'top', maxWidth: phone ? 72 : 110, fontSize: 13 }}>
            {name}
          </Typography.Text>
        ),
    },
    ...COUNT_COLUMNS.map((c) => ({
      title: c.label,
      key: c.key,
      width: c.key === 'reopened' ? 90 : c.key === 'dismissed' || c.key === 'found' ? 76 : 66,
      align: 'right' as const,
      render: (_: unknown, row: Row) => {
        const v = row.figures[c.key];
        return c.key === 'overdue' && v > 0 ? (
          <Typography.Text type="danger" strong>
            {v}
          </Typography.Text>
        ) : (
          v
        );
      },
    })),
    { title: '整改率', key: 'rate', width: 80, align: 'right', render: (_, row) => formatRate(row.figures.rectificationRate) },
    { title: '平均销号天数', key: 'days', width: 104, align: 'right', render: (_, row) => formatDays(row.figures.avgDaysToClose) },
  ];

  return (
    <Table<Row>
      data-testid="progress-table"
      size="small"
      columns={columns}
      dataSource={data}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      expandable={{ indentSize: 12 }}
      locale={{ emptyText: '暂无已提交的问题' }}
      summary={() =>
        report && data.length > 1 ? (
          <Table.Summary fixed="bottom">
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <Typography.Text strong>合计</Typography.Text>
              </Table.Summary.Cell>
              {COUNT_COLUMNS.map((c, i) => (
                <Table.Summary.Cell key={c.key} index={i + 1} align="right">
                  <Typography.Text strong type={c.key === 'overdue' && report.total.overdue > 0 ? 'danger' : undefined}>
                    {report.total[c.key]}
                  </Typography.Text>
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={COUNT_COLUMNS.length + 1} align="right">
                <Typography.Text strong>{formatRate(report.total.rectificationRate)}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={COUNT_COLUMNS.length + 2} align="right">
                <Typography.Text strong>{formatDays(report.total.avgDaysToClose)}</Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          </Table.Summary>
        ) : null
      }
    />
  );
}
