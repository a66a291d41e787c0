import { IsIn, IsInt, Max, Min } from 'class-validator';

/** A county's password policy. Bounds: GB/T 22239 asks for complex passwords changed periodically, so none can be switched off. */
export class UpdatePasswordPolicyDto {
  /** Minimum length, 8–64. */
  @Min(8, { message: 'minLength 不能小于 8（口令至少 8 位）' })
  @Max(64, { message: 'minLength 不能大于 64' })
  // The type check last: class-validator reports the constraint nearest the property first.
  @IsInt()
  minLength!: number;

  /** Character classes (upper case, lower case, digits, symbols) a password must mix: 3 or 4. */
  @IsIn([3, 4], { message: 'minCharClasses 只能是 3 或 4（大写字母、小写字母、数字、符号中的至少三类或全部四类）' })
  @IsInt()
  minCharClasses!: number;

  /** Days after which a password must be changed, 1–365. */
  @Min(1, { message: 'maxAgeDays 不能小于 1（口令须定期更换）' })
  @Max(365, { message: 'maxAgeDays 不能大于 365' })
  @IsInt()
  maxAgeDays!: number;

  /** How many recent passwords (the current one included) a change may not reuse, 1–24. */
  @Min(1, { message: 'historySize 不能小于 1' })
  @Max(24, { message: 'historySize 不能大于 24' })
  @IsInt()
  historySize!: number;
}
