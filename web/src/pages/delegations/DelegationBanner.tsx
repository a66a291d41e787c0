import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';

/** On the inbox: the delegations the signed-in user holds today, so they know whose items are theirs to review and that they sign "代 X". */
export function DelegationBanner() {
  const { me } = useAuth();
  const { data = [] } = useQuery({ queryKey: ['delegations'], queryFn: () => ok(api.GET('/api/delegations')) });
  const held = data.filter((d) => d.status === 'active' && d.delegate.id === me?.id);
  if (held.length === 0) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="delegation-banner"
      title={held.map((d) => `您正代 ${d.delegator.name} 审核验收（至 ${d.endsOn}），待办中含其职责范围的问题，签字记为“代 ${d.delegator.name}”。`).join(' ')}
      action={<Link to="/delegations">查看委派</Link>}
    />
  );
}
