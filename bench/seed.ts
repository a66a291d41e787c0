/**
 * A province for the benchmarks, loaded straight through SQL:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/qingling_province npm run bench:seed -- --items 1000000 [--recreate]
 *
 * 10 counties × 30 townships × 15 villages (12-digit division codes), four
 * departments and three supervision groups per county, users for every role,
 * one 90-day campaign per county in its rectification phase, and `--items`
 * problem items spread over the counties and villages in every state: drafts,
 * pending review, returned, dismissed, rectifying (on time, overdue, with an
 * extension requested), pending acceptance, closed (spot-checked or not),
 * reopened, rejected and redone, returned and resubmitted. Each item's
 * signatures form a valid keyed chain (the project's signatureHash with the
 * chain key of the configuration: CHAIN_KEY / CHAIN_KEY_ID, the service's
 * development key without them), the item row carries the chain head, the
 * resident ID number is encrypted and indexed with the configured keys
 * (ID_ENCRYPTION_KEY / ID_ENCRYPTION_KEY_ID / ID_INDEX_KEY), and every
 * rectification cites an attachment row (metadata only, no file).
 *
 * How the rows are made: every scenario is played once through the real
 * machine (applyEvent) with the engine's own lifecycle code (projections,
 * signer role, signed payload), with placeholder ids and dates; each item is
 * that template with its ids, names and dates put in, and its signatures are
 * then hashed link by link with signatureHash, so what `npm run verify`
 * recomputes is what was written. The rows go in with `COPY … FROM STDIN`
 * through psql (PostgreSQL's own client: the project has no COPY helper for
 * node-postgres), one psql per table, streamed with backpressure.
 *
 * The database must be migrated and hold no items: the seed migrates it with
 * the real migrations first; `--recreate` drops and creates it (scratch
 * databases only). Every seeded user logs in with BENCH_PASSWORD
 * (`Bench@2026`); usernames are printed and written to bench/out/seed.json.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  applyEvent,
  CAMPAIGN_WORKFLOW,
  CLOSED_STATE,
  campaignStateName,
  createCampaignSnapshot,
  createProblemItemSnapshot,
  PROBLEM_ITEM_WORKFLOW,
  resolveMachine,
  type CampaignEvent,
  type CampaignPhase,
  type ProblemItemEvent,
  type ProblemItemSnapshot,
  type WorkflowActor,
} from '../workflows';
import type { AuthUser } from '../src/auth/auth-user';
import { PasswordHasher } from '../src/auth/password-hasher';
import type { Role } from '../src/auth/roles';
import { CAMPAIGN_LIFECYCLE } from '../src/campaigns/campaign-lifecycle';
import { HUOQIU_PRESET, flattenProblemTypes } from '../src/campaigns/presets';
import { chinaDate } from '../src/common/clock';
import { loadResidentIdKeys, type ResidentIdKeys } from '../src/common/crypto/resident-id-keys';
import { residentIdCheckChar } from '../src/common/validation/resident-id';
import { loadConfig } from '../src/config/app-config';
import { migrateCommand } from '../src/database/migrate';
import { ITEM_LIFECYCLE } from '../src/items/item-lifecycle';
import type { OrgUnitKind } from '../src/orgs/org-unit.entity';
import { actorOf } from '../src/orgs/scope.service';
import { loadChainKeys, type ChainKeys } from '../src/signatures/chain-keys';
import type { Signature } from '../src/signatures/signature.entity';
import { signatureHash, type HashedFields } from '../src/signatures/signature-hash';
import { toStored } from '../src/workflow-engine/snapshots';
import {
  addTallies,
  historyTallies,
  payloadDate,
  sortedTallies,
  TALLY_ROWS_PER_UPSERT,
  tallyOwner,
  tallyUpsertSql,
  toStoredStatus,
  type TallyRow,
} from '../src/reports/report-tally';
import type { HistoryEvent } from '../src/reports/progress';
import { Params } from '../src/database/entity-sql';

export const BENCH_PASSWORD = 'Bench@2026';
const OUT_DIR = join(__dirname, '..', '..', 'bench', 'out');
const DAY = 86_400_000;
/** The campaign runs for 90 days up to now; items are found from day 5 on. */
const CAMPAIGN_DAYS = 90;

// ---------------------------------------------------------------- arguments

export interface SeedOptions {
  items: number;
  counties: number;
  townships: number;
  villages: number;
  recreate: boolean;
  /** Extra items pending review in the first village of county 1's last township (out of the way of the read benchmarks), for the sign-off benchmark to confirm. */
  pool: number;
}

function parseArgs(argv: readonly string[]): SeedOptions {
  const value = (name: string, fallback: number) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const o = {
    items: value('items', 10_000),
    counties: value('counties', 10),
    townships: value('townships', 30),
    villages: value('villages', 15),
    pool: value('pool', 0),
    recreate: argv.includes('--recreate'),
  };
  for (const [k, v] of Object.entries(o))
    if (typeof v === 'number' && !(Number.isInteger(v) && v >= (k === 'pool' ? 0 : 1))) throw new Error(`--${k} must be a positive integer`);
  return o;
}

// ------------------------------------------------------------- COPY via psql

/** `COPY … FROM STDIN` text format: backslash, tab, newline and carriage return escaped, NULL as \N. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** One table's COPY through its own psql process; rows are written with backpressure. */
class CopyStream {
  private readonly child: ChildProcess;
  private readonly done: Promise<void>;
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  constructor(
    url: string,
    readonly table: string,
    readonly columns: readonly string[],
  ) {
    this.child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `COPY ${table} (${columns.join(', ')}) FROM STDIN`], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    this.child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    this.done = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`COPY ${table}: psql exited with ${code}: ${stderr.trim()}`))));
    });
    // Keep the process alive on a broken pipe; the exit code reports the failure.
    this.child.stdin!.on('error', () => undefined);
  }

  async write(values: readonly unknown[]): Promise<void> {
    const line = values.map(copyValue).join('\t') + '\n';
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.child.stdin!.write(chunk)) await new Promise<void>((resolve) => this.child.stdin!.once('drain', resolve));
  }

  async end(): Promise<void> {
    await this.flush();
    this.child.stdin!.end();
    await this.done;
  }
}

// -------------------------------------------------------------- the province

interface Unit {
  id: string;
  countyId: string;
  parentId: string | null;
  kind: OrgUnitKind;
  code: string | null;
  name: string;
  path: string;
}

interface SeedUser {
  auth: AuthUser;
  actor: WorkflowActor;
  phone: string;
}

interface Township {
  unit: Unit;
  leader: SeedUser;
  inspector: SeedUser;
  villages: Array<{ unit: Unit; cadre: SeedUser; rectifier: SeedUser }>;
}

interface County {
  unit: Unit;
  office: SeedUser[];
  others: SeedUser[];
  departments: Array<{ unit: Unit; staff: SeedUser }>;
  groups: Array<{ unit: Unit; inspector: SeedUser; townshipIds: string[] }>;
  townships: Township[];
  campaignId: string;
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志文辉鹏飞宇浩然';
const COUNTY_NAMES = [
  '临泉县',
  '太和县',
  '阜南县',
  '颍上县',
  '寿县',
  '霍邱县',
  '舒城县',
  '金寨县',
  '霍山县',
  '利辛县',
  '涡阳县',
  '蒙城县',
  '萧县',
  '砀山县',
  '灵璧县',
  '泗县',
];
const DEPARTMENTS = ['县住房和城乡建设局（住建局）', '县教育体育局（教育局）', '县卫生健康委员会（卫健委）', '县水利局'];
const PLACE = '东西南北前后上下新老大小红石桥河湾岗庙集塘坝庄圩店园林山沟';

function personName(n: number): string {
  return SURNAMES[n % SURNAMES.length] + GIVEN[(n * 7) % GIVEN.length] + (n % 3 === 0 ? '' : GIVEN[(n * 13 + 5) % GIVEN.length]);
}

function placeName(n: number, suffix: string): string {
  return PLACE[n % PLACE.length] + PLACE[(n * 7 + 3) % PLACE.length] + suffix;
}

function buildProvince(o: SeedOptions): County[] {
  let serial = 0;
  const user = (unit: Unit, username: string, displayName: string, roles: Role[], covered: string[] = []): SeedUser => {
    const auth: AuthUser = {
      id: randomUUID(),
      countyId: unit.countyId,
      username,
      displayName,
      roles,
      orgUnitId: unit.id,
      orgUnitKind: unit.kind,
      orgUnitName: unit.name,
      orgUnitPath: unit.path,
      credential: { changedAt: new Date(), mustChange: false },
    };
    const actor = actorOf(
      auth,
      covered.map((id) => ({ id }) as never),
    );
    return { auth, actor, phone: `139${String(10_000_000 + serial++).slice(-8)}` };
  };
  const child = (parent: Unit, kind: OrgUnitKind, name: string, code: string | null): Unit => {
    const id = randomUUID();
    return { id, countyId: parent.countyId, parentId: parent.id, kind, code, name, path: `${parent.path}${id}/` };
  };
  const counties: County[] = [];
  for (let c = 0; c < o.counties; c++) {
    const countyCode = `34${String(1200 + 21 + c).padStart(4, '0')}`;
    const id = randomUUID();
    const unit: Unit = {
      id,
      countyId: id,
      parentId: null,
      kind: 'county',
      code: countyCode,
      name: COUNTY_NAMES[c % COUNTY_NAMES.length] + (c >= COUNTY_NAMES.length ? c : ''),
      path: `/${id}/`,
    };
    const p = `c${String(c + 1).padStart(2, '0')}`;
    const office = [1, 2, 3].map((k) => user(unit, `${p}-county${k}`, `${personName(c * 1000 + k)}（县巩固办）`, ['county_office']));
    const others = [
      user(unit, `${p}-admin`, '系统管理员', ['admin']),
      user(unit, `${p}-security`, `${personName(c * 1000 + 7)}（安全管理员）`, ['security_admin']),
      user(unit, `${p}-auditor`, `${personName(c * 1000 + 8)}（审计）`, ['auditor']),
    ];
    const departments = DEPARTMENTS.map((name, k) => {
      const d = child(unit, 'department', name, null);
      return { unit: d, staff: user(d, `${p}-dept${k + 1}`, `${personName(c * 1000 + 20 + k)}（${name.replace(/^县|（.*$/g, '')}）`, ['department_staff']) };
    });
    const townshipUnits = Array.from({ length: o.townships }, (_, t) => child(unit, 'township', placeName(c * 100 + t, '镇'), `${countyCode}${100 + t}000`));
    const groupCount = 3;
    const groups = Array.from({ length: groupCount }, (_, g) => {
      const gu = child(unit, 'supervision_group', `县巩固衔接第${'一二三'[g]}督查组`, null);
      const townshipIds = townshipUnits.filter((_, t) => t % groupCount === g).map((t) => t.id);
      return {
        unit: gu,
        townshipIds,
        inspector: user(gu, `${p}-inspector${g + 1}`, `${personName(c * 1000 + 40 + g)}（第${'一二三'[g]}督查组）`, ['inspector'], townshipIds),
      };
    });
    const townships = townshipUnits.map((tu, t): Township => {
      const tp = `${p}-t${String(t + 1).padStart(2, '0')}`;
      return {
        unit: tu,
        leader: user(tu, `${tp}-leader`, `${personName(c * 1000 + 100 + t)}（${tu.name}分管负责人）`, ['township_leader']),
        inspector: groups[t % groupCount].inspector,
        villages: Array.from({ length: o.villages }, (_, v) => {
          const vu = child(tu, 'village', placeName(c * 10_000 + t * 100 + v, '村'), `${countyCode}${100 + t}${200 + v}`);
          const vp = `${tp}-v${String(v + 1).padStart(2, '0')}`;
          return {
            unit: vu,
            cadre: user(vu, `${vp}-cadre`, `${personName(c * 100_000 + t * 100 + v)}（${vu.name}）`, ['investigator']),
            rectifier: user(vu, `${vp}-rectifier`, `${personName(c * 100_000 + t * 100 + v + 50_000)}（${vu.name}）`, ['investigator']),
          };
        }),
      };
    });
    counties.push({ unit, office, others, departments, groups, townships, campaignId: randomUUID() });
  }
  return counties;
}

// --------------------------------------------------------- item templates

/**
 * Placeholders the templates are played with: ids are fixed UUIDs, dates are
 * days of 2031 (after the template clock, so the machine's deadline guards
 * hold), names are marked strings. Each is replaced per item.
 */
const P = {
  item: 'eeeeeeee-eeee-4eee-8eee-000000000001',
  campaign: 'eeeeeeee-eeee-4eee-8eee-000000000002',
  county: 'eeeeeeee-eeee-4eee-8eee-000000000003',
  township: 'eeeeeeee-eeee-4eee-8eee-000000000004',
  village: 'eeeeeeee-eeee-4eee-8eee-000000000005',
  investigator: 'eeeeeeee-eeee-4eee-8eee-000000000006',
  rectifier: 'eeeeeeee-eeee-4eee-8eee-000000000007',
  leader: 'eeeeeeee-eeee-4eee-8eee-000000000008',
  inspector: 'eeeeeeee-eeee-4eee-8eee-000000000009',
  group: 'eeeeeeee-eeee-4eee-8eee-000000000010',
  attachment1: 'eeeeeeee-eeee-4eee-8eee-000000000011',
  attachment2: 'eeeeeeee-eeee-4eee-8eee-000000000012',
  deadline1: '2031-01-01',
  deadline2: '2031-01-02',
  deadline3: '2031-01-03',
  sha1: 'e'.repeat(63) + '1',
  sha2: 'e'.repeat(63) + '2',
  investigatorName: '@@investigatorName@@',
  rectifierName: '@@rectifierName@@',
  leaderName: '@@leaderName@@',
  inspectorName: '@@inspectorName@@',
  villageName: '@@villageName@@',
  townshipName: '@@townshipName@@',
  groupName: '@@groupName@@',
} as const;
type Slot = keyof typeof P;
const SLOT_PATTERN = new RegExp(
  Object.values(P)
    .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'g',
);
const SLOT_OF = new Map(Object.entries(P).map(([k, v]) => [v as string, k as Slot]));

type Who = 'investigator' | 'rectifier' | 'leader' | 'inspector';
type Step = { who: Who; event: Record<string, unknown> & { type: ProblemItemEvent['type'] }; evidence?: 1 | 2 };

/** The scenarios and their share of the items; reopened, rejected and returned paths included. */
const SCENARIOS: Array<{ name: string; weight: number; overdue?: boolean; steps: Step[] }> = (() => {
  const submit: Step = { who: 'investigator', event: { type: 'SUBMIT' } };
  const confirm: Step = {
    who: 'leader',
    event: { type: 'CONFIRM', measures: '落实危房改造补助，组织施工队加固房屋', rectifierId: P.rectifier, deadline: P.deadline1 },
  };
  const ret: Step = { who: 'leader', event: { type: 'RETURN', reason: '问题描述不清，请补充户籍与收入情况' } };
  const rectified = (n: 1 | 2): Step => ({
    who: 'rectifier',
    event: {
      type: 'SUBMIT_RECTIFICATION',
      comment: n === 1 ? '已完成加固，附整改后照片' : '按验收意见补充完成整改',
      evidence: [n === 1 ? P.attachment1 : P.attachment2],
    },
    evidence: n,
  });
  const accept: Step = { who: 'leader', event: { type: 'ACCEPT', comment: '经现场核实，整改到位' } };
  const spot: Step = { who: 'inspector', event: { type: 'SPOT_CHECK_PASS', comment: '抽查核实无误' } };
  return [
    { name: 'draft', weight: 3, steps: [] },
    { name: 'pending_review', weight: 6, steps: [submit] },
    { name: 'returned', weight: 2, steps: [submit, ret] },
    { name: 'dismissed', weight: 2, steps: [submit, { who: 'leader', event: { type: 'DISMISS', reason: '经核查不属于返贫致贫风险' } }] },
    { name: 'rectifying', weight: 8, steps: [submit, confirm] },
    { name: 'rectifying_overdue', weight: 6, overdue: true, steps: [submit, confirm] },
    {
      name: 'rectifying_extension',
      weight: 2,
      steps: [submit, confirm, { who: 'rectifier', event: { type: 'REQUEST_EXTENSION', reason: '雨季无法施工', newDeadline: P.deadline2 } }],
    },
    { name: 'pending_acceptance', weight: 7, steps: [submit, confirm, rectified(1)] },
    { name: 'closed', weight: 10, steps: [submit, confirm, rectified(1), accept] },
    { name: 'closed_inspected', weight: 30, steps: [submit, confirm, rectified(1), accept, spot] },
    {
      name: 'reopened',
      weight: 4,
      steps: [submit, confirm, rectified(1), accept, { who: 'inspector', event: { type: 'REOPEN', reason: '抽查发现整改不到位', deadline: P.deadline2 } }],
    },
    {
      name: 'rejected_closed',
      weight: 14,
      steps: [
        submit,
        confirm,
        rectified(1),
        { who: 'leader', event: { type: 'REJECT_RECTIFICATION', reason: '整改照片不清晰', deadline: P.deadline2 } },
        rectified(2),
        accept,
      ],
    },
    { name: 'returned_resubmitted_closed', weight: 20, steps: [submit, ret, submit, confirm, rectified(1), accept, spot] },
  ];
})();

interface Template {
  name: string;
  overdue: boolean;
  /** JSON text of the row's varying columns and of each link's fields (no times, no hashes), with placeholders. */
  text: string;
  links: number;
  attachments: Array<1 | 2>;
  who: Who[];
  events: string[];
}

interface TemplateBody {
  row: Record<string, unknown>;
  links: Array<Omit<Signature, 'id' | 'hash' | 'county' | 'signedAt' | 'prevHash' | 'seq' | 'keyId'>>;
}

function templateUser(who: Who): { auth: AuthUser; actor: WorkflowActor } {
  const units: Record<Who, { id: string; kind: OrgUnitKind; name: string; path: string; roles: Role[]; covered: string[] }> = {
    investigator: {
      id: P.village,
      kind: 'village',
      name: P.villageName,
      path: `/${P.county}/${P.township}/${P.village}/`,
      roles: ['investigator'],
      covered: [],
    },
    rectifier: { id: P.village, kind: 'village', name: P.villageName, path: `/${P.county}/${P.township}/${P.village}/`, roles: ['investigator'], covered: [] },
    leader: { id: P.township, kind: 'township', name: P.townshipName, path: `/${P.county}/${P.township}/`, roles: ['township_leader'], covered: [] },
    inspector: { id: P.group, kind: 'supervision_group', name: P.groupName, path: `/${P.county}/${P.group}/`, roles: ['inspector'], covered: [P.township] },
  };
  const u = units[who];
  const auth: AuthUser = {
    id: P[who],
    countyId: P.county,
    username: who,
    displayName: P[`${who}Name` as Slot],
    roles: u.roles,
    orgUnitId: u.id,
    orgUnitKind: u.kind,
    orgUnitName: u.name,
    orgUnitPath: u.path,
    credential: { changedAt: new Date(), mustChange: false },
  };
  return {
    auth,
    actor: actorOf(
      auth,
      u.covered.map((id) => ({ id }) as never),
    ),
  };
}

/** Plays each scenario through the machine with the engine's lifecycle code. */
function buildTemplates(): Template[] {
  const machine = resolveMachine('problem-item', PROBLEM_ITEM_WORKFLOW.version);
  const env = { now: '2030-06-01T00:00:00.000Z', phase: 'rectification' as const };
  return SCENARIOS.map((scenario) => {
    let snapshot: ProblemItemSnapshot = createProblemItemSnapshot({
      id: P.item,
      campaignId: P.campaign,
      countyId: P.county,
      orgUnitId: P.village,
      townshipId: P.township,
      reviewLevel: 'township',
      investigatorId: P.investigator,
    });
    const links: TemplateBody['links'] = [];
    let state: string = ITEM_LIFECYCLE.stateName(snapshot);
    for (const step of scenario.steps) {
      const { auth, actor } = templateUser(step.who);
      const event = { ...step.event, actor, env } as unknown as ProblemItemEvent;
      const result = applyEvent(machine, snapshot, event as never);
      if (!result.accepted) throw new Error(`template ${scenario.name}: ${event.type} refused (${String(ITEM_LIFECYCLE.explainRefusal(snapshot, event))})`);
      const next = result.snapshot as ProblemItemSnapshot;
      const stateAfter = ITEM_LIFECYCLE.stateName(next);
      const kind = ITEM_LIFECYCLE.signatureKind(event.type);
      if (!kind) throw new Error(`template ${scenario.name}: ${event.type} is unsigned`);
      const { comment, payload } = ITEM_LIFECYCLE.signed(event, snapshot, next);
      links.push({
        countyId: P.county,
        subjectType: 'item',
        subjectId: P.item,
        kind,
        eventType: event.type,
        signerId: auth.id,
        signerName: auth.displayName,
        signerRole: ITEM_LIFECYCLE.signerRole(auth, event, snapshot),
        onBehalfOfId: null,
        onBehalfOfName: null,
        signerOrgUnitId: auth.orgUnitId,
        signerOrgUnitName: auth.orgUnitName,
        comment,
        payload,
        evidence: step.evidence ? [{ id: P[`attachment${step.evidence}`], sha256: P[`sha${step.evidence}`], filename: `整改照片${step.evidence}.jpg` }] : [],
        stateBefore: state,
        stateAfter,
      });
      snapshot = next;
      state = stateAfter;
    }
    const projected = ITEM_LIFECYCLE.projections(snapshot, { state: 'draft', closedAt: null } as never, new Date(0));
    const row = { ...projected, snapshot: toStored(snapshot), closedAt: undefined, updatedAt: undefined };
    return {
      name: scenario.name,
      overdue: scenario.overdue ?? false,
      text: JSON.stringify({ row, links } satisfies TemplateBody),
      links: links.length,
      attachments: scenario.steps.flatMap((s) => (s.evidence ? [s.evidence] : [])),
      who: scenario.steps.map((s) => s.who),
      events: scenario.steps.map((s) => s.event.type),
    };
  });
}

// ------------------------------------------------------------------ writing

const ITEM_COLUMNS = [
  'id',
  'county_id',
  'campaign_id',
  'number',
  'org_unit_id',
  'org_unit_path',
  'township_id',
  'problem_type_code',
  'description',
  'household_name',
  'household_id_cipher',
  'household_id_index',
  'remark',
  'investigator_id',
  'workflow_id',
  'workflow_version',
  'snapshot',
  'version',
  'state',
  'review_level',
  'measures',
  'rectifier_id',
  'responsible_org_unit_id',
  'deadline',
  'fixed_on_site',
  'extension_requested',
  'reopen_count',
  'inspected',
  'long_term',
  'long_term_plan',
  'closed_at',
  'created_at',
  'updated_at',
  'chain_seq',
  'chain_head',
  'report_status',
] as const;

const SIGNATURE_COLUMNS = [
  'id',
  'county_id',
  'subject_type',
  'subject_id',
  'seq',
  'kind',
  'event_type',
  'signer_id',
  'signer_name',
  'signer_role',
  'signer_org_unit_id',
  'signer_org_unit_name',
  'signed_at',
  'comment',
  'payload',
  'evidence',
  'state_before',
  'state_after',
  'prev_hash',
  'hash',
  'key_id',
] as const;

const ATTACHMENT_COLUMNS = ['id', 'county_id', 'uploader_id', 'filename', 'mime_type', 'size', 'sha256', 'storage_key', 'created_at', 'cited_at'] as const;

function signatureRow(s: Signature): unknown[] {
  return [
    s.id,
    s.countyId,
    s.subjectType,
    s.subjectId,
    s.seq,
    s.kind,
    s.eventType,
    s.signerId,
    s.signerName,
    s.signerRole,
    s.signerOrgUnitId,
    s.signerOrgUnitName,
    s.signedAt,
    s.comment,
    s.payload,
    s.evidence,
    s.stateBefore,
    s.stateAfter,
    s.prevHash,
    s.hash,
    s.keyId,
  ];
}

/** Deterministic pseudo-random numbers (mulberry32), so two runs of one size load the same shape. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUSEHOLD_ID_BASES = ['341522', '341523', '341524', '341525', '341526'];
const PROBLEM_TEXTS = [
  '住房出现裂缝，存在安全隐患',
  '饮水水质检测不达标',
  '适龄儿童未按规定享受教育资助',
  '家庭成员未参加城乡居民医疗保险',
  '低保待遇未及时调整',
  '户内无稳定收入来源，存在返贫风险',
  '危房改造后未验收',
  '安全饮水入户管道老化',
];

async function seedItems(
  url: string,
  counties: County[],
  options: SeedOptions,
  keys: { chain: ChainKeys; id: ResidentIdKeys },
  problemTypes: string[],
  now: Date,
): Promise<{ items: number; pool: number; signatures: number; attachments: number; byScenario: Record<string, number> }> {
  const templates = buildTemplates();
  const totalWeight = templates.reduce((s, t) => s + SCENARIOS.find((x) => x.name === t.name)!.weight, 0);
  const cumulative: Array<[number, Template]> = [];
  let acc = 0;
  for (const t of templates) {
    acc += SCENARIOS.find((x) => x.name === t.name)!.weight / totalWeight;
    cumulative.push([acc, t]);
  }
  const pick = (r: number) => cumulative.find(([c]) => r < c)?.[1] ?? cumulative.at(-1)![1];

  const items = new CopyStream(url, 'problem_items', ITEM_COLUMNS);
  const signatures = new CopyStream(url, 'signatures', SIGNATURE_COLUMNS);
  const attachments = new CopyStream(url, 'attachments', ATTACHMENT_COLUMNS);
  const byScenario: Record<string, number> = {};
  // The report tallies of every item, folded as the transitions fold them (report-tally.ts), written at the end.
  const tallies = new Map<string, TallyRow>();
  const random = rng(12);
  const start = now.getTime() - CAMPAIGN_DAYS * DAY;
  const dateOf = (ms: number) => chinaDate(new Date(ms));
  const perCounty = Math.ceil(options.items / counties.length);
  let made = 0;

  const pending = templates.find((t) => t.name === 'pending_review')!;
  for (const [c, county] of counties.entries()) {
    const count = Math.min(perCounty, options.items - made);
    const pool = c === 0 ? options.pool : 0;
    const villages = county.townships.flatMap((t) => t.villages.map((v) => ({ t, v })));
    for (let k = 0; k < count + pool; k++) {
      // The pool comes last: the sign-off bench takes the highest numbers of county 1.
      const { t, v } = k < count ? villages[k % villages.length] : villages[villages.length - options.villages];
      const template = k < count ? pick(random()) : pending;
      byScenario[template.name] = (byScenario[template.name] ?? 0) + 1;
      const id = randomUUID();
      const attachmentIds = [randomUUID(), randomUUID()];
      const shas = attachmentIds.map((a) => createHash('sha256').update(a).digest('hex'));

      // Times: found from day 5 of the campaign; each later step 1–4 days on, never in the future.
      const links = template.links;
      // Overdue items were reviewed early enough for their deadline to have passed since.
      const found = start + 5 * DAY + random() * (template.overdue ? 50 : CAMPAIGN_DAYS - 6) * DAY;
      const span = Math.min(now.getTime() - 3_600_000 - found, links * 4 * DAY);
      const times: number[] = [];
      for (let i = 0; i < links; i++) times.push(Math.floor(found + (span * (i + random() * 0.5)) / Math.max(links, 1)));
      const confirmAt = times[template.events.indexOf('CONFIRM')] ?? found;
      // Deadlines: 30 days after the review; overdue items' deadline has passed (after the review, before today).
      const deadline1 = template.overdue
        ? dateOf(Math.min(confirmAt + DAY * (2 + Math.floor(random() * 20)), now.getTime() - DAY))
        : dateOf(Math.max(confirmAt + 30 * DAY, now.getTime() + (3 + Math.floor(random() * 40)) * DAY));
      const values: Record<Slot, string> = {
        item: id,
        campaign: county.campaignId,
        county: county.unit.id,
        township: t.unit.id,
        village: v.unit.id,
        investigator: v.cadre.auth.id,
        rectifier: v.rectifier.auth.id,
        leader: t.leader.auth.id,
        inspector: t.inspector.auth.id,
        group: t.inspector.auth.orgUnitId,
        attachment1: attachmentIds[0],
        attachment2: attachmentIds[1],
        deadline1,
        // Extensions, rejections and reopenings set a later deadline, still ahead.
        deadline2: dateOf(Math.max(Date.parse(deadline1), now.getTime()) + (10 + Math.floor(random() * 30)) * DAY),
        deadline3: dateOf(now.getTime() + 60 * DAY),
        sha1: shas[0],
        sha2: shas[1],
        investigatorName: v.cadre.auth.displayName,
        rectifierName: v.rectifier.auth.displayName,
        leaderName: t.leader.auth.displayName,
        inspectorName: t.inspector.auth.displayName,
        villageName: v.unit.name,
        townshipName: t.unit.name,
        groupName: t.inspector.auth.orgUnitName,
      };
      const body = JSON.parse(template.text.replace(SLOT_PATTERN, (m) => values[SLOT_OF.get(m)!])) as TemplateBody;

      let prev: string | null = null;
      for (const [i, link] of body.links.entries()) {
        const fields: HashedFields = { ...link, seq: i + 1, signedAt: new Date(times[i]), prevHash: prev, keyId: keys.chain.currentId };
        const hash: string = signatureHash(fields, keys.chain)!;
        await signatures.write(signatureRow({ ...fields, id: randomUUID(), hash } as Signature));
        prev = hash;
      }
      const rectifications = template.events.flatMap((e, i) => (e === 'SUBMIT_RECTIFICATION' ? [i] : []));
      for (const n of template.attachments) {
        const at = times[rectifications[n - 1]] - 600_000;
        await attachments.write([
          attachmentIds[n - 1],
          county.unit.id,
          v.rectifier.auth.id,
          `整改照片${n}.jpg`,
          'image/jpeg',
          180_000 + Math.floor(random() * 600_000),
          shas[n - 1],
          `bench/${attachmentIds[n - 1]}`,
          new Date(at),
          new Date(at + 600_000),
        ]);
      }

      const problemTypeCode = problemTypes[k % problemTypes.length];
      const history: HistoryEvent[] = body.links.map((link, i) => ({
        itemId: id,
        eventType: link.eventType,
        stateAfter: link.stateAfter,
        at: new Date(times[i]),
        deadline: payloadDate(link.payload.deadline),
        newDeadline: payloadDate(link.payload.newDeadline),
      }));
      const owner = tallyOwner({ campaignId: county.campaignId, countyId: county.unit.id, townshipId: t.unit.id, orgUnitId: v.unit.id, problemTypeCode });
      const replayed = historyTallies(owner, history);
      addTallies(tallies, replayed.rows);

      const r = body.row as Record<string, unknown>;
      // Distinct numbers, except one household in a hundred filed twice (the inbox's 疑似重复).
      const h = k % 100 === 99 ? k - 1 : k;
      const q = Math.floor(h / HOUSEHOLD_ID_BASES.length);
      const d = Math.floor(q / 1000);
      const idBase = `${HOUSEHOLD_ID_BASES[h % HOUSEHOLD_ID_BASES.length]}${1950 + (d % 50)}${String(1 + (Math.floor(d / 50) % 12)).padStart(2, '0')}${String(1 + (Math.floor(d / 600) % 28)).padStart(2, '0')}${String(q % 1000).padStart(3, '0')}`;
      const idNumber = idBase + residentIdCheckChar(idBase);
      const last = links ? new Date(times[links - 1]) : new Date(found);
      const snapshotJson = r.snapshot;
      await items.write([
        id,
        county.unit.id,
        county.campaignId,
        k + 1,
        v.unit.id,
        v.unit.path,
        t.unit.id,
        problemTypeCode,
        `${v.unit.name}${PROBLEM_TEXTS[k % PROBLEM_TEXTS.length]}（第${k + 1}户）`,
        personName(k * 31 + 17),
        keys.id.encrypt(idNumber),
        keys.id.index(idNumber),
        k % 5 === 0 ? '已入户核实' : null,
        v.cadre.auth.id,
        PROBLEM_ITEM_WORKFLOW.id,
        PROBLEM_ITEM_WORKFLOW.version,
        snapshotJson,
        1 + links,
        r.state,
        r.reviewLevel,
        r.measures,
        r.rectifierId,
        r.responsibleOrgUnitId,
        r.deadline,
        r.fixedOnSite,
        r.extensionRequested,
        r.reopenCount,
        r.inspected,
        r.longTerm,
        r.longTermPlan ?? null,
        r.state === CLOSED_STATE ? new Date(times[template.events.lastIndexOf('ACCEPT')]) : null,
        new Date(found - 3_600_000),
        last,
        links,
        prev,
        replayed.status.state ? toStoredStatus(replayed.status) : null,
      ]);
    }
    made += count;
  }
  await Promise.all([items.end(), signatures.end(), attachments.end()]);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const rows = sortedTallies(tallies);
    for (let from = 0; from < rows.length; from += TALLY_ROWS_PER_UPSERT) {
      const params = new Params();
      await db.query(tallyUpsertSql(rows.slice(from, from + TALLY_ROWS_PER_UPSERT), params), params.values);
    }
  } finally {
    await db.end();
  }
  return { items: items.rows - options.pool, pool: options.pool, signatures: signatures.rows, attachments: attachments.rows, byScenario };
}

/** Each county's campaign, played START and ADVANCE_PHASE to its rectification phase with signed links. */
async function seedCampaigns(url: string, counties: County[], chain: ChainKeys, now: Date): Promise<void> {
  const machine = resolveMachine('campaign', CAMPAIGN_WORKFLOW.version);
  const day = (offset: number) => chinaDate(new Date(now.getTime() + offset * DAY));
  const phases: CampaignPhase[] = [
    { kind: 'mobilization', name: '动员培训', startDate: day(-CAMPAIGN_DAYS), endDate: day(-CAMPAIGN_DAYS + 4) },
    { kind: 'investigation', name: '实地排查', startDate: day(-CAMPAIGN_DAYS + 5), endDate: day(-60) },
    { kind: 'rectification', name: '问题整改及动态管理', startDate: day(-59), endDate: day(30) },
    { kind: 'summary', name: '工作总结', startDate: day(31), endDate: day(40) },
  ];
  const rows = new CopyStream(url, 'campaigns', [
    'id',
    'county_id',
    'title',
    'doc_number',
    'preset_key',
    'phases',
    'problem_types',
    'workflow_id',
    'workflow_version',
    'state',
    'phase_index',
    'snapshot',
    'version',
    'item_seq',
    'created_by_id',
    'created_at',
    'updated_at',
    'chain_seq',
    'chain_head',
  ]);
  const links = new CopyStream(url, 'signatures', SIGNATURE_COLUMNS);
  const steps: Array<CampaignEvent['type']> = ['START', 'ADVANCE_PHASE', 'ADVANCE_PHASE'];
  for (const county of counties) {
    const office = county.office[0];
    let snapshot = createCampaignSnapshot({ id: county.campaignId, countyId: county.unit.id, phases });
    let state: string = campaignStateName(snapshot);
    let prev: string | null = null;
    const created = new Date(now.getTime() - (CAMPAIGN_DAYS + 1) * DAY);
    for (const [i, type] of steps.entries()) {
      const signedAt = new Date(now.getTime() - [CAMPAIGN_DAYS, CAMPAIGN_DAYS - 5, 59][i] * DAY);
      const event = {
        type,
        ...(type === 'ADVANCE_PHASE' ? { blockingItemCount: 0 } : {}),
        actor: office.actor,
        env: { now: signedAt.toISOString(), phase: null },
      } as CampaignEvent;
      const result = applyEvent(machine, snapshot, event as never);
      if (!result.accepted) throw new Error(`campaign ${type} refused`);
      const next = result.snapshot;
      const stateAfter = CAMPAIGN_LIFECYCLE.stateName(next);
      const { comment, payload } = CAMPAIGN_LIFECYCLE.signed(event, snapshot, next);
      const fields: HashedFields = {
        countyId: county.unit.id,
        subjectType: 'campaign' as const,
        subjectId: county.campaignId,
        seq: i + 1,
        kind: CAMPAIGN_LIFECYCLE.signatureKind(type)!,
        eventType: type,
        signerId: office.auth.id,
        signerName: office.auth.displayName,
        signerRole: CAMPAIGN_LIFECYCLE.signerRole(office.auth, event, snapshot),
        onBehalfOfId: null,
        onBehalfOfName: null,
        signerOrgUnitId: office.auth.orgUnitId,
        signerOrgUnitName: office.auth.orgUnitName,
        signedAt,
        comment,
        payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown>,
        evidence: [],
        stateBefore: state,
        stateAfter,
        prevHash: prev,
        keyId: chain.currentId,
      };
      const hash: string = signatureHash(fields, chain)!;
      await links.write(signatureRow({ ...fields, id: randomUUID(), hash } as Signature));
      prev = hash;
      snapshot = next;
      state = stateAfter;
    }
    await rows.write([
      county.campaignId,
      county.unit.id,
      `${county.unit.name}巩固拓展脱贫攻坚成果“清零”专项行动`,
      `${county.unit.name.slice(0, 2)}巩衔〔${now.getFullYear()}〕${county.unit.code!.slice(-2)}号`,
      HUOQIU_PRESET.key,
      phases,
      JSON.parse(JSON.stringify(HUOQIU_PRESET.problemTypes)),
      CAMPAIGN_WORKFLOW.id,
      CAMPAIGN_WORKFLOW.version,
      state,
      snapshot.context.phaseIndex,
      toStored(snapshot),
      1 + steps.length,
      0,
      office.auth.id,
      created,
      new Date(now.getTime() - 59 * DAY),
      steps.length,
      prev,
    ]);
  }
  await Promise.all([rows.end(), links.end()]);
}

async function seedDirectory(url: string, counties: County[], passwordHash: string): Promise<number> {
  const units = new CopyStream(url, 'org_units', ['id', 'county_id', 'parent_id', 'kind', 'code', 'name', 'path']);
  const unitRow = (u: Unit) => units.write([u.id, u.countyId, u.parentId, u.kind, u.code, u.name, u.path]);
  for (const c of counties) {
    await unitRow(c.unit);
    for (const d of c.departments) await unitRow(d.unit);
    for (const g of c.groups) await unitRow(g.unit);
    for (const t of c.townships) {
      await unitRow(t.unit);
      for (const v of t.villages) await unitRow(v.unit);
    }
  }
  await units.end();
  const users = new CopyStream(url, 'users', ['id', 'county_id', 'username', 'display_name', 'phone', 'org_unit_id', 'roles', 'password_hash']);
  const coverage = new CopyStream(url, 'supervision_coverage', ['group_id', 'township_id', 'county_id']);
  let n = 0;
  const userRow = async (u: SeedUser) => {
    n++;
    await users.write([
      u.auth.id,
      u.auth.countyId,
      u.auth.username,
      u.auth.displayName,
      u.phone,
      u.auth.orgUnitId,
      `{${u.auth.roles.join(',')}}`,
      passwordHash,
    ]);
  };
  for (const c of counties) {
    for (const u of [...c.office, ...c.others, ...c.departments.map((d) => d.staff), ...c.groups.map((g) => g.inspector)]) await userRow(u);
    for (const g of c.groups) for (const t of g.townshipIds) await coverage.write([g.unit.id, t, c.unit.id]);
    for (const t of c.townships) {
      await userRow(t.leader);
      for (const v of t.villages) {
        await userRow(v.cadre);
        await userRow(v.rectifier);
      }
    }
  }
  await Promise.all([users.end(), coverage.end()]);
  return n;
}

async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`--recreate: unexpected database name ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const db = new Client({ connectionString: admin.toString() });
  await db.connect();
  try {
    await db.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await db.query(`CREATE DATABASE ${name}`);
  } finally {
    await db.end();
  }
}

export interface SeedResult {
  items: number;
  pool: number;
  signatures: number;
  attachments: number;
  users: number;
  orgUnits: number;
  seconds: { directory: number; items: number; analyze: number; total: number };
  byScenario: Record<string, number>;
  /** Usernames the benchmarks log in with (county 1, township 1, village 1). */
  logins: { countyOffice: string; townshipLeader: string; villageCadre: string; villageRectifier: string; inspector: string; poolLeader: string };
  campaignIds: string[];
}

export async function seed(url: string, options: SeedOptions, env: Record<string, string | undefined> = process.env): Promise<SeedResult> {
  const started = Date.now();
  if (options.recreate) await recreateDatabase(url);
  const migrated = await migrateCommand([], { ...env, DATABASE_URL: url, DATABASE_OWNER_URL: undefined });
  console.log(`  migrations: ${migrated}`);
  const config = loadConfig({ ...env, DATABASE_URL: url });
  const keys = { chain: loadChainKeys(config), id: loadResidentIdKeys(config) };

  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM problem_items`)).rows as Array<{ n: number }>;
    if (n > 0) throw new Error(`the database already holds ${n} items: seed a fresh one (--recreate drops and creates it)`);
  } finally {
    await db.end();
  }

  const now = new Date();
  const counties = buildProvince(options);
  const passwordHash = await PasswordHasher.hash(BENCH_PASSWORD);
  const users = await seedDirectory(url, counties, passwordHash);
  await seedCampaigns(url, counties, keys.chain, now);
  const directoryDone = Date.now();
  const problemTypes = flattenProblemTypes(HUOQIU_PRESET.problemTypes)
    .filter((t) => t.isLeaf)
    .map((t) => t.code);
  const result = await seedItems(url, counties, options, keys, problemTypes, now);
  const itemsDone = Date.now();
  const db2 = new Client({ connectionString: url });
  await db2.connect();
  try {
    await db2.query(`UPDATE campaigns c SET item_seq = (SELECT count(*) FROM problem_items i WHERE i.campaign_id = c.id)`);
    await db2.query('VACUUM ANALYZE');
  } finally {
    await db2.end();
  }
  const done = Date.now();
  const t = counties[0].townships[0];
  return {
    ...result,
    users,
    orgUnits: counties.reduce((s, c) => s + 1 + c.departments.length + c.groups.length + c.townships.length * (1 + options.villages), 0),
    seconds: {
      directory: (directoryDone - started) / 1000,
      items: (itemsDone - directoryDone) / 1000,
      analyze: (done - itemsDone) / 1000,
      total: (done - started) / 1000,
    },
    logins: {
      countyOffice: counties[0].office[0].auth.username,
      townshipLeader: t.leader.auth.username,
      villageCadre: t.villages[0].cadre.auth.username,
      villageRectifier: t.villages[0].rectifier.auth.username,
      inspector: t.inspector.auth.username,
      poolLeader: counties[0].townships.at(-1)!.leader.auth.username,
    },
    campaignIds: counties.map((c) => c.campaignId),
  };
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (a scratch database: the seed writes to it)');
  const options = parseArgs(process.argv.slice(2));
  console.log(`seeding ${options.items} items: ${options.counties} counties × ${options.townships} townships × ${options.villages} villages`);
  const result = await seed(url, options);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'seed.json'), JSON.stringify({ options, ...result }, null, 2));
  console.log(
    `  ${result.orgUnits} org units, ${result.users} users, ${result.items} items, ${result.signatures} item signatures (${(result.signatures / result.items).toFixed(2)} per item), ${result.attachments} attachments`,
  );
  console.log(
    `  by scenario: ${Object.entries(result.byScenario)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `  ${result.seconds.directory.toFixed(1)} s directory and campaigns, ${result.seconds.items.toFixed(1)} s items and their report tallies, ${result.seconds.analyze.toFixed(1)} s VACUUM ANALYZE; ${result.seconds.total.toFixed(1)} s in all`,
  );
  console.log(`  log in as ${Object.values(result.logins).join(', ')} … with password ${BENCH_PASSWORD}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
