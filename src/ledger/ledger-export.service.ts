import { residentIdKeys } from '../common/crypto/resident-id-keys';
import { isCampaignVisible } from '../campaigns/campaign-visibility';
import { ScopeService } from '../orgs/scope.service';
import { Injectable, Logger } from '@nestjs/common';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { SelectQueryBuilder } from 'typeorm';
import { problemItemStateLabel, SIGNATURE_KIND_BY_EVENT } from '../../workflows';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { Campaign } from '../campaigns/campaign.entity';
import { flattenProblemTypes } from '../campaigns/presets';
import { StandbyReads } from '../database/standby-reads';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { maskResidentId } from '../common/validation/resident-id';
import { ItemReadService } from '../items/item-read.service';
import { seesFullIdNumbers } from '../items/item.mapper';
import { ProblemItem } from '../items/problem-item.entity';
import { OrgUnit } from '../orgs/org-unit.entity';
import { Signature } from '../signatures/signature.entity';
import { User } from '../users/user.entity';
import { LedgerExportQuery } from './dto/ledger.dto';
import { MAX_IMPORT_ROWS } from './ledger-import.service';
import {
  chineseDate,
  DATE_FORMAT,
  EXPORT_INFO_CAMPAIGN,
  EXPORT_INFO_SHEET,
  FILLED_BY_LABEL,
  ITEM_NUMBER_HEADER,
  LEDGER_COLUMNS,
  ledgerTitle,
  REVIEWED_BY_LABEL,
  STATE_HEADER,
  templateNote,
} from './ledger-layout';

/** Rows fetched per round trip; the sheet never holds more than one batch. */
const BATCH = 2000;
/** Template rows that carry the 问题类型 drop-down: as many as one import takes. */
const TEMPLATE_ROWS = MAX_IMPORT_ROWS;
const TEMPLATE_BLANK_ROWS = 20;
const TYPES_SHEET = '问题类型';

const THIN = { style: 'thin' as const };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 16 }, alignment: { horizontal: 'center', vertical: 'middle' } };
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  border: BORDER,
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
};
const WRAP: Partial<ExcelJS.Alignment> = { vertical: 'top', wrapText: true };

interface RangeValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

export interface LedgerDownload {
  filename: string;
}

interface LedgerRowData {
  number: number;
  state: string;
  unit_name: string;
  unit_kind: string;
  township_name: string | null;
  household_name: string | null;
  household_id_cipher: string | null;
  problem_type_code: string;
  description: string;
  measures: string | null;
  rectifier_name: string | null;
  planned_rectifier_name: string | null;
  deadline: string | null;
  planned_deadline: string | null;
  remark: string | null;
}

type Drainable = Pick<Writable, 'once' | 'off'>;

/** Node streams say writableNeedDrain; the readable-stream copy inside archiver only keeps it in its state. */
function needsDrain(stream: Drainable): boolean {
  return (stream as Writable).writableNeedDrain ?? (stream as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain ?? false;
}

/** Resolves once `stream` has drained, or when `closed` settles (a client that went away drains nothing). */
function drained(stream: Drainable, closed: Promise<void>): Promise<void> {
  if (!needsDrain(stream)) return Promise.resolve();
  let done: () => void = () => undefined;
  const drain = new Promise<void>((resolve) => (done = resolve));
  stream.once('drain', done).once('error', done);
  return Promise.race([drain, closed]).finally(() => stream.off('drain', done).off('error', done));
}

/**
 * exceljs pipes a sheet's XML into the zip without heeding backpressure (its
 * StreamBuf ignores write()'s answer), so a fast database outruns compression
 * and the XML piles up. The stream it pipes into, the archiver's input, does
 * know what waits: waiting for it after each batch keeps about one batch of
 * XML in memory whatever the size of the ledger. Undefined if exceljs changes
 * shape; only the response's own backpressure is then heeded.
 */
function zipInputOf(ws: ExcelJS.Worksheet): Drainable | undefined {
  const pipes = (ws as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const first = Array.isArray(pipes) ? (pipes[0] as Partial<Drainable> | undefined) : undefined;
  return typeof first?.once === 'function' && typeof first.off === 'function' ? (first as Drainable) : undefined;
}

const asDate = (iso: string | null): Date | undefined => (iso ? new Date(`${iso}T00:00:00Z`) : undefined);

@Injectable()
export class LedgerExportService {
  private readonly logger = new Logger('LedgerExport');

  constructor(
    // The export route reads from a standby when there is one (@ReadsFromStandby); the template, from the primary.
    private readonly reads: StandbyReads,
    private readonly items: ItemReadService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly scope: ScopeService,
  ) {}

  /**
   * Streams the ledger of a campaign, as GET /api/items would list it (scope
   * and filters), into the stream `open` returns. Everything that can be
   * refused is checked before `open` is called, so errors are ordinary HTTP
   * answers; the rows then go from PostgreSQL to the client in keyset batches
   * without the sheet ever being held in memory. A failure mid-stream destroys
   * the stream, so the client sees an aborted download rather than a short file.
   */
  async exportLedger(user: AuthUser, campaignId: string, q: LedgerExportQuery, open: (d: LedgerDownload) => Writable): Promise<void> {
    const campaign = await this.campaignOrThrow(user, campaignId);
    const base = await this.items.visibleQuery(user, { ...q, campaignId: campaign.id });
    const [countyName, scopeLabel, signers] = await Promise.all([this.countyName(campaign), this.scopeLabel(user, q.orgUnitId), this.signers(base)]);
    const fullIds = seesFullIdNumbers(user);
    if (fullIds) await this.audit.record(user, 'ledger.export_full_id', 'campaign', campaign.id, { filters: { ...q } });
    const typeNames = new Map(flattenProblemTypes(campaign.problemTypes).map((t) => [t.code, t.name]));
    const title = ledgerTitle(countyName, campaign.title);
    const today = this.clock.today();

    const out = open({ filename: `${title}-${today.replace(/-/g, '')}.xlsx` });
    let gone = false;
    const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
    void closed.then(() => (gone = !out.writableFinished));
    try {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      wb.creator = user.displayName;
      const ws = wb.addWorksheet('问题台账', { views: [{ state: 'frozen', ySplit: 3 }] });
      const headers = [ITEM_NUMBER_HEADER, ...LEDGER_COLUMNS.map((c) => c.header), STATE_HEADER];
      ws.columns = [
        { width: 9 },
        ...LEDGER_COLUMNS.map((c) => ({ width: c.width, style: c.key === 'deadline' ? { numFmt: DATE_FORMAT } : c.width >= 30 ? { alignment: WRAP } : {} })),
        { width: 10 },
      ];
      this.writeHead(ws, headers.length, title, scopeLabel, chineseDate(today));
      const header = ws.addRow(headers);
      header.eachCell((cell) => (cell.style = HEADER_STYLE));
      header.commit();

      let after = 0;
      while (!gone) {
        const batch: LedgerRowData[] = await this.rows(base, after);
        for (const r of batch) {
          // Blank cells are left out (undefined) rather than written as empty strings.
          ws.addRow([
            r.number,
            r.unit_kind === 'village' ? (r.township_name ?? undefined) : r.unit_name,
            r.unit_kind === 'village' ? r.unit_name : undefined,
            r.household_name || undefined,
            shownIdNumber(r.household_id_cipher, fullIds),
            typeNames.get(r.problem_type_code) ?? r.problem_type_code,
            r.description,
            r.measures || undefined,
            r.rectifier_name || r.planned_rectifier_name || undefined,
            asDate(r.deadline ?? r.planned_deadline),
            r.remark || undefined,
            problemItemStateLabel(r.state),
          ]).commit();
        }
        if (batch.length < BATCH) break;
        after = batch[batch.length - 1].number;
        const zipInput = zipInputOf(ws);
        if (zipInput) await drained(zipInput, closed);
        await drained(out, closed);
      }
      if (gone) return;

      ws.addRow([]).commit();
      for (const line of [FILLED_BY_LABEL + signers.investigators.join('、'), REVIEWED_BY_LABEL + signers.reviewers.join('、')]) {
        const row = ws.addRow([line]);
        ws.mergeCells(row.number, 1, row.number, headers.length);
        row.commit();
      }
      ws.commit();
      // Which campaign 问题编号 numbers: a re-import into this campaign matches the rows to their items, one into another reads them afresh.
      const info = wb.addWorksheet(EXPORT_INFO_SHEET, { state: 'hidden' });
      info.addRow([EXPORT_INFO_CAMPAIGN, campaign.id]).commit();
      info.commit();
      // A client that leaves during the last bytes never lets the stream finish.
      await Promise.race([wb.commit(), closed]);
    } catch (e) {
      this.logger.error(`ledger export of campaign ${campaign.id} failed mid-stream: ${e instanceof Error ? e.message : String(e)}`);
      out.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** An empty ledger in the same layout, with the campaign's problem types as a drop-down list (from a hidden sheet). */
  async template(user: AuthUser, campaignId: string): Promise<{ filename: string; data: Buffer }> {
    const campaign = await this.campaignOrThrow(user, campaignId);
    const title = ledgerTitle(await this.countyName(campaign), campaign.title);
    const typeNames = [...new Set(flattenProblemTypes(campaign.problemTypes).map((t) => t.name))];

    const wb = new ExcelJS.Workbook();
    wb.creator = user.displayName;
    const ws = wb.addWorksheet('问题台账', { views: [{ state: 'frozen', ySplit: 3 }] });
    const types = wb.addWorksheet(TYPES_SHEET, { state: 'hidden' });
    typeNames.forEach((name, i) => (types.getCell(i + 1, 1).value = name));

    ws.columns = LEDGER_COLUMNS.map((c) => ({
      width: c.width,
      style: c.key === 'idNumber' ? { numFmt: '@' } : c.key === 'deadline' ? { numFmt: DATE_FORMAT } : {},
    }));
    this.writeHead(ws, LEDGER_COLUMNS.length, title, '', '');
    ws.addRow(LEDGER_COLUMNS.map((c) => c.header)).eachCell((cell) => (cell.style = HEADER_STYLE));
    for (let i = 0; i < TEMPLATE_BLANK_ROWS; i++) {
      const row = ws.addRow([]);
      for (let c = 1; c <= LEDGER_COLUMNS.length; c++) row.getCell(c).border = BORDER;
    }
    ws.addRow([]);
    for (const line of [FILLED_BY_LABEL, REVIEWED_BY_LABEL, templateNote(typeNames)]) {
      const row = ws.addRow([line]);
      ws.mergeCells(row.number, 1, row.number, LEDGER_COLUMNS.length);
      row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    }
    ws.lastRow!.height = 48;

    const typeColumn = LEDGER_COLUMNS.findIndex((c) => c.key === 'problemType') + 1;
    const letter = ws.getColumn(typeColumn).letter;
    // One rule for the whole range: exceljs supports ranges at run time (worksheet.dataValidations), its typings only per cell.
    (ws as unknown as RangeValidations).dataValidations.add(`${letter}4:${letter}${3 + TEMPLATE_ROWS}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`'${TYPES_SHEET}'!$A$1:$A$${typeNames.length}`],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: '问题类型',
      error: '请从下拉列表中选择该专项行动的问题类型',
    });
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    return { filename: `${title}（模板）.xlsx`, data };
  }

  private writeHead(ws: ExcelJS.Worksheet, width: number, title: string, scopeLabel: string, date: string): void {
    const titleRow = ws.addRow([title]);
    ws.mergeCells(1, 1, 1, width);
    titleRow.getCell(1).style = TITLE_STYLE;
    titleRow.height = 28;
    titleRow.commit();
    const half = Math.ceil(width / 2);
    const meta = ws.addRow([]);
    meta.getCell(1).value = `乡镇：${scopeLabel}`;
    meta.getCell(half + 1).value = `时间：${date}`;
    ws.mergeCells(2, 1, 2, half);
    ws.mergeCells(2, half + 1, 2, width);
    meta.commit();
  }

  private async campaignOrThrow(user: AuthUser, id: string): Promise<Campaign> {
    const campaign = await this.reads.manager().findOne(Campaign, { where: { id, countyId: user.countyId } });
    // A township's own campaign does not exist for other townships.
    if (!campaign || !isCampaignVisible(campaign, await this.scope.scopeOf(user))) throw DomainError.notFound('专项行动');
    return campaign;
  }

  private async countyName(campaign: Campaign): Promise<string> {
    return (await this.reads.manager().findOneByOrFail(OrgUnit, { id: campaign.countyId })).name;
  }

  /** What 乡镇： says: the unit filtered on, else the caller's own unit below the county, else 全县. */
  private async scopeLabel(user: AuthUser, orgUnitId: string | undefined): Promise<string> {
    const id = orgUnitId ?? (user.orgUnitKind === 'county' || user.orgUnitKind === 'supervision_group' ? null : user.orgUnitId);
    if (!id) return '全县';
    const unit = await this.reads.manager().findOne(OrgUnit, { where: { id, countyId: user.countyId } });
    if (!unit || unit.kind === 'county') return '全县';
    if (unit.kind !== 'village' || !unit.parentId) return unit.name;
    const township = await this.reads.manager().findOneBy(OrgUnit, { id: unit.parentId });
    return township ? `${township.name} ${unit.name}` : unit.name;
  }

  /** 填报人 and 乡镇分管负责人 of the exported items, from their 排查 and 审核 signatures, in one aggregate query. */
  private async signers(base: SelectQueryBuilder<ProblemItem>): Promise<{ investigators: string[]; reviewers: string[] }> {
    const ids = base.clone().select('i.id');
    const filled = SIGNATURE_KIND_BY_EVENT.SUBMIT;
    const reviewed = SIGNATURE_KIND_BY_EVENT.CONFIRM;
    const rows: Array<{ kind: string; names: string[] }> = await this.reads
      .manager()
      .createQueryBuilder()
      .select('s.kind', 'kind')
      .addSelect('array_agg(DISTINCT s.signer_name ORDER BY s.signer_name)', 'names')
      .from(Signature, 's')
      .where(`s.subject_id IN (${ids.getQuery()})`)
      .andWhere("s.subject_type = 'item'")
      .andWhere('s.kind IN (:...signerKinds)')
      .setParameters({ ...ids.getParameters(), signerKinds: [filled, reviewed] })
      .groupBy('s.kind')
      .getRawMany();
    const names = (kind: string) => rows.find((r) => r.kind === kind)?.names ?? [];
    return { investigators: names(filled!), reviewers: names(reviewed!) };
  }

  /** The next batch after 序号 `after`, by 序号: (campaign_id, number) is unique and indexed. */
  private rows(base: SelectQueryBuilder<ProblemItem>, after: number): Promise<LedgerRowData[]> {
    return base
      .clone()
      .select('i.number', 'number')
      .addSelect('i.state', 'state')
      .addSelect('ou.name', 'unit_name')
      .addSelect('ou.kind', 'unit_kind')
      .addSelect('tw.name', 'township_name')
      .addSelect('i.household_name', 'household_name')
      .addSelect('i.household_id_cipher', 'household_id_cipher')
      .addSelect('i.problem_type_code', 'problem_type_code')
      .addSelect('i.description', 'description')
      .addSelect('i.measures', 'measures')
      .addSelect('r.display_name', 'rectifier_name')
      .addSelect('i.planned_rectifier_name', 'planned_rectifier_name')
      .addSelect("to_char(i.deadline, 'YYYY-MM-DD')", 'deadline')
      .addSelect("to_char(i.planned_deadline, 'YYYY-MM-DD')", 'planned_deadline')
      .addSelect('i.remark', 'remark')
      .innerJoin(OrgUnit, 'ou', 'ou.id = i.org_unit_id')
      .leftJoin(OrgUnit, 'tw', 'tw.id = i.township_id')
      .leftJoin(User, 'r', 'r.id = i.rectifier_id')
      .andWhere('i.number > :after', { after })
      .orderBy('i.number', 'ASC')
      .limit(BATCH)
      .getRawMany<LedgerRowData>();
  }
}

/** The number as the exporting user may see it: full or masked; blank when none is stored (or it does not decrypt). */
function shownIdNumber(cipher: string | null, full: boolean): string | undefined {
  const plain = cipher ? residentIdKeys().decrypt(cipher) : null;
  return plain ? (full ? plain : maskResidentId(plain)) : undefined;
}
