import { ApiProperty } from '@nestjs/swagger';
import { PROBLEM_ITEM_STATES, type ProblemItemStateName } from '../../workflows';

// Enums are listed explicitly: the swagger plugin lists a union's members in the type checker's order, which differs between builds.

/** An item the import created, by the sheet row it came from. */
export class ImportedItemResponse {
  /** The row number Excel shows. */
  row!: number;
  id!: string;
  /** 序号 within the campaign. */
  number!: number;
  /** `draft`, or `pending_review` with submit=true. */
  @ApiProperty({ enum: PROBLEM_ITEM_STATES })
  state!: ProblemItemStateName;
}

export class LedgerImportResponse {
  /** The worksheet the ledger was read from. */
  sheet!: string;
  /** Problem rows in the file (blank rows not counted). */
  rows!: number;
  created!: number;
  /** Rows already imported into this campaign (same 乡镇, 行政村, household, type and 具体问题), or repeated in the file. */
  skipped!: number;
  /** Whether the created items were also submitted (排查签字). */
  submitted!: boolean;
  items!: ImportedItemResponse[];
  /** Row numbers of the skipped rows. */
  skippedRows!: number[];
}
