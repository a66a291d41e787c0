import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Breadcrumb, Button, Card, Col, Empty, Flex, Grid, Row, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { api, download, ok } from '../../api/client';
import { useScope } from '../../components/OrgUnitTreeSelect';
import { messageOf } from '../../lib/api-error';
import { CampaignPicker, useCurrentCampaignId } from '../../lib/campaign';
import { exportPath } from '../../lib/stats';
import { AccountabilityTab } from './AccountabilityTab';
import { ProgressTable } from './ProgressTable';
import { RankingCard } from './RankingCard';
import { SeriesCard } from './SeriesCard';
import { SpotCheckTab } from './SpotCheckTab';
import { TotalsCards } from './TotalsCards';

/**
 * 统计: the campaign's progress in the caller's scope — headline figures, the
 * table per township (drilling down to villages, kept in the URL as
 * `townshipId`), the 日/周/半月/月 series and the township ranking; the
 * 抽查复核 tab (draws, their worklist and coverage) and the 签字责任 tab
 * (谁签字谁负责), kept in the URL as `tab`.
 */
export function StatsPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { message } = App.useApp();
  const [campaignId] = useCurrentCampaignId();
  const [search, setSearch] = useSearchParams();
  const townshipId = search.get('townshipId') ?? undefined;
  const tab = search.get('tab') ?? 'progress';
  const scope = useScope();
  const townshipName = scope.data?.orgUnits.find((u) => u.id === townshipId)?.name ?? '乡镇';

  const stats = useQuery({
    queryKey: ['stats', campaignId, 'progress', townshipId ?? null],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/stats', { params: { path: { id: campaignId! }, query: townshipId ? { townshipId } : {} } })),
    enabled: !!campaignId,
  });

  const drill = (t?: { id: string }) => setSearch(t ? { townshipId: t.id } : {}, { replace: false });
  const switchTab = (key: string) => setSearch(key === 'progress' ? {} : { tab: key }, { replace: false });

  const save = async (path: string, name: string) => {
    try {
      await download(path, name);
    } catch (err) {
      void message.error(messageOf(err));
    }
  };

  const size = phone ? 'small' : 'default';

  return (
    <Flex vertical gap={phone ? 8 : 16}>
      <Card size={size}>
        <Flex wrap gap={12} align="center" justify="space-between">
          <Typography.Title level={4} style={{ margin: 0 }}>
            统计
          </Typography.Title>
          <CampaignPicker style={phone ? { width: '100%' } : { width: 360 }} />
        </Flex>
      </Card>

      {!campaignId ? (
        <Card>
          <Empty description="没有可统计的专项行动" />
        </Card>
      ) : (
        <Tabs
          activeKey={tab}
          onChange={switchTab}
          items={[
            {
              key: 'progress',
              label: '进度统计',
              children: (
                <Flex vertical gap={phone ? 8 : 16}>
                  <TotalsCards total={stats.data?.total} loading={stats.isLoading} phone={phone} />

                  <Card
                    size={size}
                    title={
                      <Breadcrumb
                        items={[
                          townshipId ? { title: <a onClick={() => drill()}>进度统计</a> } : { title: '进度统计' },
                          ...(townshipId ? [{ title: `${townshipName} · 各村` }] : []),
                        ]}
                      />
                    }
                    extra={
                      <Button
                        icon={<DownloadOutlined />}
                        size={phone ? 'small' : 'middle'}
                        onClick={() => void save(exportPath(`/api/campaigns/${encodeURIComponent(campaignId)}/stats.xlsx`, { townshipId }), '进度统计.xlsx')}
                      >
                        导出
                      </Button>
                    }
                    styles={{ body: { padding: phone ? 8 : 16 } }}
                  >
                    {stats.isError ? (
                      <Alert type="error" showIcon title={messageOf(stats.error)} />
                    ) : (
                      <Flex vertical gap={8}>
                        <ProgressTable report={stats.data} loading={stats.isLoading} onDrill={(t) => drill(t)} phone={phone} />
                        {stats.data && (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            截至 {stats.data.asOf}，由签字记录计算。
                            {stats.data.groupBy === 'township' ? '点击乡镇名称查看各村；点击行首的 + 展开各问题类型。' : '点击行首的 + 展开各问题类型。'}
                            整改率 = 已销号 ÷ 已确认。
                          </Typography.Text>
                        )}
                      </Flex>
                    )}
                  </Card>

                  <Row gutter={[phone ? 8 : 16, phone ? 8 : 16]}>
                    <Col xs={24} xxl={14}>
                      <SeriesCard campaignId={campaignId} townshipId={townshipId} phone={phone} onExport={(p, n) => void save(p, n)} />
                    </Col>
                    <Col xs={24} xxl={10}>
                      <RankingCard campaignId={campaignId} phone={phone} onExport={(p, n) => void save(p, n)} />
                    </Col>
                  </Row>
                </Flex>
              ),
            },
            { key: 'spot-checks', label: '抽查复核', children: <SpotCheckTab campaignId={campaignId} phone={phone} onExport={(p, n) => void save(p, n)} /> },
            {
              key: 'accountability',
              label: '签字责任',
              children: <AccountabilityTab campaignId={campaignId} phone={phone} onExport={(p, n) => void save(p, n)} />,
            },
          ]}
        />
      )}
    </Flex>
  );
}
