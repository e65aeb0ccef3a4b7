import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { BeforeCommand } from './before-commands.js';
import { BEFORE_CALLBACK_HANDLER, type BeforeCallbackHandlerMetadata } from './on-before-callback.decorator.js';

export interface DecisionHandler {
  /** `ClassName.method`, as recorded with each decision. */
  readonly name: string;
  readonly order: number;
  invoke(request: object): unknown;
}

/** Finds every @OnBeforeCallback method of every provider, once, in a stable order per command. */
@Injectable()
export class DecisionHandlers implements OnModuleInit {
  private readonly byCommand = new Map<BeforeCommand, DecisionHandler[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    let registration = 0;
    const found: (DecisionHandler & { command: BeforeCommand; registration: number })[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown> | null;
      if (!prototype) continue;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[methodName];
        if (typeof method !== 'function') continue;
        const metadata = Reflect.getMetadata(BEFORE_CALLBACK_HANDLER, method) as BeforeCallbackHandlerMetadata[] | undefined;
        for (const { command, order } of metadata ?? []) {
          found.push({
            command,
            order,
            registration: registration++,
            name: `${instance.constructor.name}.${methodName}`,
            invoke: (request: object): unknown => (method as (r: object) => unknown).call(instance, request),
          });
        }
      }
    }
    found.sort((a, b) => a.order - b.order || a.registration - b.registration);
    for (const handler of found) this.byCommand.set(handler.command, [...(this.byCommand.get(handler.command) ?? []), handler]);
  }

  for(command: BeforeCommand): readonly DecisionHandler[] {
    return this.byCommand.get(command) ?? [];
  }
}
