import { applyDecorators } from '@nestjs/common';
import { IsInt, IsString, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';

const NUL = '\u0000';
const UINT32_MAX = 4_294_967_295;

/** A string PostgreSQL can store in a text column (no NUL), optionally non-empty. */
export function IsStorableString(options: { allowEmpty?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    IsString(),
    ValidateBy({
      name: 'isStorableString',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && !value.includes(NUL) && (options.allowEmpty === true || value.length > 0),
        defaultMessage: (args) =>
          options.allowEmpty === true ? `${args?.property ?? "value"} must not contain NUL characters` : `${args?.property ?? "value"} must be a non-empty string without NUL characters`,
      },
    }),
  );
}

/** Tencent's 32-bit unsigned integers (MsgSeq, MsgRandom). */
export function IsUint32(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(UINT32_MAX));
}

/** Unix seconds or milliseconds: a non-negative safe integer. */
export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(Number.MAX_SAFE_INTEGER));
}

/** `EventTime`: an integer, or (as at least one published sample sends it) a string of digits. */
export function IsIntegerOrNumericString(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIntegerOrNumericString',
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) ||
          (typeof value === 'string' && /^\d{1,15}$/.test(value)),
        defaultMessage: (args) => `${args?.property ?? "value"} must be a non-negative integer or a string of digits`,
      },
    },
    validationOptions,
  );
}

/** Normalises an `EventTime` that passed IsIntegerOrNumericString. */
export function toMillis(value: number | string | undefined): number | null {
  return value === undefined ? null : Number(value);
}
