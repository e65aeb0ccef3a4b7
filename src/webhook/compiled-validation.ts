import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';

/**
 * A yes/no answer to "would class-validator find no error in this DTO instance?", computed from
 * class-validator's own metadata and constraint functions, without its executor.
 *
 * Why: profiling `npm run bench` put `validate()` at about 10% of a callback's CPU, most of it the
 * executor's bookkeeping (the metadata of every registered class walked on each call, a
 * ValidationError per property, promises) rather than the checks themselves. Here each DTO class
 * is read once into a list of properties and their constraints' `validate` functions, and a
 * valid instance (nearly every callback) costs only those calls.
 *
 * `true` is exact: it means class-validator would find no error, with the options the decoder
 * uses (no groups, no skipping of missing properties, `forbidUnknownValues: false`). `false`
 * means "invalid, or not sure" (an asynchronous constraint, a metadata type not mirrored here):
 * the caller then runs class-validator itself, which decides and words the errors.
 * dto-fast-path.spec.ts checks that both answers agree on every fixture and thousands of
 * mutations of them.
 */
export function passesValidation(object: object): boolean {
  return checkerOf(object.constructor as DtoClass | undefined)(object);
}

type Checker = (object: object) => boolean;
type DtoClass = abstract new (...args: never[]) => unknown;

interface CompiledConstraint {
  readonly validate: (value: unknown, args: ValidationArguments) => unknown;
  readonly constraints: unknown[];
  readonly each: boolean;
  readonly validateIf: ((object: object, value: unknown) => boolean) | undefined;
}

interface CompiledProperty {
  readonly name: string;
  /** IsOptional and ValidateIf: the property is checked only when every one holds. */
  readonly conditions: ((object: object, value: unknown) => boolean)[];
  readonly constraints: CompiledConstraint[];
  /** ValidateNested (a second one would check the same again). */
  readonly nested: boolean;
}

const MIRRORED_TYPES = new Set<string>([ValidationTypes.CUSTOM_VALIDATION, ValidationTypes.NESTED_VALIDATION, ValidationTypes.CONDITIONAL_VALIDATION]);
const NOT_SURE: Checker = () => false;
const NO_RULES: Checker = () => true;
const checkers = new Map<DtoClass, Checker>();

function checkerOf(target: DtoClass | undefined): Checker {
  // A null-prototype object has no class-validator metadata; class-validator would pass it.
  if (target === undefined) return NO_RULES;
  let checker = checkers.get(target);
  if (!checker) checkers.set(target, (checker = compile(target)));
  return checker;
}

function compile(target: DtoClass): Checker {
  const storage = getMetadataStorage();
  // The same query the executor makes for validate(instance) without groups.
  const metadatas = storage.getTargetValidationMetadatas(target, undefined as unknown as string, false, false, undefined);
  // forbidUnknownValues is false: a class without rules passes.
  if (metadatas.length === 0) return NO_RULES;
  const byProperty = new Map<string, CompiledProperty>();
  for (const metadata of metadatas) {
    if (!MIRRORED_TYPES.has(metadata.type)) return NOT_SURE;
    let property = byProperty.get(metadata.propertyName);
    if (!property) byProperty.set(metadata.propertyName, (property = { name: metadata.propertyName, conditions: [], constraints: [], nested: false }));
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.NESTED_VALIDATION:
        (property as { nested: boolean }).nested = true;
        break;
      default:
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return NOT_SURE;
          const instance = constraint.instance;
          property.constraints.push({
            validate: (value, args) => instance.validate(value, args),
            constraints: metadata.constraints,
            each: metadata.each,
            validateIf: metadata.validateIf,
          });
        }
    }
  }
  const properties = [...byProperty.values()];
  const targetName = target.name;
  return (object) => properties.every((property) => propertyPasses(object, property, targetName));
}

function propertyPasses(object: object, property: CompiledProperty, targetName: string): boolean {
  const value = (object as Record<string, unknown>)[property.name];
  if (!property.conditions.every((condition) => condition(object, value))) return true;
  for (const constraint of property.constraints) {
    if (constraint.validateIf && !constraint.validateIf(object, value)) continue;
    const args: ValidationArguments = { targetName, property: property.name, object, value, constraints: constraint.constraints };
    if (constraint.each && isCollection(value)) {
      for (const item of toArray(value)) if (!isTrue(constraint.validate(item, args))) return false;
    } else if (!isTrue(constraint.validate(value, args))) return false;
  }
  return !property.nested || nestedPasses(value);
}

/** ValidateNested: an array (Set, Map) item by item, an object by its own class's rules; undefined is skipped. */
function nestedPasses(value: unknown): boolean {
  if (value === undefined) return true;
  if (isCollection(value)) return toArray(value).every(nestedPasses);
  if (value instanceof Object) return typeof value.constructor === 'function' && checkerOf(value.constructor as DtoClass)(value);
  return false;
}

/** class-validator takes any truthy result as valid, and awaits a promise: here a promise is "not sure". */
const isTrue = (result: unknown): boolean => !!result && typeof (result as { then?: unknown }).then !== 'function';

const isCollection = (value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> =>
  Array.isArray(value) || value instanceof Set || value instanceof Map;

const toArray = (value: unknown[] | Set<unknown> | Map<unknown, unknown>): unknown[] => (Array.isArray(value) ? value : [...value.values()]);
