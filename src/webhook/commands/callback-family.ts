import { MODULE_METADATA } from '@nestjs/common/constants.js';
import type { DynamicModule } from '@nestjs/common';
import type { BeforeCommandDefinition } from '../../decisions/before-commands.js';
import type { CallbackCommandDefinition } from './callback-command.js';

/**
 * One family of callbacks, defined in its own folder (src/c2c, src/official-account, ...): the
 * commands it models and the domain events they become. The webhook learns of it only through
 * `WebhookModule.forFeature(family)` in the family's module, never by importing it.
 */
export interface CallbackFamily {
  readonly name: string;
  /** "After" commands: stored, then turned into domain events. */
  readonly commands: readonly CallbackCommandDefinition<object>[];
  /** "Before" commands: decided by `@OnBeforeCallback` handlers, answered at once. */
  readonly beforeCommands: readonly BeforeCommandDefinition[];
  /** Every event class the family's commands emit (the listener-error policy applies to them). */
  readonly events: readonly { readonly eventName: string }[];
}

export const defineCallbackFamily = (family: CallbackFamily): CallbackFamily => Object.freeze(family);

/** The provider `WebhookModule.forFeature` registers: what the registry discovers. */
export class RegisteredCallbackFamily {
  constructor(readonly family: CallbackFamily) {}
}

/** Registers a family in the module that imports it (see WebhookModule.forFeature). */
export class WebhookFeatureModule {
  static forFeature(family: CallbackFamily): DynamicModule {
    return {
      module: WebhookFeatureModule,
      providers: [{ provide: `callback-family:${family.name}`, useValue: new RegisteredCallbackFamily(family) }],
    };
  }
}

/**
 * The families a root module registers, read from module metadata without creating the application:
 * for tools and tests that need the command list outside Nest's container (the callback sender,
 * the property tests).
 */
export function callbackFamiliesOf(rootModule: object): CallbackFamily[] {
  const found = new Map<string, CallbackFamily>();
  const seen = new Set<unknown>();
  const visit = (entry: unknown): void => {
    if (!entry || seen.has(entry)) return;
    seen.add(entry);
    if (typeof entry === 'function') {
      for (const imported of (Reflect.getMetadata(MODULE_METADATA.IMPORTS, entry) as unknown[] | undefined) ?? []) visit(imported);
      return;
    }
    if (typeof entry !== 'object' || !('module' in entry)) return;
    const dynamic = entry as DynamicModule;
    for (const provider of dynamic.providers ?? []) {
      const value = typeof provider === 'object' && 'useValue' in provider ? (provider.useValue as unknown) : undefined;
      if (value instanceof RegisteredCallbackFamily) found.set(value.family.name, value.family);
    }
    visit(dynamic.module);
    for (const imported of dynamic.imports ?? []) visit(imported);
  };
  visit(rootModule);
  return [...found.values()];
}
