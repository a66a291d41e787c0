import type { Schemas } from '../../../api/client';

export type LedgerItem = Schemas['ItemResponse'];
export type ItemPage = Schemas['ItemPageResponse'];
export type LedgerImportResult = Schemas['LedgerImportResponse'];
export type LedgerRowError = Schemas['LedgerRowErrorResponse'];
export type MatchedRow = Schemas['MatchedRowResponse'];
