import { ORG_UNIT_KIND_LABELS, OrgUnit, OrgUnitKind } from './org-unit.entity';

export interface OrgUnitResponse {
  id: string;
  countyId: string;
  parentId: string | null;
  kind: OrgUnitKind;
  kindLabel: string;
  code: string | null;
  name: string;
}

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
