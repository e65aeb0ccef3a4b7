import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Expose, plainToInstance, Transform } from 'class-transformer';
import { IsDefined, IsString, validate, ValidateBy } from 'class-validator';
import { CALLBACK_SAMPLES } from '../testing/callback-samples.js';
import { CallbackDecoder } from './callback-decoder.js';
import { appCallbackRegistry } from '../testing/app-callbacks.js';
import { passesValidation } from './compiled-validation.js';
import { plainToDto, usesFastPath } from './dto-instance.js';

const registry = appCallbackRegistry();
const FIXTURES = join(process.cwd(), 'test', 'fixtures');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every callback body the project has: the fixtures and the samples of the test kit and CLI. */
function knownBodies(): { name: string; body: Record<string, Json> }[] {
  const fromFixtures = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ name: file, body: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, Json> }));
  const fromSamples = Object.entries(CALLBACK_SAMPLES).map(([name, body]) => ({ name, body: structuredClone(body) as Record<string, Json> }));
  return [...fromFixtures, ...fromSamples].filter(({ body }) => dtoOf(body) !== undefined);
}

function dtoOf(body: Record<string, Json>): (new () => object) | undefined {
  const command = typeof body.CallbackCommand === 'string' ? body.CallbackCommand : '';
  return registry.findBefore(command)?.dto ?? registry.find(command)?.dto;
}

// What Tencent, a bug or an attacker could put in any field.
const REPLACEMENTS: Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 32,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  '123',
  '-1',
  'a\u0000b',
  '\ud800',
  'y'.repeat(257),
  [],
  ['x'],
  [{}],
  [null],
  [[]],
  {},
  { Key: 'k', Value: 'v', Seq: 1 },
  { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } },
  // Keys class-transformer skips, nested where they can be.
  { toString: 'x', valueOf: 1, hasOwnProperty: null, Key: 'k', Value: 'v', Seq: 2 },
  [{ isPrototypeOf: [], MsgType: 'TIMTextElem', MsgContent: { propertyIsEnumerable: {}, toLocaleString: 'y', Text: 'z' } }],
];

/** The body with one value replaced (or, for `undefined`, its key removed), at every path. */
function* mutations(value: Json, path: string[] = []): Generator<{ path: string; apply: (root: Json) => Json }> {
  if (value === null || typeof value !== 'object') return;
  const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
  for (const key of keys) {
    const at = [...path, key];
    for (const replacement of [undefined, ...REPLACEMENTS]) {
      yield { path: `${at.join('.')} = ${JSON.stringify(replacement) ?? 'removed'}`, apply: (root) => replaced(root, at, replacement) };
    }
    yield* mutations((value as Record<string, Json>)[key]!, at);
  }
}

function replaced(root: Json, path: string[], replacement: Json | undefined): Json {
  const copy = structuredClone(root);
  let parent = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, Json>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

/** Every case: each known body as is, and each one-field mutation of it. */
function* allCases(): Generator<{ name: string; dtoClass: new () => object; payload: Json }> {
  for (const { name, body } of knownBodies()) {
    const dtoClass = dtoOf(body)!;
    yield { name: `${name}: as is`, dtoClass, payload: body };
    for (const { path, apply } of mutations(body)) yield { name: `${name}: ${path}`, dtoClass, payload: apply(body) };
    // Top-level keys that would shadow a member of the instance.
    yield { name: `${name}: with toString and hasOwnProperty`, dtoClass, payload: { ...body, toString: 'x', hasOwnProperty: 1 } };
  }
}

/** Where two values differ: class (prototype), own keys and their order, and every value, all the way down. */
function differences(a: unknown, b: unknown, path = '$'): string[] {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b) ? [] : [`${path}: ${String(a)} vs ${String(b)}`];
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return [`${path}: different classes`];
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.join() !== keysB.join()) return [`${path}: keys ${keysA.map(String).join(',')} vs ${keysB.map(String).join(',')}`];
  return keysA.flatMap((key) => differences((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`));
}

const classValidatorPasses = async (dto: object): Promise<boolean> =>
  (await validate(dto, { forbidUnknownValues: false, stopAtFirstError: true, validationError: { target: false, value: false } })).length === 0;

describe('plainToDto (class-transformer\'s result without its executor)', () => {
  it('builds the same object as plainToInstance for every known body and every one-field mutation of it', () => {
    expect(knownBodies().length).toBeGreaterThanOrEqual(20);
    const disagreements: string[] = [];
    let cases = 0;
    for (const { name, dtoClass, payload } of allCases()) {
      cases++;
      const found = differences(plainToDto(dtoClass, payload as Record<string, unknown>), plainToInstance(dtoClass, payload));
      if (found.length > 0) disagreements.push(`${name}: ${found.slice(0, 3).join('; ')}`);
    }
    expect(disagreements).toEqual([]);
    expect(cases).toBeGreaterThan(6000);
  });

  it('takes the fast path for every command the project models', () => {
    const modelled = registry.commands().map((command) => registry.findBefore(command)?.dto ?? registry.find(command)!.dto);
    expect(modelled.length).toBeGreaterThanOrEqual(12);
    for (const dtoClass of modelled) expect(usesFastPath(dtoClass)).toBe(true);
  });

  it('leaves classes with other class-transformer decorators to class-transformer', () => {
    class Renamed {
      @Expose({ name: 'renamed' })
      field!: string;
    }
    class Trimmed {
      @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
      field!: string;
    }
    expect(plainToDto(Renamed, { renamed: 'x' }).field).toBe('x');
    expect(plainToDto(Trimmed, { field: ' x ' }).field).toBe('x');
    expect(usesFastPath(Renamed)).toBe(false);
    expect(usesFastPath(Trimmed)).toBe(false);
  });
});

describe('passesValidation (class-validator rules without its executor)', () => {
  it('agrees with class-validator on every known body and on every one-field mutation of it', async () => {
    const disagreements: string[] = [];
    let valid = 0;
    let invalid = 0;
    for (const { name, dtoClass, payload } of allCases()) {
      const dto = plainToInstance(dtoClass, payload);
      const expected = await classValidatorPasses(dto);
      if (passesValidation(dto) !== expected) disagreements.push(`${name} (class-validator: ${expected ? 'valid' : 'invalid'})`);
      if (expected) valid++;
      else invalid++;
    }
    expect(disagreements).toEqual([]);
    // Both answers were exercised, many times over.
    expect(valid).toBeGreaterThan(1000);
    expect(invalid).toBeGreaterThan(5000);
  });

  it('answers "not sure" (false) for rules it does not mirror, and the decoder then asks class-validator', async () => {
    class WithAsyncRule {
      @ValidateBy({ name: 'eventually', validator: { validate: async (value: unknown) => Promise.resolve(value === 'ok') } })
      field!: string;
    }
    class WithIsDefined {
      @IsDefined()
      @IsString()
      field!: string;
    }
    for (const dtoClass of [WithAsyncRule, WithIsDefined]) {
      const dto = plainToInstance(dtoClass, { field: 'ok' });
      expect(passesValidation(dto)).toBe(false);
      expect(await classValidatorPasses(dto)).toBe(true);
    }
  });

  it('leaves the decoder\'s answers as class-validator words them', async () => {
    const decoder = new CallbackDecoder(registry);
    const body = structuredClone(CALLBACK_SAMPLES['C2C.CallbackAfterSendMsg']!) as Record<string, unknown>;
    expect((await decoder.decode('C2C.CallbackAfterSendMsg', body)).kind).toBe('modelled');
    body.MsgSeq = -1;
    body.To_Account = '';
    expect(await decoder.decode('C2C.CallbackAfterSendMsg', body)).toEqual({
      kind: 'invalid',
      reason: 'invalid fields: To_Account: must be a non-empty string of at most 256 characters, without NUL or lone surrogates; MsgSeq: must not be less than 0',
    });
  });
});
