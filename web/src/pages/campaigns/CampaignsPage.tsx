import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function CampaignsPage() {
  return <Card title="专项行动">建设中</Card>;
}
