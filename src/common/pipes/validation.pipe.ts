import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorDetail } from '../errors/domain-error';

/**
 * Chinese wording for class-validator's constraint names, so every 400 names
 * the field in the user's language. Constraints not listed keep their own
 * message (our custom validators already write Chinese).
 */
const MESSAGES: Record<string, (field: string) => string> = {
  whitelistValidation: (f) => `不允许的字段：${f}`,
  isDefined: (f) => `${f}不能为空`,
  isNotEmpty: (f) => `${f}不能为空`,
  isString: (f) => `${f}必须是字符串`,
  isBoolean: (f) => `${f}必须是布尔值`,
  isInt: (f) => `${f}必须是整数`,
  isNumber: (f) => `${f}必须是数字`,
  isUuid: (f) => `${f}必须是有效的 UUID`,
  isEnum: (f) => `${f}取值不在允许范围内`,
  isIn: (f) => `${f}取值不在允许范围内`,
  isArray: (f) => `${f}必须是数组`,
  arrayNotEmpty: (f) => `${f}不能为空数组`,
  arrayMinSize: (f) => `${f}元素数量不足`,
  arrayMaxSize: (f) => `${f}元素数量过多`,
  isDateString: (f) => `${f}必须是有效的日期（YYYY-MM-DD 或 ISO 8601）`,
  isIso8601: (f) => `${f}必须是有效的日期（YYYY-MM-DD 或 ISO 8601）`,
  minLength: (f) => `${f}长度不足`,
  maxLength: (f) => `${f}长度超出限制`,
  min: (f) => `${f}数值过小`,
  max: (f) => `${f}数值过大`,
  matches: (f) => `${f}格式不正确`,
  isMobilePhone: (f) => `${f}不是有效的手机号码`,
  isObject: (f) => `${f}必须是对象`,
  nestedValidation: (f) => `${f}格式不正确`,
};

const PRIORITY = ['whitelistValidation', 'isDefined', 'isNotEmpty'];

/** What users call a field, by its path in the body; fields without a label are named by their path. */
export type FieldLabels = Readonly<Record<string, string>>;

function flatten(errors: ValidationError[], labels: FieldLabels, prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {});
    // One message per field: "missing" explains more than "too long" when both fire on an absent value.
    const [name, original] = constraints.find(([n]) => PRIORITY.includes(n)) ?? constraints[0] ?? [];
    // Our own decorators already speak Chinese; only class-validator's English defaults are replaced.
    const translated = original && /[\u4e00-\u9fff]/.test(original) ? original : MESSAGES[name ?? '']?.(labels[field] ?? field);
    const own = name ? [{ field, message: translated ?? original ?? '' }] : [];
    return [...own, ...flatten(e.children ?? [], labels, field)];
  });
}

/** 400 VALIDATION_FAILED naming every field (by its label where it has one). */
export function validationFailed(details: ErrorDetail[], labels: FieldLabels = {}): DomainError {
  const fields = [...new Set(details.map((d) => labels[d.field] ?? d.field))].join('、');
  return new DomainError('VALIDATION_FAILED', `请求参数有误：${fields}`, details);
}

/**
 * The one global pipe: strict whitelist, transform, errors in our shape. With
 * `labels`, messages name fields as users know them (a pipe for one body).
 */
export function createValidationPipe(labels: FieldLabels = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(flatten(errors, labels), labels),
  });
}
