import { validateSync } from 'class-validator';
import { IsResidentId } from './resident-id.validator';

class HouseholdDto {
  @IsResidentId()
  idNumber!: unknown;
}

class CustomMessageDto {
  @IsResidentId({ message: '户主身份证号码有误' })
  idNumber!: unknown;
}

class ManyDto {
  @IsResidentId({ each: true })
  idNumbers!: unknown;
}

function errorsOf<T extends object>(dto: T): string[] {
  return validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));
}

function make<T extends object>(cls: new () => T, values: Partial<T>): T {
  return Object.assign(new cls(), values);
}

describe('@IsResidentId', () => {
  it('passes a valid number, also with a lowercase x', () => {
    expect(errorsOf(make(HouseholdDto, { idNumber: '11010519491231002X' }))).toEqual([]);
    expect(errorsOf(make(HouseholdDto, { idNumber: '11010519491231002x' }))).toEqual([]);
  });

  it('names the property and says the check character is wrong', () => {
    expect(errorsOf(make(HouseholdDto, { idNumber: '110105194912310021' }))).toEqual(['idNumber：身份证号码校验位不正确']);
  });

  it('says what else is wrong: the format or the birth date', () => {
    expect(errorsOf(make(HouseholdDto, { idNumber: '1101051949' }))).toEqual(['idNumber：身份证号码应为18位（17位数字加1位校验码）']);
    expect(errorsOf(make(HouseholdDto, { idNumber: '110105194913310020' }))).toEqual(['idNumber：身份证号码中的出生日期无效']);
  });

  it('rejects values that are not strings', () => {
    expect(errorsOf(make(HouseholdDto, { idNumber: 11010519491231002 }))).toHaveLength(1);
    expect(errorsOf(make(HouseholdDto, { idNumber: undefined }))).toHaveLength(1);
  });

  it('uses a caller-supplied message', () => {
    expect(errorsOf(make(CustomMessageDto, { idNumber: 'x' }))).toEqual(['户主身份证号码有误']);
  });

  it('validates each element with { each: true } and reports the first bad one', () => {
    expect(errorsOf(make(ManyDto, { idNumbers: ['11010519491231002X'] }))).toEqual([]);
    expect(errorsOf(make(ManyDto, { idNumbers: ['11010519491231002X', '110105194912310021'] }))).toEqual(['idNumbers：身份证号码校验位不正确']);
  });
});
