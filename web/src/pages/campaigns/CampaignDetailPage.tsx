import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function CampaignDetailPage() {
  return <Card title="专项行动详情">建设中</Card>;
}
