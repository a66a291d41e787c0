import type { Scope } from '../orgs/scope.service';
import type { Campaign } from './campaign.entity';

/**
 * County campaigns are seen by every user of the county; a township's own
 * campaign by the county-level units (county roles, departments) and by the
 * users inside that township (and inspectors covering it). Elsewhere: 404.
 */
export function isCampaignVisible(c: Pick<Campaign, 'countyId' | 'townshipId'>, scope: Scope): boolean {
  if (c.countyId !== scope.countyId) return false;
  if (c.townshipId === null || scope.wholeCounty || scope.departmentIds.length > 0) return true;
  const township = `/${c.countyId}/${c.townshipId}/`;
  return scope.subtreePaths.some((p) => p.startsWith(township) || township.startsWith(p));
}
