import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';

/**
 * Text the database cannot store, refused where it enters: a NUL character
 * (PostgreSQL's text and jsonb refuse U+0000) and a lone UTF-16 surrogate
 * (no UTF-8 encoding; jsonb refuses its `\ud800` escape). JSON bodies can
 * carry both as `\u0000`/`\ud800` escapes; query strings and cookies carry
 * NUL as `%00`. Either reached a query and answered 500.
 */
// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnsafeText {
  /** Where the text is: the body path (`phases.0.name`), the query parameter, the cookie or the header. */
  field: string;
  message: string;
}

/** A key as the error names it: NUL and lone surrogates escaped, so the answer is itself valid text. */
function printable(key: string): string {
  return UNSAFE.test(key) ? JSON.stringify(key).slice(1, -1) : key;
}

function problem(field: string, text: string): UnsafeText {
  const what = text.includes('\u0000') ? '空字符（U+0000）' : '无效的 Unicode 字符（不成对的代理项）';
  return { field, message: `${field}包含不允许的字符：${what}` };
}

/**
 * The first string (or object key) in `value` the database could not store,
 * with its path; null when there is none. Iterative: the depth of what it
 * walks is bounded by the body parsers, but the walk should not depend on it.
 */
export function findUnsafeText(value: unknown, prefix = ''): UnsafeText | null {
  const stack: Array<[unknown, string]> = [[value, prefix]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSAFE.test(v)) return problem(path || '请求体', v);
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${printable(key)}` : printable(key);
        if (UNSAFE.test(key)) return problem(childPath, key);
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

function refuse(p: UnsafeText): DomainError {
  return DomainError.validation(p.field, p.message);
}

/** Request headers the service reads as text (the session list stores the user agent). */
const READ_HEADERS = ['user-agent', 'idempotency-key', 'x-request-id'];

/**
 * Express middleware after the JSON/form parsers and cookie-parser: body,
 * query string, cookies and the headers the service reads, before any guard
 * (login reads its body in a guard). Multipart fields are parsed later, by
 * the route's interceptor; SafeTextPipe covers them.
 */
export function rejectUnsafeText(req: Request, _res: Response, next: NextFunction): void {
  const found =
    findUnsafeText(req.body) ??
    findUnsafeText(req.query) ??
    findUnsafeText(req.cookies, 'cookie') ??
    READ_HEADERS.map((h) => (typeof req.headers[h] === 'string' ? findUnsafeText(req.headers[h], h) : null)).find((p) => p !== null) ??
    null;
  next(found ? refuse(found) : undefined);
}

/** Global pipe: every body, query and path parameter a handler receives, multipart fields included (not custom decorators: what they return is ours). */
@Injectable()
export class SafeTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = findUnsafeText(value);
    if (found) throw refuse(found);
    return value;
  }
}

/**
 * The name of a multipart upload as the user wrote it (multer hands it over
 * as latin1 bytes of its UTF-8), refused like any other text the database
 * could not store.
 */
export function uploadedFileName(file: { originalname: string }): string {
  const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
  const found = findUnsafeText(name, '文件名');
  if (found) throw refuse({ field: 'file', message: found.message });
  return name;
}
