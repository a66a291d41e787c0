import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { CreateOrgUnitDto } from './dto/create-org-unit.dto';
import { OrgUnit, OrgUnitKind } from './org-unit.entity';
import { ScopeService } from './scope.service';
import { SupervisionCoverage } from './supervision-coverage.entity';

/** Which parent kind each kind of unit hangs under. */
const PARENT_KIND: Record<Exclude<OrgUnitKind, 'county'>, OrgUnitKind> = {
  township: 'county',
  village: 'township',
  department: 'county',
  supervision_group: 'county',
};

const PARENT_KIND_LABEL: Record<OrgUnitKind, string> = {
  county: '县（区）',
  township: '乡镇',
  village: '行政村',
  department: '县直部门',
  supervision_group: '督查组',
};

@Injectable()
export class OrgsService {
  constructor(
    @InjectRepository(OrgUnit) private readonly orgUnits: Repository<OrgUnit>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly scope: ScopeService,
  ) {}

  /** Creates a county (the tenant). Used by provisioning and the demo seed, not by the HTTP API. */
  async createCounty(name: string, code: string, manager: EntityManager = this.dataSource.manager): Promise<OrgUnit> {
    const id = randomUUID();
    return manager.save(manager.create(OrgUnit, { id, countyId: id, parentId: null, kind: 'county', name, code, path: `/${id}/` }));
  }

  async create(countyId: string, dto: CreateOrgUnitDto, actor: AuthUser | null, manager: EntityManager = this.dataSource.manager): Promise<OrgUnit> {
    const parent = await manager.findOne(OrgUnit, { where: { id: dto.parentId, countyId } });
    if (!parent) throw DomainError.validation('parentId', 'parentId 所指的上级单位不存在');
    const expected = PARENT_KIND[dto.kind];
    if (parent.kind !== expected) {
      throw DomainError.validation('parentId', `parentId 必须是${PARENT_KIND_LABEL[expected]}`);
    }
    if (dto.code) {
      const clash = await manager.findOne(OrgUnit, { where: { countyId, code: dto.code } });
      if (clash) throw new DomainError('DUPLICATE', `区划代码 ${dto.code} 已被「${clash.name}」使用`, [{ field: 'code', message: 'code 已存在' }]);
    }
    const id = randomUUID();
    const unit = await manager.save(
      manager.create(OrgUnit, {
        id,
        countyId,
        parentId: parent.id,
        kind: dto.kind,
        name: dto.name.trim(),
        code: dto.code ?? null,
        path: `${parent.path}${id}/`,
      }),
    );
    if (actor) await this.audit.record(actor, 'org_unit.create', 'org_unit', id, { name: unit.name, kind: unit.kind }, manager);
    return unit;
  }

  list(countyId: string): Promise<OrgUnit[]> {
    return this.orgUnits.find({ where: { countyId }, order: { path: 'ASC' } });
  }

  async findInCountyOrThrow(countyId: string, id: string): Promise<OrgUnit> {
    const unit = await this.orgUnits.findOne({ where: { id, countyId } });
    if (!unit) throw DomainError.notFound('单位');
    return unit;
  }

  /** Replaces the townships a supervision group covers. */
  async setCoverage(actor: AuthUser, groupId: string, townshipIds: string[]): Promise<OrgUnit[]> {
    const countyId = actor.countyId;
    const group = await this.findInCountyOrThrow(countyId, groupId);
    if (group.kind !== 'supervision_group') throw DomainError.validation('id', '只有督查组可以设置督查范围');
    const unique = [...new Set(townshipIds)];
    const townships = unique.length ? await this.orgUnits.find({ where: { id: In(unique), countyId, kind: 'township' } }) : [];
    if (townships.length !== unique.length) {
      throw DomainError.validation('townshipIds', 'townshipIds 中含有不存在的乡镇');
    }
    await this.dataSource.transaction(async (tx) => {
      await tx.delete(SupervisionCoverage, { groupId });
      if (townships.length) {
        await tx.insert(
          SupervisionCoverage,
          townships.map((t) => ({ groupId, townshipId: t.id, countyId })),
        );
      }
      await this.audit.record(actor, 'org_unit.set_coverage', 'org_unit', groupId, { townshipIds: townships.map((t) => t.id) }, tx);
    });
    this.scope.forgetCoverage(groupId);
    return townships;
  }

  async coverage(countyId: string, groupId: string): Promise<OrgUnit[]> {
    await this.findInCountyOrThrow(countyId, groupId);
    return this.orgUnits
      .createQueryBuilder('o')
      .innerJoin(SupervisionCoverage, 'c', 'c.township_id = o.id')
      .where('c.group_id = :groupId AND c.county_id = :countyId', { groupId, countyId })
      .orderBy('o.path')
      .getMany();
  }
}
