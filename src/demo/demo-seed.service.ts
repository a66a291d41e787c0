import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { OrgUnit } from '../orgs/org-unit.entity';
import { OrgsService } from '../orgs/orgs.service';
import { SupervisionCoverage } from '../orgs/supervision-coverage.entity';
import { UsersService } from '../users/users.service';
import { AttachmentsService } from '../attachments/attachments.service';
import { toAuthUser } from '../auth/auth.service';
import { CampaignsService } from '../campaigns/campaigns.service';
import { Clock } from '../common/clock';
import { ItemWriteService } from '../items/item-write.service';
import { DEMO_PASSWORD, DEMO_USERS as USERS } from './demo-accounts';
import { seedDemoLedger } from './demo-ledger';

export { DEMO_PASSWORD };

export const DEMO_COUNTY_CODE = '341522';

/** Ids of what the demo seed created, by the names the README uses. */
export interface DemoCounty {
  countyId: string;
  orgUnits: Record<string, OrgUnit>;
  userIds: Record<string, string>;
}

interface UnitSpec {
  key: string;
  kind: 'township' | 'village' | 'department' | 'supervision_group';
  name: string;
  code?: string;
  parent: string;
}

/**
 * 霍邱县 with three of its real townships (codes from 统计用区划代码), two
 * villages each, four county departments and one supervision group. Village
 * names outside 城关镇 are illustrative and carry no code.
 */
const UNITS: UnitSpec[] = [
  { key: 'chengguan', kind: 'township', name: '城关镇', code: '341522100000', parent: 'county' },
  { key: 'datong', kind: 'village', name: '大同村', parent: 'chengguan' },
  { key: 'qilimiao', kind: 'village', name: '七里庙村', parent: 'chengguan' },
  { key: 'hekou', kind: 'township', name: '河口镇', code: '341522101000', parent: 'county' },
  { key: 'hekou_a', kind: 'village', name: '河口镇东岗村', parent: 'hekou' },
  { key: 'hekou_b', kind: 'village', name: '河口镇西湖村', parent: 'hekou' },
  { key: 'zhouji', kind: 'township', name: '周集镇', code: '341522102000', parent: 'county' },
  { key: 'zhouji_a', kind: 'village', name: '周集镇南湾村', parent: 'zhouji' },
  { key: 'zhouji_b', kind: 'village', name: '周集镇北岗村', parent: 'zhouji' },
  { key: 'zhujian', kind: 'department', name: '县住房和城乡建设局（住建局）', parent: 'county' },
  { key: 'jiaoyu', kind: 'department', name: '县教育体育局（教育局）', parent: 'county' },
  { key: 'weijian', kind: 'department', name: '县卫生健康委员会（卫健委）', parent: 'county' },
  { key: 'shuili', kind: 'department', name: '县水利局', parent: 'county' },
  { key: 'ducha1', kind: 'supervision_group', name: '县巩固衔接第一督查组', parent: 'county' },
];

@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly orgs: OrgsService,
    private readonly users: UsersService,
    private readonly campaigns: CampaignsService,
    private readonly items: ItemWriteService,
    private readonly attachments: AttachmentsService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    const existing = await this.dataSource.manager.findOne(OrgUnit, { where: { kind: 'county', code: DEMO_COUNTY_CODE } });
    if (existing) return;
    const demo = await this.seed();
    await seedDemoLedger(demo, {
      campaigns: this.campaigns,
      items: this.items,
      attachments: this.attachments,
      clock: this.clock,
      user: async (username) => toAuthUser((await this.users.findActiveByUsername(username))!),
    });
    this.logger.log(`demo county 霍邱县 loaded with a running campaign; demo users log in with password ${DEMO_PASSWORD}`);
  }

  /** Loads the demo county in one transaction (all or nothing). */
  seed(): Promise<DemoCounty> {
    return this.dataSource.transaction(async (tx) => {
      const county = await this.orgs.createCounty('霍邱县', DEMO_COUNTY_CODE, tx);
      const orgUnits: Record<string, OrgUnit> = { county };
      for (const u of UNITS) {
        orgUnits[u.key] = await this.orgs.create(county.id, { kind: u.kind, name: u.name, code: u.code, parentId: orgUnits[u.parent].id }, null, tx);
      }
      await tx.insert(SupervisionCoverage, { groupId: orgUnits.ducha1.id, townshipId: orgUnits.chengguan.id, countyId: county.id });
      const userIds: Record<string, string> = {};
      for (const u of USERS) {
        const user = await this.users.create(
          county.id,
          { username: u.username, displayName: u.displayName, orgUnitId: orgUnits[u.unit].id, roles: u.roles, password: DEMO_PASSWORD, phone: u.phone },
          null,
          tx,
        );
        userIds[u.username] = user.user.id;
      }
      return { countyId: county.id, orgUnits, userIds };
    });
  }

  /** For tests that need a second tenant: a bare county with one admin. */
  async seedBareCounty(name: string, code: string, adminUsername: string, manager?: EntityManager): Promise<DemoCounty> {
    const run = async (tx: EntityManager): Promise<DemoCounty> => {
      const county = await this.orgs.createCounty(name, code, tx);
      const admin = await this.users.create(
        county.id,
        { username: adminUsername, displayName: `${name}管理员`, orgUnitId: county.id, roles: ['admin'], password: DEMO_PASSWORD },
        null,
        tx,
      );
      return { countyId: county.id, orgUnits: { county }, userIds: { [adminUsername]: admin.user.id } };
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }
}
