import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { EVENT_LISTENER_METADATA, type OnEventOptions } from '@nestjs/event-emitter';
import { RegisteredCallbackFamily } from '../webhook/commands/callback-family.js';
import { WEBHOOK_EVENT_NAMES } from './domain-events.js';

interface ListenerMetadata {
  event: string | symbol | (string | symbol)[];
  options?: OnEventOptions;
}

/**
 * A plain `@OnEvent('c2c.message.sent')` would log and swallow its listener's error, and the
 * callback would be marked processed although its effect never happened. Before listeners are
 * bound (onApplicationBootstrap), this makes every listener of a domain event surface its
 * errors unless it explicitly asked for `suppressErrors`.
 */
@Injectable()
export class ListenerErrorsPolicy implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    // The webhook's own events and those of every registered family (WebhookModule.forFeature).
    const domainEvents = new Set<string | symbol>(WEBHOOK_EVENT_NAMES);
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.instance instanceof RegisteredCallbackFamily) for (const event of wrapper.instance.family.events) domainEvents.add(event.eventName);
    }
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (prototype as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const listeners = Reflect.getMetadata(EVENT_LISTENER_METADATA, method) as ListenerMetadata[] | undefined;
        for (const listener of listeners ?? []) {
          const events = Array.isArray(listener.event) ? listener.event : [listener.event];
          if (events.some((e) => domainEvents.has(e)) && listener.options?.suppressErrors === undefined) {
            listener.options = { ...listener.options, suppressErrors: false };
          }
        }
      }
    }
  }
}
