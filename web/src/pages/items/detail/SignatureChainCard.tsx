import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Grid, Skeleton, Typography } from 'antd';
import { api, ok, type Schemas } from '../../../api/client';
import { SignatureTimeline } from '../../../components/SignatureTimeline';
import { messageOf } from '../../../lib/api-error';
import { itemStateLabel } from '../../../lib/labels';
import { chainVerdict, payloadLines } from './item-view';

type Item = Schemas['ItemResponse'];

/** The item's signature chain (签字链) and whether its hashes still hold. */
export function SignatureChainCard({ item }: { item: Item }) {
  const screens = Grid.useBreakpoint();
  const path = { params: { path: { id: item.id } } };
  const chain = useQuery({
    queryKey: ['signatures', item.id],
    queryFn: () => ok(api.GET('/api/items/{id}/signatures', path)),
  });
  const verify = useQuery({
    queryKey: ['signatures', item.id, 'verify'],
    queryFn: () => ok(api.GET('/api/items/{id}/signatures/verify', path)),
  });
  const verdict = verify.data ? chainVerdict(verify.data) : null;
  // Names for ids in signed payloads, where the item itself knows them.
  const names = { rectifier: item.rectifier?.name ?? null, toOrgUnit: item.responsibleOrgUnit?.name ?? null };

  return (
    <Card title="签字链" size={screens.md ? 'default' : 'small'}>
      {verify.error ? (
        <Alert type="warning" showIcon title={`签字链校验失败：${messageOf(verify.error)}`} style={{ marginBottom: 16 }} />
      ) : verdict && verify.data?.length === 0 ? null : verdict ? (
        <Alert
          data-testid="chain-verdict"
          type={verdict.ok ? 'success' : 'error'}
          icon={verdict.ok ? <CheckCircleFilled /> : <CloseCircleFilled />}
          showIcon
          title={verdict.text}
          style={{ marginBottom: 16 }}
        />
      ) : (
        <Skeleton.Input active block style={{ marginBottom: 16 }} />
      )}
      {chain.error ? (
        <Alert type="error" showIcon title={messageOf(chain.error)} />
      ) : !chain.data ? (
        <Skeleton active />
      ) : (
        <>
          <SignatureTimeline
            signatures={chain.data}
            stateLabel={itemStateLabel}
            brokenSeq={verify.data?.firstBroken?.seq ?? null}
            details={(s) =>
              payloadLines(s.payload, {
                // The payload keeps ids; only the current rectifier / target can be named here.
                rectifier: s.payload.rectifierId === item.rectifier?.id ? names.rectifier : null,
                toOrgUnit: s.payload.toOrgUnitId === item.responsibleOrgUnit?.id ? names.toOrgUnit : null,
              })
            }
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
            每次签字都写入不可修改的记录，用系统密钥（HMAC-SHA-256）签名并与上一次签字串联；问题记录保存链头与状态。任何改动、删除都会使校验失败。
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
