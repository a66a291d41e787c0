import { ApiProperty } from '@nestjs/swagger';
import { PROBLEM_ITEM_STATES, type ProblemItemStateName } from '../../workflows';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

/** An item the import created, by the sheet row it came from. */
export class ImportedItemResponse {
  /** The worksheet of the row. */
  sheet!: string;
  /** The row number Excel shows. */
  row!: number;
  id!: string;
  /** 问题编号: the item's number within the campaign. */
  number!: number;
  /** `draft`, or `pending_review` with submit=true. */
  @ApiProperty({ enum: PROBLEM_ITEM_STATES })
  state!: ProblemItemStateName;
  /** 疑似重复: 问题编号 of the campaign's other open items of the same household (ID number) and problem type; the item is created all the same. */
  duplicateOf!: number[];
}

export const MATCHED_BY = ['number', 'content'] as const;

/** A row that created nothing because it is an item that already exists. */
export class MatchedRowResponse {
  sheet!: string;
  /** The row number Excel shows. */
  row!: number;
  /** The item the row is. */
  id!: string;
  number!: number;
  /**
   * `number`: the row's 问题编号 (an exported ledger, maybe edited since) names the item;
   * `content`: the same 乡镇, 行政村, household, type and 具体问题 were imported before, or earlier in this file.
   */
  @ApiProperty({ enum: MATCHED_BY })
  by!: (typeof MATCHED_BY)[number];
  /**
   * The row (by 问题编号) says another 具体问题, 户主姓名 or 问题类型 than its item: it was edited after export.
   * The import changes no item; such edits are made on the item itself (修改, or 退回 and 修改 once submitted).
   */
  edited!: boolean;
}

export class LedgerImportResponse {
  /** The first worksheet the ledger was read from. */
  sheet!: string;
  /** Every worksheet read (one per village, or one for all), in workbook order. */
  sheets!: string[];
  /** Problem rows in the file (blank rows, title and signature lines not counted). */
  rows!: number;
  created!: number;
  /** Rows that created nothing: those in `matched`. */
  skipped!: number;
  /** Whether the created items were also submitted (排查签字). */
  submitted!: boolean;
  items!: ImportedItemResponse[];
  /** Row numbers of the skipped rows (see `matched` for their sheets and items). */
  skippedRows!: number[];
  /** Each row that matched an existing item, and the item. */
  matched!: MatchedRowResponse[];
}
