import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import type { ProblemItemStateName } from '../../workflows';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { Campaign } from '../campaigns/campaign.entity';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { IdempotencyService, IdempotentRequest } from '../idempotency/idempotency.service';
import { assertMayRecord, assertOpenForNewItems, ItemWriteService, recordingRefusal, type RecordingRefusal } from '../items/item-write.service';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgUnit } from '../orgs/org-unit.entity';
import { ScopeService } from '../orgs/scope.service';
import type { RequestContext } from '../workflow-engine/request-context';
import { LedgerImportResponse } from './ledger-import.response';
import { planLedgerRows, type LedgerRowError } from './ledger-rows';
import { readLedgerSheet } from './ledger-sheet';

/** One transaction writes every row: keep a file to what a township reports at once. */
export const MAX_IMPORT_ROWS = 5000;
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
};

function startsWith(data: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => data[i] === b);
}

/** 400 VALIDATION_FAILED listing each bad cell as 第N行·列名. */
function rowsRejected(errors: LedgerRowError[]): DomainError {
  const rows = new Set(errors.map((e) => e.row)).size;
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  return new DomainError(
    'VALIDATION_FAILED',
    `台账有 ${errors.length} 处错误（共 ${rows} 行），未导入任何问题，请改正后重新导入`,
    listed.map((e) => ({ field: `第${e.row}行·${e.column}`, message: e.message })),
    { errors: listed, errorCount: errors.length },
  );
}

@Injectable()
export class LedgerImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly items: ItemWriteService,
    private readonly scope: ScopeService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Imports a filled ledger into a campaign, all or nothing: every row is
   * checked first and any bad row refuses the file, naming each bad cell; then
   * one transaction records each row as a draft of the importer (with
   * `submit`, also submits it with the importer's 排查签字), through the same
   * item code path as the API. Rows imported before are skipped.
   */
  async importLedger(user: AuthUser, campaignId: string, file: UploadedLedger | undefined, submit: boolean, request: IdempotentRequest): Promise<LedgerImportResponse> {
    assertMayRecord(user);
    const campaign = await this.dataSource.manager.findOne(Campaign, { where: { id: campaignId, countyId: user.countyId } });
    if (!campaign) throw DomainError.notFound('专项行动');
    const { workbook, data, filename } = await this.readWorkbook(file);
    assertOpenForNewItems(campaign);
    const sheet = readLedgerSheet(workbook, MAX_IMPORT_ROWS);
    if (sheet.rows.length === 0) {
      throw new DomainError('UNPROCESSABLE', `工作表「${sheet.sheetName}」第 ${sheet.headerRow} 行表头之下没有填写任何问题`, [{ field: 'file', message: '没有问题行' }]);
    }

    // Scope and actor before the transaction: inside it every query must use its connection.
    const caller = await this.scope.caller(user);
    const { scope } = caller;
    const units = await this.dataSource.manager.find(OrgUnit, { where: { countyId: user.countyId, kind: In(['township', 'village', 'department']) } });
    const { plans, errors } = planLedgerRows(sheet.rows, {
      campaignId: campaign.id,
      problemTypes: campaign.problemTypes,
      units,
      refusal: (unit) => {
        const why = recordingRefusal(user, scope, unit);
        return why ? `${unit.name}：${REFUSALS[why]}` : null;
      },
      now: this.clock.now(),
    });
    if (errors.length) throw rowsRejected(errors);

    const fileSha256 = createHash('sha256').update(data).digest('hex');
    // The file's bytes identify the request: a retried key with another file is a different request.
    const replayable: IdempotentRequest = { ...request, body: { fileSha256, submit } };
    return this.idempotency.run(user, replayable, async (tx) => {
      const ctx: RequestContext = { ...caller, tx };
      // Concurrent imports into one campaign queue on its row, so the second sees the first's rows.
      const locked = await tx.createQueryBuilder(Campaign, 'c').setLock('pessimistic_write').where('c.id = :id', { id: campaign.id }).getOneOrFail();
      assertOpenForNewItems(locked);
      const keys = plans.map((p) => p.fields.importKey);
      const existing = await tx.find(ProblemItem, { select: { id: true, importKey: true }, where: { campaignId: campaign.id, importKey: In(keys) } });
      const seen = new Set(existing.map((i) => i.importKey));

      const result: LedgerImportResponse = { sheet: sheet.sheetName, rows: plans.length, created: 0, skipped: 0, submitted: submit, items: [], skippedRows: [] };
      for (const plan of plans) {
        if (seen.has(plan.fields.importKey)) {
          result.skippedRows.push(plan.row);
          continue;
        }
        seen.add(plan.fields.importKey);
        // Each event runs on the row the transaction just wrote: nothing is read back.
        let loaded = await this.items.createWithin(ctx, locked, plan.unit, plan.fields);
        if (plan.measures) loaded = await this.items.applyTo(ctx, loaded, { type: 'EDIT', measures: plan.measures });
        if (submit) loaded = await this.items.applyTo(ctx, loaded, { type: 'SUBMIT' });
        const { item } = loaded;
        // The state column is the machine's projection: a state name.
        result.items.push({ row: plan.row, id: item.id, number: item.number, state: item.state as ProblemItemStateName });
      }
      result.created = result.items.length;
      result.skipped = result.skippedRows.length;
      await this.audit.record(
        user,
        'ledger.import',
        'campaign',
        campaign.id,
        { filename, fileSha256, created: result.created, skipped: result.skipped, submitted: submit },
        tx,
      );
      return result;
    });
  }

  /** 400 without a file, 415 for anything that is not an .xlsx (zip) file, 422 for one that cannot be read. */
  private async readWorkbook(file: UploadedLedger | undefined): Promise<{ workbook: ExcelJS.Workbook; data: Buffer; filename: string }> {
    if (!file || file.size === 0) throw DomainError.validation('file', '请以 multipart/form-data 上传台账文件（字段名 file）');
    if (!startsWith(file.buffer, ZIP_MAGIC)) {
      const why = startsWith(file.buffer, OLE_MAGIC)
        ? '这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入'
        : '文件内容不是 .xlsx 工作簿，只能导入 Excel 2007 及以上版本的 .xlsx 台账';
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', why, [{ field: 'file', message: why }]);
    }
    const workbook = new ExcelJS.Workbook();
    try {
      // Drop-downs, formatting and drawings play no part in reading the rows (a filled template carries thousands of validated cells).
      // exceljs types its Buffer as an ArrayBuffer; a Node Buffer is what it reads at run time.
      await workbook.xlsx.load(file.buffer as unknown as ArrayBuffer, { ignoreNodes: ['dataValidations', 'conditionalFormatting', 'picture', 'drawing', 'extLst'] });
    } catch {
      throw new DomainError('UNPROCESSABLE', '无法读取该 .xlsx 文件：文件已损坏，或不是 Excel 工作簿', [{ field: 'file', message: '无法读取' }]);
    }
    // multer hands over the multipart file name as latin1 bytes.
    return { workbook, data: file.buffer, filename: Buffer.from(file.originalname, 'latin1').toString('utf8') };
  }
}
