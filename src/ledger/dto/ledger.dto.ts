import { OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { ListItemsQuery } from '../../items/dto/item.dto';

/** The item list's filters (GET /api/items), unpaged; the campaign is the path's. */
export class LedgerExportQuery extends OmitType(ListItemsQuery, ['campaignId', 'limit', 'cursor'] as const) {}

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/**
 * `submit=true`: every imported row is submitted (排查签字 by the importer) and
 * goes to review; otherwise rows become the importer's drafts. Accepted as a
 * query parameter or as a multipart form field.
 */
export class LedgerImportOptions {
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  submit?: boolean;
}
