import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { residentIdProblem, type ResidentIdProblem } from './resident-id';

export const IS_RESIDENT_ID = 'isResidentId';

const MESSAGES: Record<ResidentIdProblem, (property: string) => string> = {
  format: (p) => `${p}：身份证号码应为18位（17位数字加1位校验码）`,
  birth_date: (p) => `${p}：身份证号码中的出生日期无效`,
  check_char: (p) => `${p}：身份证号码校验位不正确`,
};

/**
 * The property is an 18-character resident ID (GB 11643). Pair it with a
 * transform that applies `normalizeResidentId`: blanks around the number fail
 * validation. The default message names the property and says what is wrong.
 */
export function IsResidentId(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_RESIDENT_ID,
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && residentIdProblem(value) === null,
        defaultMessage: (args?: ValidationArguments): string => {
          const property = args?.property ?? '身份证号码';
          // With { each: true } the value is the whole array: report its first bad element.
          const value: unknown = args?.value;
          const values: unknown[] = Array.isArray(value) ? value : [value];
          const problem = values
            .map((v): ResidentIdProblem | null => (typeof v === 'string' ? residentIdProblem(v) : 'format'))
            .find((p): p is ResidentIdProblem => p !== null);
          return MESSAGES[problem ?? 'check_char'](property);
        },
      },
    },
    validationOptions,
  );
}
