import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Grid, Result, Skeleton, Space, Steps, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { ApiError, messageOf } from '../../lib/api-error';
import { useCurrentCampaignId } from '../../lib/campaign';
import type { ItemState } from '../../lib/labels';
import { countProblemTypes, formatPhaseWindow, PHASE_KIND_LABELS, phaseStatuses } from '../../lib/campaign-form';
import { CampaignSignatures } from './CampaignSignatures';
import { CampaignStateTag } from './CampaignStateTag';
import { IssueNoticeModal } from './IssueNoticeModal';
import { NoticeDrawer } from './NoticeDrawer';
import { NoticesList } from './NoticesList';
import { ProblemTypeTree } from './ProblemTypeTree';
import { useCampaign, type CampaignDetail } from './queries';
import { SignConfirmModal } from '../../components/signing/SignConfirmModal';
import { SIGNING_GRANT_HEADER } from '../../lib/signing-grant';
import { SummaryReports } from './SummaryReports';

const PRESET_LABELS: Record<string, string> = { huoqiu: '霍邱方案', shenqiu: '沈丘方案', zhanggong: '章贡方案', ganchahe: '干汊河方案' };

/** Items that keep a campaign out of its summary phase (workflows OPEN_STATES). */
const OPEN_ITEM_STATES: ItemState[] = ['draft', 'pending_review', 'returned', 'rectifying', 'pending_acceptance'];

type SignAction = 'START' | 'ADVANCE_PHASE' | 'ARCHIVE';

function actionLabel(action: SignAction, c: CampaignDetail): string {
  if (action === 'START') return `启动专项行动（进入「${c.phases[0]?.name ?? '第一阶段'}」）`;
  if (action === 'ADVANCE_PHASE') return `推进到下一阶段（${c.phases[c.phaseIndex + 1]?.name ?? ''}）`;
  return '归档';
}

const SHORT_LABELS: Record<SignAction, string> = { START: '启动', ADVANCE_PHASE: '推进到下一阶段', ARCHIVE: '归档' };

function PhasePlan({ campaign, phone }: { campaign: CampaignDetail; phone: boolean }) {
  const statuses = phaseStatuses(campaign.phases.length, campaign.phaseIndex, campaign.state);
  return (
    <Steps
      orientation={phone || campaign.phases.length > 5 ? 'vertical' : 'horizontal'}
      current={campaign.state === 'running' ? campaign.phaseIndex : -1}
      items={campaign.phases.map((p, i) => ({
        title: p.name,
        status: statuses[i],
        subTitle: (
          <>
            {i === campaign.phaseIndex && campaign.state === 'running' ? '当前阶段' : null}
            {p.overdue && (
              <Tag color="red" style={{ marginInlineStart: 6 }}>
                已超期
              </Tag>
            )}
          </>
        ),
        content: `${PHASE_KIND_LABELS[p.kind]} · ${formatPhaseWindow(p.startDate, p.endDate)}`,
      }))}
    />
  );
}

/** One campaign: its phase plan, signature chain, 督办通知书 and 总结报告; the county office signs its advances here. */
export function CampaignDetailPage() {
  const { id } = useParams<{ id: string }>();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { hasRole } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const { data: campaign, isLoading, error } = useCampaign(id);
  const [signing, setSigning] = useState<SignAction | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [shownNotice, setShownNotice] = useState<string>();
  const [, setCurrentCampaign] = useCurrentCampaignId();
  const navigate = useNavigate();

  if (isLoading) return <Skeleton active />;
  if (error || !campaign) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '找不到该专项行动' : messageOf(error)}
        extra={
          <Link to="/campaigns">
            <Button>返回专项行动</Button>
          </Link>
        }
      />
    );
  }

  const actions = (['START', 'ADVANCE_PHASE', 'ARCHIVE'] as const).filter((a) => campaign.availableActions.includes(a));
  const isCounty = hasRole('county_office');
  const next = campaign.phases[campaign.phaseIndex + 1];
  const blockedBeforeSummary = isCounty && campaign.state === 'running' && next?.kind === 'summary' && !actions.includes('ADVANCE_PHASE');
  const seesNotices = hasRole('county_office', 'township_leader', 'department_staff', 'inspector');

  const sign = async (action: SignAction, key: string, comment: string | undefined, grant: string | undefined) => {
    const path = action === 'ARCHIVE' ? '/api/campaigns/{id}/archive' : '/api/campaigns/{id}/advance';
    const header = { 'Idempotency-Key': key, ...(grant ? { [SIGNING_GRANT_HEADER]: grant } : {}) };
    await ok(api.POST(path, { params: { path: { id: campaign.id }, header }, body: comment ? { comment } : {} }));
    setSigning(null);
    message.success(action === 'ARCHIVE' ? '专项行动已归档' : action === 'START' ? '专项行动已启动' : '已推进到下一阶段');
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['campaign', campaign.id] }),
      queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
      queryClient.invalidateQueries({ queryKey: ['campaign-signatures', campaign.id] }),
      queryClient.invalidateQueries({ queryKey: ['summary-reports', campaign.id] }),
    ]);
  };

  const actionButtons = actions.length > 0 && (
    <Flex gap={8} vertical={phone} style={phone ? { width: '100%', marginTop: 12 } : undefined}>
      {actions.map((a) => (
        <Button
          key={a}
          type={a === 'ARCHIVE' ? 'default' : 'primary'}
          danger={a === 'ARCHIVE'}
          size={phone ? 'large' : 'middle'}
          block={phone}
          autoInsertSpace={false}
          onClick={() => setSigning(a)}
        >
          {SHORT_LABELS[a]}
        </Button>
      ))}
    </Flex>
  );

  const tab = params.get('tab') ?? 'plan';
  const tabs = [
    {
      key: 'plan',
      label: '阶段计划',
      children: (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <PhasePlan campaign={campaign} phone={phone} />
          <Typography.Text type="secondary">
            阶段日期为计划时间；尚未完成的阶段过了计划结束日期标为「已超期」。阶段由{campaign.township ? `${campaign.township.name}分管负责人` : '县巩固办'}
            签字推进。
          </Typography.Text>
          <Card size="small" title={`问题类型（${countProblemTypes(campaign.problemTypes)} 项）`}>
            <ProblemTypeTree types={campaign.problemTypes} height={phone ? 360 : 480} />
          </Card>
        </Space>
      ),
    },
    { key: 'signatures', label: '签字记录', children: <CampaignSignatures campaignId={campaign.id} /> },
    ...(seesNotices
      ? [
          {
            key: 'notices',
            label: '督办通知书',
            children: (
              <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                {isCounty && campaign.state === 'running' && (
                  <Button type="primary" block={phone} size={phone ? 'large' : 'middle'} onClick={() => setIssuing(true)}>
                    签发督办通知书
                  </Button>
                )}
                <NoticesList campaignId={campaign.id} />
              </Space>
            ),
          },
        ]
      : []),
    { key: 'summary', label: '总结报告', children: <SummaryReports campaign={campaign} /> },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Flex gap={8} align="flex-start" justify="space-between" wrap>
          <div style={{ minWidth: 0, flex: '1 1 320px' }}>
            <Link to="/campaigns">
              <ArrowLeftOutlined /> 专项行动
            </Link>
            <Typography.Title level={phone ? 4 : 3} style={{ marginBlock: 8 }}>
              {campaign.title} <CampaignStateTag state={campaign.state} label={campaign.stateLabel} />
            </Typography.Title>
          </div>
          {!phone && actionButtons}
        </Flex>
        <Descriptions
          size="small"
          column={phone ? 1 : 3}
          items={[
            { key: 'doc', label: '文号', children: campaign.docNumber },
            ...(campaign.township ? [{ key: 'township', label: '范围', children: `${campaign.township.name}（乡镇的专项行动）` }] : []),
            {
              key: 'phase',
              label: '当前阶段',
              children: campaign.currentPhase ? (
                <>
                  {`${campaign.currentPhase.name}（${formatPhaseWindow(campaign.currentPhase.startDate, campaign.currentPhase.endDate)}）`}
                  {campaign.currentPhase.overdue && (
                    <Tag color="red" style={{ marginInlineStart: 6 }}>
                      已超期
                    </Tag>
                  )}
                </>
              ) : campaign.state === 'draft' ? (
                '尚未启动'
              ) : (
                '已归档'
              ),
            },
            { key: 'preset', label: '方案', children: campaign.presetKey ? PRESET_LABELS[campaign.presetKey] : '自定义方案' },
            { key: 'created', label: '新建时间', children: dayjs(campaign.createdAt).format('YYYY-MM-DD HH:mm') },
          ]}
        />
        {blockedBeforeSummary && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            title={`进入「${next.name}」前，所有问题必须已销号、不予认定，或已转为长期整改`}
            description={
              <Button
                type="link"
                style={{ padding: 0 }}
                onClick={() => {
                  setCurrentCampaign(campaign.id);
                  navigate(`/items?state=${OPEN_ITEM_STATES.join(',')}`);
                }}
              >
                查看尚未办结的问题
              </Button>
            }
          />
        )}
        {campaign.state === 'archived' && <Alert type="info" showIcon style={{ marginTop: 12 }} title="专项行动已归档，只读" />}
        {phone && actionButtons}
      </Card>

      <Card styles={{ body: { paddingTop: 4, ...(phone ? { paddingInline: 12 } : {}) } }}>
        <Tabs
          tabBarGutter={phone ? 16 : undefined}
          activeKey={tabs.some((t) => t.key === tab) ? tab : 'plan'}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          items={tabs}
        />
      </Card>

      <SignConfirmModal
        open={signing !== null}
        title={signing ? actionLabel(signing, campaign) : ''}
        okText="签字确认"
        withComment
        description={
          signing === 'ARCHIVE' ? (
            <Typography.Paragraph>归档后专项行动及其问题只读，不能再登记、整改或验收。</Typography.Paragraph>
          ) : signing === 'ADVANCE_PHASE' && campaign.currentPhase ? (
            <Typography.Paragraph>
              从「{campaign.currentPhase.name}」推进到「{next?.name}」。
            </Typography.Paragraph>
          ) : null
        }
        onCancel={() => setSigning(null)}
        onSign={(key, comment, grant) => sign(signing!, key, comment, grant)}
      />
      {isCounty && (
        <IssueNoticeModal
          campaignId={campaign.id}
          open={issuing}
          onClose={() => setIssuing(false)}
          onIssued={(n) => {
            setIssuing(false);
            setShownNotice(n.id);
          }}
        />
      )}
      <NoticeDrawer id={shownNotice} onClose={() => setShownNotice(undefined)} />
    </Space>
  );
}
