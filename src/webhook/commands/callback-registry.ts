import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { BeforeCommandDefinition } from '../../decisions/before-commands.js';
import type { CallbackCommandDefinition } from './callback-command.js';
import { RegisteredCallbackFamily, type CallbackFamily } from './callback-family.js';

interface Index {
  readonly families: readonly CallbackFamily[];
  readonly byCommand: ReadonlyMap<string, CallbackCommandDefinition<object>>;
  readonly beforeByCommand: ReadonlyMap<string, BeforeCommandDefinition>;
}

function indexOf(families: readonly CallbackFamily[]): Index {
  const byCommand = new Map<string, CallbackCommandDefinition<object>>();
  const beforeByCommand = new Map<string, BeforeCommandDefinition>();
  for (const family of families) {
    for (const definition of family.commands) {
      if (byCommand.has(definition.command) || beforeByCommand.has(definition.command)) throw new Error(`${definition.command} is registered twice (family ${family.name})`);
      byCommand.set(definition.command, definition);
    }
    for (const definition of family.beforeCommands) {
      if (byCommand.has(definition.command) || beforeByCommand.has(definition.command)) throw new Error(`${definition.command} is registered twice (family ${family.name})`);
      beforeByCommand.set(definition.command, definition);
    }
  }
  return { families, byCommand, beforeByCommand };
}

/**
 * Every command the application models, from the families its modules register
 * (`WebhookModule.forFeature`): "after" commands become domain events, "before" commands decisions.
 */
@Injectable()
export class CallbackRegistry implements OnModuleInit {
  private index: Index | undefined;

  constructor(private readonly discovery: DiscoveryService) {}

  /** A registry of the given families, outside Nest's container (tools and tests). */
  static of(families: readonly CallbackFamily[]): CallbackRegistry {
    const registry = new CallbackRegistry(undefined as unknown as DiscoveryService);
    registry.index = indexOf(families);
    return registry;
  }

  /** At start: a command two families register stops the application here, not at its first callback. */
  onModuleInit(): void {
    void this.registered;
  }

  // Built at start (or on first use outside Nest): by then every module, and so every family, is known.
  private get registered(): Index {
    return (this.index ??= indexOf(
      this.discovery
        .getProviders()
        .map((wrapper) => wrapper.instance as unknown)
        .filter((instance): instance is RegisteredCallbackFamily => instance instanceof RegisteredCallbackFamily)
        .map((registered) => registered.family),
    ));
  }

  find(command: string): CallbackCommandDefinition<object> | undefined {
    return this.registered.byCommand.get(command);
  }

  findBefore(command: string): BeforeCommandDefinition | undefined {
    return this.registered.beforeByCommand.get(command);
  }

  commands(): string[] {
    return [...this.registered.byCommand.keys(), ...this.registered.beforeByCommand.keys()];
  }

  families(): readonly CallbackFamily[] {
    return this.registered.families;
  }
}
