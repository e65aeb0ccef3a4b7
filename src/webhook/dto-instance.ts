import { plainToInstance } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';

/**
 * `plainToInstance(dtoClass, payload)` for a parsed JSON payload, built by a short walk when the
 * class (and every class its @Type decorators name) uses nothing but @Type, and by
 * class-transformer itself otherwise.
 *
 * Why: after validation moved off class-validator's executor, class-transformer was most of the
 * pipe's cost (about 11 of 13 µs per bench callback in a loop), spent looking up expose, exclude,
 * type and transform metadata for every key of every nested object. The result is the same
 * object: the same classes, own keys in the same order, the same values, keys that would shadow a
 * method or a getter skipped as class-transformer skips them. dto-fast-path.spec.ts compares the
 * two on every fixture and thousands of mutations of them.
 */
export function plainToDto<T extends object>(dtoClass: new () => T, payload: Record<string, unknown>): T {
  const plan = planOf(dtoClass);
  if (plan) {
    try {
      return instantiate(plan, payload) as T;
    } catch (error) {
      if (!(error instanceof NotMirrored)) throw error;
    }
  }
  return plainToInstance(dtoClass, payload);
}

/** Whether plainToDto builds instances of this class itself (false: class-transformer does). */
export function usesFastPath(dtoClass: new () => object): boolean {
  return planOf(dtoClass) !== undefined;
}

type DtoClass = new () => object;

interface TypeMetadata {
  typeFunction?: (options: { newObject: unknown; object: unknown; property: string }) => unknown;
  reflectedType?: unknown;
  options?: { discriminator?: unknown };
}

interface Plan {
  readonly target: DtoClass;
  /** @Type metadata by property, the class's own over its ancestors'. */
  readonly types: ReadonlyMap<string, TypeMetadata>;
}

/** A value class-transformer would treat in a way not mirrored here: it decides. */
class NotMirrored extends Error {}

// What class-transformer 0.5.1 keeps (private fields of its storage): read to know whether a class
// uses only @Type. Anything unexpected turns the fast path off.
interface StorageInternals {
  _typeMetadatas?: unknown;
  _transformMetadatas?: unknown;
}
const internals = defaultMetadataStorage as unknown as StorageInternals;
const typeMetadatas = internals._typeMetadatas instanceof Map ? (internals._typeMetadatas as Map<unknown, Map<string, TypeMetadata>>) : undefined;
const transformMetadatas = internals._transformMetadatas instanceof Map ? (internals._transformMetadatas as Map<unknown, unknown>) : undefined;

const plans = new Map<DtoClass, Plan | undefined>();
/** Keys class-transformer skips in a plain object: they would shadow Object.prototype's members. */
const OBJECT_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype).filter((key) => key !== '__proto__'));
/** Types @Type may name that class-transformer converts values to, rather than instantiate. */
const CONVERTED_TYPES = new Set<unknown>([String, Number, Boolean, Date, Buffer, Map, Set, Promise]);

function planOf(target: DtoClass): Plan | undefined {
  if (!plans.has(target)) plans.set(target, buildPlan(target));
  return plans.get(target);
}

function buildPlan(target: DtoClass): Plan | undefined {
  if (!typeMetadatas || !transformMetadatas) return undefined;
  const lineage = [target, ...ancestorsOf(target)];
  if (defaultMetadataStorage.getStrategy(target) !== 'none') return undefined;
  if (defaultMetadataStorage.getExposedMetadatas(target).length > 0 || defaultMetadataStorage.getExcludedMetadatas(target).length > 0) return undefined;
  if (lineage.some((cls) => transformMetadatas.has(cls))) return undefined;
  const types = new Map<string, TypeMetadata>();
  for (const cls of lineage) {
    for (const [property, metadata] of typeMetadatas.get(cls) ?? []) {
      if (types.has(property)) continue;
      if (metadata.options?.discriminator !== undefined || metadata.reflectedType === Set || metadata.reflectedType === Map) return undefined;
      types.set(property, metadata);
    }
  }
  return { target, types };
}

/** The classes `target` extends, nearest first (as class-transformer walks them). */
function ancestorsOf(target: DtoClass): unknown[] {
  const ancestors: unknown[] = [];
  for (let base = Object.getPrototypeOf(target) as { prototype?: unknown }; base.prototype !== undefined; base = Object.getPrototypeOf(base) as { prototype?: unknown }) {
    ancestors.push(base);
  }
  return ancestors;
}

/** class-transformer's PLAIN_TO_CLASS for an object of a planned class. */
function instantiate(plan: Plan, plain: object): object {
  const instance = new plan.target() as Record<string, unknown>;
  const prototype = plan.target.prototype as object;
  for (const key of Object.keys(plain)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const value = (plain as Record<string, unknown>)[key];
    const metadata = plan.types.get(key);
    const type = metadata ? typeOf(metadata, instance, plain, key) : undefined;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    if ((descriptor && !descriptor.set) || instance[key] instanceof Function) continue;
    instance[key] = transform(value, type);
  }
  return instance;
}

function typeOf(metadata: TypeMetadata, newObject: object, object: object, property: string): DtoClass | undefined {
  const type = metadata.typeFunction ? metadata.typeFunction({ newObject, object, property }) : metadata.reflectedType;
  if (type === undefined) return undefined;
  if (typeof type !== 'function' || CONVERTED_TYPES.has(type)) throw new NotMirrored();
  return type as DtoClass;
}

/** A JSON value: arrays item by item, objects as `type` (or plain), anything else as it is. */
function transform(value: unknown, type: DtoClass | undefined): unknown {
  if (Array.isArray(value)) {
    // A new array of this realm, not value.map's species of the value's.
    const items: unknown[] = [];
    for (const item of value) items.push(transform(item, type));
    return items;
  }
  if (value === null || typeof value !== 'object') return value;
  if (type) {
    const plan = planOf(type);
    if (!plan) throw new NotMirrored();
    return instantiate(plan, value);
  }
  // class-transformer would take a class from the object's own constructor.
  if (value.constructor !== Object) throw new NotMirrored();
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || key === 'constructor' || OBJECT_MEMBERS.has(key)) continue;
    copy[key] = transform((value as Record<string, unknown>)[key], undefined);
  }
  return copy;
}
