import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Grid, List, Progress, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';
import { useCampaigns } from '../../lib/campaign';
import { formatPhaseWindow } from '../../lib/campaign-form';
import { CampaignStateTag } from './CampaignStateTag';
import { CreateCampaignDrawer } from './CreateCampaignDrawer';
import { NoticesList } from './NoticesList';
import type { Campaign } from './queries';

function phaseText(c: Campaign): string {
  if (c.currentPhase) return c.currentPhase.name;
  return c.state === 'draft' ? '尚未启动' : '—';
}

/** How far along the plan: phases done out of all. */
function PhaseProgress({ c }: { c: Campaign }) {
  const total = c.phases.length;
  const done = c.state === 'archived' ? total : Math.max(0, c.phaseIndex + 1);
  return (
    <Progress
      percent={Math.round((done / Math.max(total, 1)) * 100)}
      steps={total}
      size={[18, 8]}
      format={() => `${done}/${total}`}
      aria-label={`已进行 ${done}/${total} 个阶段`}
    />
  );
}

function CampaignList() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const navigate = useNavigate();
  // The shared list hook types its rows loosely; the API returns full CampaignResponse rows.
  const { data, isLoading, error } = useCampaigns();
  const campaigns = (data ?? []) as unknown as Campaign[];
  if (error) return <Alert type="error" showIcon title={messageOf(error)} />;
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无专项行动" />;
  if (phone) {
    return (
      <List<Campaign>
        loading={isLoading}
        dataSource={campaigns}
        locale={{ emptyText: empty }}
        renderItem={(c) => (
          <List.Item data-testid={`campaign-row-${c.id}`} onClick={() => navigate(`/campaigns/${c.id}`)} style={{ cursor: 'pointer' }}>
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <Link to={`/campaigns/${c.id}`}>{c.title}</Link>
                  <CampaignStateTag state={c.state} label={c.stateLabel} />
                  {c.township && <Tag color="blue">{c.township.name}</Tag>}
                </Space>
              }
              description={
                <>
                  <div>{c.docNumber}</div>
                  <div>
                    当前阶段：{phaseText(c)}
                    {c.currentPhase?.overdue && (
                      <Tag color="red" style={{ marginInlineStart: 6 }}>
                        已超期
                      </Tag>
                    )}
                  </div>
                  <PhaseProgress c={c} />
                </>
              }
            />
          </List.Item>
        )}
      />
    );
  }
  return (
    <Table<Campaign>
      rowKey="id"
      loading={isLoading}
      dataSource={campaigns}
      locale={{ emptyText: empty }}
      pagination={false}
      scroll={{ x: true }}
      onRow={(c) => ({ 'data-testid': `campaign-row-${c.id}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: '专项行动',
          dataIndex: 'title',
          render: (t: string, c) => (
            <Space size={4} wrap>
              <Link to={`/campaigns/${c.id}`}>{t}</Link>
              {c.township && <Tag color="blue">{c.township.name}</Tag>}
            </Space>
          ),
        },
        { title: '文号', dataIndex: 'docNumber' },
        { title: '状态', dataIndex: 'state', width: 90, render: (_: string, c) => <CampaignStateTag state={c.state} label={c.stateLabel} /> },
        {
          title: '当前阶段',
          key: 'phase',
          render: (_: unknown, c) => (
            <div>
              <div>
                {phaseText(c)}
                {c.currentPhase?.overdue && (
                  <Tag color="red" style={{ marginInlineStart: 6 }}>
                    已超期
                  </Tag>
                )}
              </div>
              {c.currentPhase && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatPhaseWindow(c.currentPhase.startDate, c.currentPhase.endDate)}
                </Typography.Text>
              )}
            </div>
          ),
        },
        { title: '进度', key: 'progress', width: 140, render: (_: unknown, c) => <PhaseProgress c={c} /> },
      ]}
    />
  );
}

/** 专项行动 of the county, and the 督办通知书 the caller may see. */
export function CampaignsPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { hasRole, me } = useAuth();
  const [creating, setCreating] = useState(false);
  const [params, setParams] = useSearchParams();
  // The county office creates county campaigns; a township leader one of their own township (干汊河's plan).
  const mayCreate = hasRole('county_office', 'township_leader');
  const township = !hasRole('county_office') && me?.orgUnit.kind === 'township' ? me.orgUnit.name : undefined;
  const seesNotices = hasRole('county_office', 'township_leader', 'department_staff', 'inspector');
  const tab = params.get('tab') === 'notices' && seesNotices ? 'notices' : 'campaigns';

  return (
    <Card
      title="专项行动"
      extra={
        mayCreate &&
        !phone && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建专项行动
          </Button>
        )
      }
    >
      {mayCreate && phone && (
        <Button type="primary" icon={<PlusOutlined />} size="large" block onClick={() => setCreating(true)} style={{ marginBottom: 12 }}>
          新建专项行动
        </Button>
      )}
      {seesNotices ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'campaigns' ? {} : { tab: k }, { replace: true })}
          items={[
            { key: 'campaigns', label: '专项行动', children: <CampaignList /> },
            { key: 'notices', label: '督办通知书', children: <NoticesList /> },
          ]}
        />
      ) : (
        <CampaignList />
      )}
      {mayCreate && <CreateCampaignDrawer open={creating} onClose={() => setCreating(false)} township={township} />}
    </Card>
  );
}
