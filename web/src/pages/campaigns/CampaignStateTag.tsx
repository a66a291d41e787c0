import { Tag } from 'antd';

const COLORS: Record<string, string> = { draft: 'default', running: 'processing', archived: 'success' };

export function CampaignStateTag({ state, label }: { state: string; label: string }) {
  return <Tag color={COLORS[state] ?? 'default'}>{label}</Tag>;
}
