import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { App, Alert, Button, Card, Flex, Grid, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, download, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';
import { messageOf } from '../../lib/api-error';
import { CampaignPicker, useCurrentCampaignId } from '../../lib/campaign';
import {
  hasProblemType,
  itemFiltersToSearch,
  ledgerExportPath,
  parseItemFilters,
  problemTypeTree,
  toItemsQuery,
  type ItemFilters,
} from '../../lib/item-filters';
import { ImportLedgerModal } from './ledger/ImportLedgerModal';
import { LedgerCards } from './ledger/LedgerCards';
import { LedgerFilters, type RectifierOption } from './ledger/LedgerFilters';
import { LedgerTable } from './ledger/LedgerTable';
import type { LedgerItem } from './ledger/types';

const PAGE_SIZE = 50;

/** 问题台账: every problem of the campaign in the caller's scope, filtered, exported and imported as the county's ledger. */
export function ItemsPage() {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const { message } = App.useApp();
  const { me, hasRole } = useAuth();
  const [campaignId] = useCurrentCampaignId();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => parseItemFilters(search), [search]);
  const setFilters = (next: ItemFilters) => setSearch(itemFiltersToSearch(next), { replace: true });
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState<'ledger' | 'template' | null>(null);

  const campaign = useQuery({
    queryKey: ['campaign', campaignId],
    queryFn: () => ok(api.GET('/api/campaigns/{id}', { params: { path: { id: campaignId! } } })),
    enabled: !!campaignId,
    staleTime: 60_000,
  });
  const problemTypes = useMemo(() => problemTypeTree(campaign.data?.problemTypes), [campaign.data]);

  // Problem-type codes belong to one campaign: drop a code the newly picked campaign does not have.
  useEffect(() => {
    if (filters.problemType && campaign.data && !hasProblemType(campaign.data.problemTypes, filters.problemType)) {
      setFilters({ ...filters, problemType: undefined });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [campaign.data, filters.problemType]);

  const list = useInfiniteQuery({
    queryKey: ['items', { campaignId, ...filters }],
    queryFn: ({ pageParam }) => ok(api.GET('/api/items', { params: { query: toItemsQuery(campaignId!, filters, pageParam, PAGE_SIZE) } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !!campaignId,
  });
  const items = useMemo<LedgerItem[]>(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  // No directory of rectifiers outside one item: offer myself and the rectifiers of the problems loaded so far.
  const rectifiers = useMemo<RectifierOption[]>(() => {
    const seen = new Map<string, string>();
    if (me) seen.set(me.id, `我（${me.displayName}）`);
    for (const i of items) if (i.rectifier && !seen.has(i.rectifier.id)) seen.set(i.rectifier.id, i.rectifier.name);
    if (filters.rectifierId && !seen.has(filters.rectifierId)) seen.set(filters.rectifierId, '已选的整改责任人');
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [items, me, filters.rectifierId]);

  // The township leader and the county office import the ledgers townships send them, on the cadres' behalf.
  const canImport = hasRole('investigator', 'department_staff', 'township_leader', 'county_office');

  const save = async (kind: 'ledger' | 'template') => {
    if (!campaignId) return;
    setExporting(kind);
    try {
      if (kind === 'ledger') await download(ledgerExportPath(campaignId, filters), '问题台账.xlsx');
      else await download(`/api/campaigns/${encodeURIComponent(campaignId)}/ledger-template.xlsx`, '问题台账模板.xlsx');
    } catch (err) {
      void message.error(messageOf(err));
    } finally {
      setExporting(null);
    }
  };

  const bsize = phone ? 'large' : 'middle';
  const toolbar = (
    <Flex gap={8} wrap={!phone} style={phone ? { width: '100%' } : undefined}>
      <Button
        size={bsize}
        icon={<DownloadOutlined />}
        loading={exporting === 'ledger'}
        disabled={!campaignId}
        onClick={() => void save('ledger')}
        style={phone ? { flex: 1 } : undefined}
      >
        导出
      </Button>
      <Button
        size={bsize}
        icon={<FileExcelOutlined />}
        loading={exporting === 'template'}
        disabled={!campaignId}
        onClick={() => void save('template')}
        style={phone ? { flex: 1 } : undefined}
      >
        下载模板
      </Button>
      {canImport && (
        <Button
          size={bsize}
          type="primary"
          icon={<UploadOutlined />}
          disabled={!campaignId}
          onClick={() => setImporting(true)}
          style={phone ? { flex: 1 } : undefined}
        >
          导入
        </Button>
      )}
    </Flex>
  );

  const loadedAll = !list.hasNextPage;
  const countText = list.isSuccess ? (loadedAll ? `共 ${items.length} 个问题` : `已加载 ${items.length} 个问题`) : '';

  return (
    <Flex vertical gap={phone ? 8 : 16}>
      <Card title="问题台账" size={phone ? 'small' : 'default'} extra={phone ? null : toolbar} styles={{ body: { paddingBottom: phone ? 12 : 8 } }}>
        <Flex vertical gap={12}>
          <CampaignPicker style={phone ? { width: '100%' } : { width: 360 }} />
          {phone && toolbar}
          <LedgerFilters filters={filters} onChange={setFilters} problemTypes={problemTypes} rectifiers={rectifiers} phone={phone} />
        </Flex>
      </Card>

      {list.isError && <Alert type="error" showIcon title={messageOf(list.error)} />}

      <Card
        size={phone ? 'small' : 'default'}
        title={
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {countText || '问题'}
          </Typography.Text>
        }
        variant={phone ? 'borderless' : 'outlined'}
        styles={phone ? { body: { padding: 0 }, header: { paddingInline: 4, minHeight: 32, borderBottom: 0 } } : { body: { padding: 0 } }}
        style={phone ? { background: 'transparent', boxShadow: 'none' } : undefined}
      >
        {phone ? (
          <LedgerCards items={items} loading={list.isLoading} />
        ) : (
          <LedgerTable items={items} loading={list.isLoading || (list.isFetching && !list.isFetchingNextPage && !items.length)} />
        )}
        {list.hasNextPage && (
          <Flex justify="center" style={{ padding: 12 }}>
            <Button size={bsize} block={phone} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              加载更多
            </Button>
          </Flex>
        )}
      </Card>

      {campaignId && canImport && <ImportLedgerModal campaignId={campaignId} open={importing} onClose={() => setImporting(false)} phone={phone} />}
    </Flex>
  );
}
