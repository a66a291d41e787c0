import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isIsoDate, isIsoDateTime } from '../../../workflows/common';

export const IS_CALENDAR_DATE = 'isCalendarDate';
export const IS_INSTANT = 'isInstant';

/**
 * A `YYYY-MM-DD` date that exists in the calendar: the format check alone let
 * 2030-02-31 through, which PostgreSQL then refused (a 500), once after it
 * had been signed into a chain. The rule is the machines' own (`isIsoDate`),
 * so the edge and the workflow guards cannot disagree about a date.
 */
export function IsCalendarDate(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_CALENDAR_DATE,
      validator: {
        validate: (value: unknown): boolean => isIsoDate(value),
        defaultMessage: (args?: ValidationArguments): string => `${args?.property ?? '日期'}必须是存在的日期（YYYY-MM-DD）`,
      },
    },
    validationOptions,
  );
}

/** A date, or an ISO 8601 instant with an explicit offset (`2021-06-25T08:00:00Z`), every part real (`isIsoDateTime`). */
export function IsInstant(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_INSTANT,
      validator: {
        validate: (value: unknown): boolean => isIsoDateTime(value),
        defaultMessage: (args?: ValidationArguments): string =>
          `${args?.property ?? '时间'}必须是存在的日期或带时区的时间（如 2021-06-25 或 2021-06-25T08:00:00Z）`,
      },
    },
    validationOptions,
  );
}
