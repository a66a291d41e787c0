export type OrgUnitKind = 'county' | 'township' | 'village' | 'department' | 'supervision_group';

export interface FlatOrgUnit {
  id: string;
  parentId: string | null;
  kind: OrgUnitKind;
  name: string;
  code?: string | null;
}

export interface OrgTreeNode<T extends FlatOrgUnit = FlatOrgUnit> {
  key: string;
  unit: T;
  children: OrgTreeNode<T>[];
}

/** Under the county: townships first, then departments, then supervision groups, as the county's own lists read. */
const KIND_ORDER: Record<OrgUnitKind, number> = { county: 0, township: 1, village: 2, department: 3, supervision_group: 4 };

/** Kind first; then by 区划代码 where both have one (units without a code after those with); else list order. */
export function compareOrgUnits(a: FlatOrgUnit, b: FlatOrgUnit): number {
  const byKind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (byKind) return byKind;
  if (a.code && b.code) return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  if (a.code) return -1;
  if (b.code) return 1;
  return 0;
}

/**
 * The flat org-unit list as a tree by `parentId`. Units whose parent is not in
 * the list become roots (a scoped list starts below the county). Siblings are
 * ordered by kind and 区划代码, otherwise they keep the list's order.
 */
export function buildOrgTree<T extends FlatOrgUnit>(units: readonly T[]): OrgTreeNode<T>[] {
  const nodes = new Map<string, OrgTreeNode<T>>();
  for (const u of units) nodes.set(u.id, { key: u.id, unit: u, children: [] });
  const roots: OrgTreeNode<T>[] = [];
  for (const u of units) {
    const node = nodes.get(u.id)!;
    const parent = u.parentId ? nodes.get(u.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: OrgTreeNode<T>[]) => {
    list.sort((a, b) => compareOrgUnits(a.unit, b.unit));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Which kind of unit each kind hangs under (src/orgs/orgs.service.ts). */
export const PARENT_KIND: Record<Exclude<OrgUnitKind, 'county'>, OrgUnitKind> = {
  township: 'county',
  village: 'township',
  department: 'county',
  supervision_group: 'county',
};

/** The units a new unit of `kind` may be created under. */
export function parentCandidates<T extends FlatOrgUnit>(units: readonly T[], kind: Exclude<OrgUnitKind, 'county'>): T[] {
  return units.filter((u) => u.kind === PARENT_KIND[kind]);
}

/** `城关镇 / 大同村`: a unit's name with its ancestors below the county. */
export function orgUnitPath<T extends FlatOrgUnit>(units: readonly T[], id: string): string {
  const byId = new Map(units.map((u) => [u.id, u]));
  const names: string[] = [];
  const seen = new Set<string>();
  for (let u = byId.get(id); u && !seen.has(u.id); u = u.parentId ? byId.get(u.parentId) : undefined) {
    seen.add(u.id);
    if (u.kind !== 'county') names.unshift(u.name);
  }
  return names.join(' / ');
}
