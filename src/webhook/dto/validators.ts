import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsString, Max, Min, ValidateBy, ValidateNested, type ValidationOptions } from 'class-validator';

const NUL = '\u0000';
const UINT32_MAX = 4_294_967_295;
const INT32_MAX = 2_147_483_647;
// String.prototype.isWellFormed is not in the ES2022 library this project targets.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Ids (users, message keys, accounts, extension keys) end up in primary keys and the inbox's
 * unique dedupe key, whose entries PostgreSQL caps at about 2.7 KB. Tencent's own ids are far
 * shorter (UserID 32 bytes, extension keys 100 bytes).
 */
export const MAX_ID_LENGTH = 256;

/**
 * A string PostgreSQL stores exactly: no NUL, no lone surrogate (text columns would turn it into
 * U+FFFD and two different ids into one). Without `allowEmpty` it is an id: non-empty and at most
 * MAX_ID_LENGTH characters. With `each`, every item of an array is checked.
 */
export function IsStorableString(options: { allowEmpty?: boolean; each?: boolean } = {}): PropertyDecorator {
  const isId = options.allowEmpty !== true;
  const each = options.each === true ? { each: true } : undefined;
  return applyDecorators(
    IsString(each),
    ValidateBy({
      name: 'isStorableString',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          !value.includes(NUL) &&
          !LONE_SURROGATE.test(value) &&
          (!isId || (value.length > 0 && value.length <= MAX_ID_LENGTH)),
        defaultMessage: (args) =>
          isId
            ? `${args?.property ?? 'value'} must be a non-empty string of at most ${MAX_ID_LENGTH} characters, without NUL or lone surrogates`
            : `${args?.property ?? 'value'} must not contain NUL characters or lone surrogates`,
      },
    }, each),
  );
}

/** A signed 32-bit integer (an `integer` column), at least `min`. */
export function IsInt32(min = -INT32_MAX - 1): PropertyDecorator {
  return applyDecorators(IsInt(), Min(min), Max(INT32_MAX));
}

/** A version or sequence number: a non-negative integer a `bigint` column and JavaScript both hold exactly. */
export function IsSequence(): PropertyDecorator {
  return applyDecorators(IsInt(), Min(0), Max(Number.MAX_SAFE_INTEGER));
}

/** An array of objects, each validated as `itemType` (an array of arrays is refused). */
export function IsListOf(itemType: () => new () => object): PropertyDecorator {
  return applyDecorators(IsArray(), IsObject({ each: true }), ValidateNested({ each: true }), Type(itemType));
}

/**
 * `MsgBody`: an array of `{MsgType, MsgContent}`. Only the envelope is checked, without copying the
 * elements into classes: the body is kept exactly as received, an unknown MsgType is never a reason
 * to reject, and a large MsgContent costs nothing to validate.
 */
export function IsMessageBody(): PropertyDecorator {
  return ValidateBy({
    name: 'isMessageBody',
    validator: {
      validate: (value: unknown, args) => {
        const problem = messageBodyProblem(value);
        if (problem && args) (args.object as Record<symbol, string>)[PROBLEM] = problem;
        return problem === undefined;
      },
      defaultMessage: (args) => `${args?.property ?? 'MsgBody'}${(args?.object as Record<symbol, string> | undefined)?.[PROBLEM] ?? ' is invalid'}`,
    },
  });
}

const PROBLEM = Symbol('messageBodyProblem');

function messageBodyProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return ' must be an array';
  for (const [index, element] of value.entries()) {
    if (element === null || typeof element !== 'object' || Array.isArray(element)) return `.${index} must be an object`;
    const { MsgType, MsgContent } = element as { MsgType?: unknown; MsgContent?: unknown };
    if (typeof MsgType !== 'string' || MsgType.length === 0) return `.${index}.MsgType must be a non-empty string`;
    if (MsgContent === null || typeof MsgContent !== 'object' || Array.isArray(MsgContent)) return `.${index}.MsgContent must be an object`;
  }
  return undefined;
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
export function toMillis(value: number | string | null | undefined): number | null {
  return value === undefined || value === null ? null : Number(value);
}
