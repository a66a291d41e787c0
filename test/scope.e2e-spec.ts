import { createTestApp, TestApp } from './app';

describe('scope: which org units each role can see', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function visible(username: string): Promise<{ names: string[]; wholeCounty: boolean; departmentIds: string[] }> {
    const res = await t.http
      .get('/api/auth/scope')
      .set('authorization', `Bearer ${await t.token(username)}`)
      .expect(200);
    return { names: res.body.orgUnits.map((o: { name: string }) => o.name).sort(), wholeCounty: res.body.wholeCounty, departmentIds: res.body.departmentIds };
  }

  it('village investigator: own village only', async () => {
    expect(await visible('cadre')).toEqual({ names: ['大同村'], wholeCounty: false, departmentIds: [] });
    expect((await visible('cadre3')).names).toEqual(['河口镇东岗村']);
  });

  it('township leader: the township and its villages', async () => {
    expect((await visible('leader')).names).toEqual(['七里庙村', '城关镇', '大同村'].sort());
    expect((await visible('leader2')).names).toEqual(['河口镇', '河口镇东岗村', '河口镇西湖村'].sort());
  });

  it.each(['county', 'admin', 'auditor'])('%s: the whole county', async (username) => {
    const v = await visible(username);
    expect(v.wholeCounty).toBe(true);
    expect(v.names).toHaveLength(15);
  });

  it('department staff: its department, with items assigned to it', async () => {
    const v = await visible('dept');
    expect(v.names).toEqual(['县住房和城乡建设局（住建局）']);
    expect(v.departmentIds).toEqual([t.demo.orgUnits.zhujian.id]);
  });

  it('inspector: its group and the townships the group covers', async () => {
    expect((await visible('inspector')).names).toEqual(['七里庙村', '城关镇', '县巩固衔接第一督查组', '大同村'].sort());
    const admin = `Bearer ${await t.token('admin')}`;
    await t.http
      .put(`/api/admin/org-units/${t.demo.orgUnits.ducha1.id}/coverage`)
      .set('authorization', admin)
      .send({ townshipIds: [t.demo.orgUnits.hekou.id] })
      .expect(200);
    expect((await visible('inspector')).names).toEqual(['河口镇', '河口镇东岗村', '河口镇西湖村', '县巩固衔接第一督查组'].sort());
  });

  it('never sees another county', async () => {
    const { DemoSeedService } = await import('../src/demo/demo-seed.service');
    const other = await t.app.get(DemoSeedService).seedBareCounty('沈丘县', '411624', 'sq-admin');
    const v = await visible('county');
    expect(v.names).not.toContain('沈丘县');
    const res = await t.http
      .get('/api/admin/org-units')
      .set('authorization', `Bearer ${await t.token('admin')}`)
      .expect(200);
    expect(res.body.map((o: { id: string }) => o.id)).not.toContain(other.countyId);
  });
});
