import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../errors/domain-error';

/**
 * Path ids that are not UUIDs cannot name any record: answer 404 like any
 * other record the caller cannot see.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value)) throw DomainError.notFound('记录');
    return value;
  }
}
