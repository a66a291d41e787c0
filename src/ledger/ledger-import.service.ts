import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import type { ProblemItemEvent, ProblemItemStateName } from '../../workflows';
import { AuditService } from '../audit/audit.service';
import { AuthUser, hasRole } from '../auth/auth-user';
import { Campaign } from '../campaigns/campaign.entity';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { uploadedFileName } from '../common/http/safe-text';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { openDuplicateNumbers } from '../items/household-duplicates';
import { draftItem } from '../items/item-draft';
import { isCampaignVisible } from '../campaigns/campaign-visibility';
import { ITEM_LIFECYCLE } from '../items/item-lifecycle';
import { ItemReadService } from '../items/item-read.service';
import {
  assertOpenForNewItems,
  campaignPlaceRefusal,
  recordingRefusal,
  sectorTypeRefusal,
  type EventInput,
  type RecordingRefusal,
} from '../items/item-write.service';
import { OrgUnit } from '../orgs/org-unit.entity';
import { ScopeService } from '../orgs/scope.service';
import type { Caller, RequestContext } from '../workflow-engine/request-context';
import { WorkflowRunner } from '../workflow-engine/workflow-runner';
import { ImportedItemResponse, LedgerImportResponse, MatchedRowResponse } from './ledger-import.response';
import { differsFrom, planLedgerRows, type LedgerRowError, type LedgerRowMatch, type LedgerRowPlan } from './ledger-rows';
import { ITEM_NUMBER_HEADER } from './ledger-layout';
import { readLedger, type LedgerSheetRow } from './ledger-sheet';
import { checkXlsxArchive } from './xlsx-guard';

/**
 * One transaction writes every row, and the workbook is read whole into
 * memory: a limit keeps a file to what a county's townships report at once.
 * 10,000 rows with submit=true take about 6 s, the service peaking near
 * 360 MB (bench/README.md, sign-off bench).
 */
export const MAX_IMPORT_ROWS = 10_000;
/** Rows made in memory and written per round (the engine inserts them 500 to a statement): memory stays flat however long the file. */
const CREATE_BATCH = 1000;
/** Row errors listed in one answer; the message gives the total. */
const MAX_LISTED_ERRORS = 200;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

export interface UploadedLedger {
  originalname: string;
  buffer: Buffer;
  size: number;
}

const REFUSALS: Record<RecordingRefusal, string> = {
  out_of_scope: '不在您的排查范围内',
  not_recordable_unit: '问题只能登记在行政村、乡镇或县直部门',
  other_department: '行业排查的问题只能登记在本部门',
  outside_campaign_township: '不在该专项行动所属的乡镇内（乡镇的专项行动只登记本乡镇的问题）',
};

/** The 排查签字 of an import on others' behalf: who filled the ledger, as its signature lines name them. */
function onBehalfComment(filledBy: string[]): string {
  return filledBy.length ? `代为导入台账（填报人：${filledBy.join('、')}）` : '代为导入台账';
}

function startsWith(data: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => data[i] === b);
}

/**
 * Who may import a ledger: those who record problems (村、乡镇排查人, 县直部门),
 * and, on their behalf, the township leader (for the township) and the county
 * office (for the county) who receive the townships' filled ledgers. Each
 * imports only within their scope; the items are recorded with the importer
 * as their investigator.
 */
const IMPORTING_ROLES = ['investigator', 'department_staff', 'township_leader', 'county_office'] as const;
/** Importers who record for others: with submit=true their 排查签字 says so and names the ledger's 填报人. */
const ON_BEHALF_ROLES = ['township_leader', 'county_office'] as const;

function assertMayImport(user: AuthUser): void {
  if (!hasRole(user, ...IMPORTING_ROLES)) throw DomainError.forbidden('只有排查人员、乡镇分管负责人和县巩固办可以导入问题台账');
}

/** 400 VALIDATION_FAILED listing each bad cell as 第N行·列名 (工作表「…」第N行·列名 when the ledger has several sheets). */
function rowsRejected(errors: LedgerRowError[], severalSheets: boolean): DomainError {
  const rows = new Set(errors.map((e) => `${e.sheet}\u0000${e.row}`)).size;
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const where = (e: LedgerRowError) => `${severalSheets ? `工作表「${e.sheet}」` : ''}第${e.row}行·${e.column}`;
  return new DomainError(
    'VALIDATION_FAILED',
    `台账有 ${errors.length} 处错误（共 ${rows} 行），未导入任何问题，请改正后重新导入`,
    listed.map((e) => ({ field: where(e), message: e.message })),
    { errors: listed, errorCount: errors.length },
  );
}

/** A row that names an item by 问题编号, with the item and whether the row was edited since. */
type NumberedRow = Omit<LedgerRowMatch, 'says'> & { id: string; edited: boolean };

interface CheckedLedger {
  sheets: string[];
  plans: LedgerRowPlan[];
  /** Rows of an exported ledger, with the item each 问题编号 names. */
  numbered: NumberedRow[];
  rowCount: number;
  filledBy: string[];
  caller: Caller;
  fileSha256: string;
  filename: string;
}

@Injectable()
export class LedgerImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ItemReadService,
    private readonly runner: WorkflowRunner,
    private readonly scope: ScopeService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Imports a filled ledger into a campaign, all or nothing: every row is
   * checked first and any bad row refuses the file, naming each bad cell; then
   * one transaction records each row as a draft of the importer (with
   * `submit`, also submits it with the importer's 排查签字) through the same
   * workflow engine as the API, set-based (see createAll). Rows that are
   * items already create nothing and are answered in `matched` with their
   * item: a row of an exported ledger by its 问题编号, any other row by its
   * content (imported before, or earlier in the same file).
   */
  async importLedger(
    user: AuthUser,
    campaignId: string,
    file: UploadedLedger | undefined,
    submit: boolean,
    request: IdempotentRequest,
  ): Promise<LedgerImportResponse> {
    assertMayImport(user);
    const campaign = await this.dataSource.manager.findOne(Campaign, { where: { id: campaignId, countyId: user.countyId } });
    if (!campaign || !isCampaignVisible(campaign, await this.scope.scopeOf(user))) throw DomainError.notFound('专项行动');
    const { sheets, plans, numbered, rowCount, filledBy, caller, fileSha256, filename } = await this.checkedRows(user, campaign, file);
    const comment = submit && hasRole(user, ...ON_BEHALF_ROLES) && !hasRole(user, 'investigator', 'department_staff') ? onBehalfComment(filledBy) : undefined;

    // The file's bytes identify the request: a retried key with another file is a different request.
    const replayable: IdempotentRequest = { ...request, body: { fileSha256, submit } };
    return this.idempotency.run(user, replayable, async (tx) => {
      const ctx: RequestContext = { ...caller, tx };
      // Concurrent imports into one campaign queue on its row, so the second sees the first's rows.
      const locked = await tx.createQueryBuilder(Campaign, 'c').setLock('pessimistic_write').where('c.id = :id', { id: campaign.id }).getOneOrFail();
      assertOpenForNewItems(locked);
      const existing: Array<{ id: string; number: number; import_key: string }> = await tx.query(
        'SELECT id, number, import_key FROM problem_items WHERE campaign_id = $1 AND import_key = ANY($2::text[])',
        [campaign.id, plans.map((p) => p.fields.importKey)],
      );
      const byKey = new Map<string, { id: string; number: number } | LedgerRowPlan>(existing.map((i) => [i.import_key, { id: i.id, number: i.number }]));
      const fresh: LedgerRowPlan[] = [];
      const repeats: Array<{ plan: LedgerRowPlan; same: { id: string; number: number } | LedgerRowPlan }> = [];
      for (const plan of plans) {
        const same = byKey.get(plan.fields.importKey);
        if (same) {
          repeats.push({ plan, same });
        } else {
          fresh.push(plan);
          byKey.set(plan.fields.importKey, plan);
        }
      }

      const items = fresh.length ? await this.createAll(ctx, locked, fresh, submit, comment) : [];
      const duplicates = await openDuplicateNumbers(
        tx,
        items.map((i) => i.id),
      );
      for (const item of items) item.duplicateOf = duplicates.get(item.id) ?? [];
      const createdFrom = new Map(fresh.map((plan, i) => [plan, items[i]]));
      const matched: MatchedRowResponse[] = [
        ...numbered.map((m) => ({ sheet: m.sheet, row: m.row, id: m.id, number: m.number, by: 'number' as const, edited: m.edited })),
        ...repeats.map(({ plan, same }) => {
          const item = 'fields' in same ? createdFrom.get(same)! : same;
          return { sheet: plan.sheet, row: plan.row, id: item.id, number: item.number, by: 'content' as const, edited: false };
        }),
      ].sort((a, b) => sheets.indexOf(a.sheet) - sheets.indexOf(b.sheet) || a.row - b.row);
      const result: LedgerImportResponse = {
        sheet: sheets[0],
        sheets,
        rows: rowCount,
        created: items.length,
        skipped: matched.length,
        submitted: submit,
        items,
        skippedRows: matched.map((m) => m.row),
        matched,
      };
      await this.audit.record(
        user,
        'ledger.import',
        'campaign',
        campaign.id,
        { filename, fileSha256, sheets, created: result.created, skipped: result.skipped, submitted: submit },
        tx,
      );
      return result;
    });
  }

  /**
   * The rows as drafts of the importer, set-based: their numbers (序号) reserved
   * with one UPDATE of the locked campaign row, each draft built as a single
   * creation builds it, then EDIT (整改措施) and SUBMIT (排查签字) applied by the
   * workflow engine in memory and inserted in batches of CREATE_BATCH rows.
   * Items, snapshots and signature chains are those the API's one-by-one path
   * writes; only the number of statements differs. What stays in memory is
   * the answer, not the rows.
   */
  private async createAll(
    ctx: RequestContext,
    campaign: Campaign,
    plans: LedgerRowPlan[],
    submit: boolean,
    comment: string | undefined,
  ): Promise<ImportedItemResponse[]> {
    const seq: unknown = await ctx.tx.query('UPDATE campaigns SET item_seq = item_seq + $2 WHERE id = $1 RETURNING item_seq', [campaign.id, plans.length]);
    const [{ item_seq: last }] = (Array.isArray(seq) && Array.isArray(seq[0]) ? seq[0] : seq) as Array<{ item_seq: number }>;
    const first = last - plans.length + 1;
    const created: ImportedItemResponse[] = [];
    for (let from = 0; from < plans.length; from += CREATE_BATCH) {
      const now = this.clock.now();
      const env = this.reads.env(campaign);
      const event = (input: EventInput): ProblemItemEvent => ({ ...input, actor: ctx.actor, env }) as ProblemItemEvent;
      const batch = plans.slice(from, from + CREATE_BATCH).map((plan, i) => {
        const events: ProblemItemEvent[] = [];
        if (plan.measures) events.push(event({ type: 'EDIT', measures: plan.measures }));
        if (submit) events.push(event(comment ? ({ type: 'SUBMIT', comment } as EventInput) : { type: 'SUBMIT' }));
        return { row: draftItem(ctx.user, campaign, plan.unit, plan.fields, first + from + i, now).item, events };
      });
      const rows = await this.runner.insertAll(ctx, ITEM_LIFECYCLE, batch);
      // The state column is the machine's projection: a state name.
      rows.forEach((item, i) =>
        created.push({
          sheet: plans[from + i].sheet,
          row: plans[from + i].row,
          id: item.id,
          number: item.number,
          state: item.state as ProblemItemStateName,
          duplicateOf: [],
        }),
      );
    }
    return created;
  }

  /**
   * The file read and every row checked (400 naming each bad cell), before
   * any transaction: the cells, and the 问题编号 of an exported ledger against
   * the campaign's items the importer can see. Only the plans leave: the
   * workbook and its cells are garbage by the time the rows are written.
   */
  private async checkedRows(user: AuthUser, campaign: Campaign, file: UploadedLedger | undefined): Promise<CheckedLedger> {
    const { workbook, data, filename } = await this.readWorkbook(file);
    assertOpenForNewItems(campaign);
    const book = readLedger(workbook, MAX_IMPORT_ROWS);
    const rows: LedgerSheetRow[] = book.sheets.flatMap((s) => s.rows);
    if (rows.length === 0) {
      const [first] = book.sheets;
      throw new DomainError('UNPROCESSABLE', `工作表「${first.sheetName}」第 ${first.headerRow} 行表头之下没有填写任何问题`, [
        { field: 'file', message: '没有问题行' },
      ]);
    }

    // Scope and actor before the transaction: inside it every query must use its connection.
    const caller = await this.scope.caller(user);
    const { scope } = caller;
    const units = await this.dataSource.manager.find(OrgUnit, { where: { countyId: user.countyId, kind: In(['township', 'village', 'department']) } });
    const { plans, matches, errors } = planLedgerRows(rows, {
      campaignId: campaign.id,
      problemTypes: campaign.problemTypes,
      units,
      refusal: (unit) => {
        const why = recordingRefusal(user, scope, unit) ?? campaignPlaceRefusal(campaign, unit);
        return why ? `${unit.name}：${REFUSALS[why]}` : null;
      },
      // An export of another campaign numbers that campaign's items.
      readItemNumbers: book.exportedFrom === null || book.exportedFrom === campaign.id,
      now: this.clock.now(),
    });
    const numbered = await this.numberedItems(user, campaign, matches, errors);
    // 行业排查: a department imports only its own sector's problem types.
    for (const plan of plans) {
      const why = sectorTypeRefusal(user, campaign, plan.unit, plan.fields.problemTypeCode);
      if (why) errors.push({ sheet: plan.sheet, row: plan.row, column: '问题类型', message: why });
    }
    if (errors.length) {
      const order = new Map(rows.map((r, i) => [`${r.sheet}\u0000${r.row}`, i]));
      errors.sort((a, b) => order.get(`${a.sheet}\u0000${a.row}`)! - order.get(`${b.sheet}\u0000${b.row}`)!);
      throw rowsRejected(errors, book.sheets.length > 1);
    }
    return {
      sheets: book.sheets.map((s) => s.sheetName),
      plans,
      numbered,
      rowCount: rows.length,
      filledBy: [...new Set(book.sheets.flatMap((s) => s.filledBy))],
      caller,
      fileSha256: createHash('sha256').update(data).digest('hex'),
      filename,
    };
  }

  /** The items 问题编号 names, among those the importer sees; a number of none of them is a row error (as a 404 would be). */
  private async numberedItems(user: AuthUser, campaign: Campaign, matches: LedgerRowMatch[], errors: LedgerRowError[]): Promise<NumberedRow[]> {
    if (matches.length === 0) return [];
    const qb = await this.reads.visibleQuery(user, { campaignId: campaign.id });
    const found: Array<{ id: string; number: number; description: string; household_name: string | null; problem_type_code: string }> = await qb
      .select('i.id', 'id')
      .addSelect('i.number', 'number')
      .addSelect('i.description', 'description')
      .addSelect('i.household_name', 'household_name')
      .addSelect('i.problem_type_code', 'problem_type_code')
      .andWhere('i.number IN (:...numbers)', { numbers: [...new Set(matches.map((m) => m.number))] })
      .getRawMany();
    const items = new Map(found.map((f) => [Number(f.number), f]));
    const numbered: NumberedRow[] = [];
    for (const { says, ...m } of matches) {
      const item = items.get(m.number);
      if (!item) {
        errors.push({ sheet: m.sheet, row: m.row, column: ITEM_NUMBER_HEADER, message: `问题编号 ${m.number} 在该专项行动中不存在，或不在您的范围内` });
        continue;
      }
      const edited = differsFrom(says, { description: item.description, householdName: item.household_name, problemTypeCode: item.problem_type_code });
      numbered.push({ ...m, id: item.id, edited });
    }
    return numbered;
  }

  /** 400 without a file, 415 for anything that is not an .xlsx (zip) file, 413/422 for one too large or that cannot be read. */
  private async readWorkbook(file: UploadedLedger | undefined): Promise<{ workbook: ExcelJS.Workbook; data: Buffer; filename: string }> {
    if (!file || file.size === 0) throw DomainError.validation('file', '请以 multipart/form-data 上传台账文件（字段名 file）');
    if (!startsWith(file.buffer, ZIP_MAGIC)) {
      const why = startsWith(file.buffer, OLE_MAGIC)
        ? '这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入'
        : '文件内容不是 .xlsx 工作簿，只能导入 Excel 2007 及以上版本的 .xlsx 台账';
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', why, [{ field: 'file', message: why }]);
    }
    // What the workbook would cost to read is checked before exceljs reads it whole (413/422 for a zip bomb, a million rows, a huge cell).
    await checkXlsxArchive(file.buffer);
    const workbook = new ExcelJS.Workbook();
    try {
      // Drop-downs, formatting and drawings play no part in reading the rows (a filled template carries thousands of validated cells).
      // exceljs types its Buffer as an ArrayBuffer; a Node Buffer is what it reads at run time.
      await workbook.xlsx.load(file.buffer as unknown as ArrayBuffer, {
        ignoreNodes: ['dataValidations', 'conditionalFormatting', 'picture', 'drawing', 'extLst'],
      });
    } catch {
      throw new DomainError('UNPROCESSABLE', '无法读取该 .xlsx 文件：文件已损坏，或不是 Excel 工作簿', [{ field: 'file', message: '无法读取' }]);
    }
    return { workbook, data: file.buffer, filename: uploadedFileName(file) };
  }
}
