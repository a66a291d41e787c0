import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Campaign } from './campaign.entity';
import { flattenProblemTypes } from './presets';

/**
 * Campaigns as item transitions read them (phase plan, current phase,
 * problem-type taxonomy), kept in memory by id and version. Every campaign
 * transition increments the version, so an entry is either exactly right or
 * replaced: item reads select only the campaign's version and take the rest
 * from here. `itemSeq` changes without a new version and is never read from
 * an entry (numbers come from `UPDATE … RETURNING`).
 */
@Injectable()
export class CampaignDefinitions {
  private readonly byId = new Map<string, Campaign>();
  private readonly typeNames = new WeakMap<Campaign, Map<string, string>>();

  /** The campaign `id` at `version`, read (on `manager`) only when not held or held at another version. */
  async get(manager: EntityManager, id: string, version: number): Promise<Campaign> {
    const held = this.byId.get(id);
    if (held && held.version === version) return held;
    const campaign = await manager.findOneByOrFail(Campaign, { id });
    if (!held || campaign.version >= held.version) this.byId.set(id, campaign);
    return campaign;
  }

  /** The name of a problem type of the campaign's taxonomy (null for a code it does not have). */
  problemTypeName(campaign: Campaign, code: string): string | null {
    let names = this.typeNames.get(campaign);
    if (!names) {
      names = new Map(flattenProblemTypes(campaign.problemTypes).map((t) => [t.code, t.name]));
      this.typeNames.set(campaign, names);
    }
    return names.get(code) ?? null;
  }
}
