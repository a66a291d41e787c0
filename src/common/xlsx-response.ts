import { StreamableFile } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An .xlsx download with a UTF-8 (Chinese) file name. */
export function xlsxFile(res: Response, filename: string, data: Buffer): StreamableFile {
  res.setHeader('content-type', XLSX_MIME);
  res.setHeader('content-disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  return new StreamableFile(data);
}

/** Documents an .xlsx download: the workbook is the 200 answer's only content; errors stay JSON. */
export const ApiXlsxResponse = (description = '.xlsx 工作簿'): MethodDecorator =>
  ApiOkResponse({ description, content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } } });
