import { ORG_UNIT_KIND_LABELS, OrgUnit } from './org-unit.entity';
import { OrgUnitRefResponse, OrgUnitResponse } from './org-unit.response';

export function mapOrgUnit(o: OrgUnit): OrgUnitResponse {
  return {
    id: o.id,
    countyId: o.countyId,
    parentId: o.parentId,
    kind: o.kind,
    kindLabel: ORG_UNIT_KIND_LABELS[o.kind],
    code: o.code,
    name: o.name,
  };
}

export function mapOrgUnitRef(o: OrgUnit): OrgUnitRefResponse {
  return { id: o.id, name: o.name, kind: o.kind };
}
