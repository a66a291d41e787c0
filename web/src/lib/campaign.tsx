import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { api, ok } from '../api/client';

export interface CampaignSummary {
  id: string;
  title: string;
  docNumber: string;
  state: string;
  stateLabel: string;
  createdAt: string;
}

const KEY = 'qingling.campaignId';
const listeners = new Set<(id: string) => void>();

/** The campaigns the user can see (newest first). */
export function useCampaigns() {
  return useQuery({
    queryKey: ['campaigns'],
    queryFn: async () => (await ok(api.GET('/api/campaigns'))) as unknown as CampaignSummary[],
    staleTime: 60_000,
  });
}

/**
 * The campaign the pages work in: the one the user picked last (kept in
 * localStorage, shared by every page), else the newest running one.
 */
export function useCurrentCampaignId(): [string | undefined, (id: string) => void] {
  const { data } = useCampaigns();
  const [picked, setPicked] = useState<string | null>(() => localStorage.getItem(KEY));
  useEffect(() => {
    const fn = (id: string) => setPicked(id);
    listeners.add(fn);
    return () => void listeners.delete(fn);
  }, []);
  const list = data ?? [];
  const valid = picked && list.some((c) => c.id === picked) ? picked : undefined;
  const fallback = list.find((c) => c.state === 'running') ?? list[0];
  const set = (id: string) => {
    localStorage.setItem(KEY, id);
    for (const fn of listeners) fn(id);
  };
  return [valid ?? fallback?.id, set];
}

/** A compact picker for the current campaign, for page headers. */
export function CampaignPicker({ style }: { style?: React.CSSProperties }) {
  const { data = [], isLoading } = useCampaigns();
  const [id, setId] = useCurrentCampaignId();
  return (
    <Select
      aria-label="专项行动"
      loading={isLoading}
      value={id}
      onChange={setId}
      style={{ minWidth: 220, maxWidth: '100%', ...style }}
      placeholder="选择专项行动"
      options={data.map((c) => ({ value: c.id, label: `${c.title}${c.state === 'archived' ? '（已归档）' : ''}` }))}
    />
  );
}
