import { StreamableFile } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Headers of every .xlsx download: a Chinese file name (RFC 5987, with an ASCII
 * fallback) and no caching anywhere, since workbooks may hold personal data.
 */
export function asXlsxDownload(res: Response, filename: string): Response {
  res.setHeader('content-type', XLSX_MIME);
  res.setHeader('content-disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.setHeader('cache-control', 'no-store');
  return res;
}

/** An .xlsx download built in memory (reports); the ledger streams through asXlsxDownload. */
export function xlsxFile(res: Response, filename: string, data: Buffer): StreamableFile {
  asXlsxDownload(res, filename);
  return new StreamableFile(data);
}

/** Documents an .xlsx download: the workbook is the 200 answer's only content; errors stay JSON. */
export const ApiXlsxResponse = (description = '.xlsx 工作簿'): MethodDecorator =>
  ApiOkResponse({ description, content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } } });
