import { flattenProblemTypes, type ProblemTypeNode } from './presets';

/**
 * 行业排查 (sector investigation): a county department records problems in its
 * own sector for households in any village of the county. A department's
 * sector is known per campaign, because problem types are a campaign's own
 * taxonomy: `campaign.sectors` maps problem-type codes to the departments that
 * own them. A mapped inner node (a 沈丘 area, a 干汊河 area) covers every type
 * under it; several departments may share a type (霍邱's 三保障和饮水安全 is
 * education's, health's, housing's and water's).
 *
 * The mapping is given when the campaign is created (`sectors`), defaults to
 * the departments whose names match a type's 责任单位 (responsibleUnits), and
 * is replaced by whoever runs the campaign (PUT /api/campaigns/:id/sectors).
 */
export interface CampaignSector {
  problemTypeCode: string;
  departmentIds: string[];
}

/** The problem-type codes that are `departmentId`'s sector in this taxonomy: mapped types and everything under them. */
export function sectorTypeCodes(problemTypes: readonly ProblemTypeNode[], sectors: readonly CampaignSector[], departmentId: string): Set<string> {
  const mapped = new Set(sectors.filter((s) => s.departmentIds.includes(departmentId)).map((s) => s.problemTypeCode));
  return new Set(
    flattenProblemTypes(problemTypes)
      .filter((t) => t.codePath.some((code) => mapped.has(code)))
      .map((t) => t.code),
  );
}

// Unit names in plans and in the org tree differ in a county prefix, spaces and
// brackets (县住房和城乡建设局（住建局） vs 住建局): compare what is left.
function unitNames(name: string): string[] {
  const plain = name.normalize('NFKC').replace(/\s/g, '');
  const short = /\(([^)]+)\)$/.exec(plain)?.[1];
  const full = plain.replace(/\([^)]*\)$/, '');
  return [full, full.replace(/^县/, ''), ...(short ? [short] : [])].filter(Boolean);
}

/**
 * The default mapping: each type that names 责任单位 goes to the departments
 * whose full or short name is one of them. Types without a match stay
 * unmapped (干汊河's units are the township's own stations, not county departments).
 */
export function defaultSectors(problemTypes: readonly ProblemTypeNode[], departments: ReadonlyArray<{ id: string; name: string }>): CampaignSector[] {
  const out: CampaignSector[] = [];
  for (const t of flattenProblemTypes(problemTypes)) {
    const wanted = new Set((t.node.responsibleUnits ?? []).flatMap(unitNames));
    const departmentIds = departments.filter((d) => unitNames(d.name).some((n) => wanted.has(n))).map((d) => d.id);
    if (departmentIds.length) out.push({ problemTypeCode: t.code, departmentIds });
  }
  return out;
}
