import { Card } from 'antd';

/** Placeholder: this page is being built. */
export function StatsPage() {
  return <Card title="统计">建设中</Card>;
}
