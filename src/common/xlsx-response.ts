import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An .xlsx download with a UTF-8 (Chinese) file name. */
export function xlsxFile(res: Response, filename: string, data: Buffer): StreamableFile {
  res.setHeader('content-type', XLSX_MIME);
  res.setHeader('content-disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  return new StreamableFile(data);
}
