import { useQuery } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../../api/client';

export type Campaign = Schemas['CampaignResponse'];
export type CampaignDetail = Schemas['CampaignWithActionsResponse'];
export type CampaignPreset = Schemas['CampaignPresetResponse'];
export type ProblemType = Schemas['ProblemTypeResponse'];
export type Signature = Schemas['SignatureResponse'];
export type Notice = Schemas['NoticeResponse'];
export type SummaryOverview = Schemas['SummaryOverviewResponse'];
export type SummaryReport = Schemas['SummaryReportResponse'];

export function useCampaign(id: string | undefined) {
  return useQuery({
    queryKey: ['campaign', id],
    queryFn: () => ok(api.GET('/api/campaigns/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function useCampaignSignatures(id: string | undefined) {
  return useQuery({
    queryKey: ['campaign-signatures', id],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/signatures', { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function usePresets(enabled = true) {
  return useQuery({
    queryKey: ['campaign-presets'],
    queryFn: () => ok(api.GET('/api/campaign-presets')),
    staleTime: Infinity,
    enabled,
  });
}

export function useNotices(enabled = true) {
  return useQuery({ queryKey: ['notices'], queryFn: () => ok(api.GET('/api/notices')), enabled });
}

export function useNotice(id: string | undefined) {
  return useQuery({
    queryKey: ['notice', id],
    queryFn: () => ok(api.GET('/api/notices/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function useSummaryReports(campaignId: string | undefined) {
  return useQuery({
    queryKey: ['summary-reports', campaignId],
    queryFn: () => ok(api.GET('/api/campaigns/{id}/summary-reports', { params: { path: { id: campaignId! } } })),
    enabled: !!campaignId,
  });
}

export function useScope(enabled = true) {
  return useQuery({ queryKey: ['scope'], queryFn: () => ok(api.GET('/api/auth/scope')), staleTime: 5 * 60_000, enabled });
}
