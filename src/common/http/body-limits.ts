import type { INestApplication } from '@nestjs/common';
import { json, urlencoded } from 'express';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../errors/domain-error';

/**
 * Deepest nesting of arrays and objects a JSON body may have. Our deepest
 * body (a campaign's problem-type tree) nests fewer than ten levels; 2,500
 * levels overflowed the stack in validation, before any login.
 */
export const JSON_MAX_DEPTH = 32;

/**
 * Whether the JSON text nests arrays/objects deeper than `max`, read from its
 * bytes before it is parsed (brackets inside strings do not count). The bytes
 * are UTF-8: no byte of a multi-byte character is a quote, a backslash or a
 * bracket.
 */
export function jsonNestingExceeds(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function verifyJson(_req: IncomingMessage, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') !== 'utf8') {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', '请求体须为 UTF-8 编码的 JSON', [{ field: 'content-type', message: `不支持的字符集 ${encoding}` }]);
  }
  if (jsonNestingExceeds(body, JSON_MAX_DEPTH)) {
    throw DomainError.validation('请求体', `请求体的 JSON 嵌套超过 ${JSON_MAX_DEPTH} 层`);
  }
}

/**
 * The body parsers, registered before Nest's defaults (Nest skips a parser
 * that is already in the stack under its name): JSON and forms up to `maxKb` (a larger body is 413 before it is
 * read whole; a compressed one is measured inflated), JSON no deeper than
 * JSON_MAX_DEPTH, forms with at most 32 levels and 1,000 parameters.
 */
export function useBodyParsers(app: INestApplication, maxKb: number): void {
  const limit = `${maxKb}kb`;
  app.use(json({ limit, verify: verifyJson }));
  // body-parser's own defaults bound forms: 32 levels of nesting (extended), 1,000 parameters.
  app.use(urlencoded({ limit, extended: true, parameterLimit: 1000 }));
}
