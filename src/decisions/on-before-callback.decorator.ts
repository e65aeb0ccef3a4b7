import type { BeforeCallbackMap, BeforeCommand } from './before-commands.js';

export const BEFORE_CALLBACK_HANDLER = Symbol('BEFORE_CALLBACK_HANDLER');

export interface BeforeCallbackHandlerMetadata {
  command: BeforeCommand;
  /** Lower runs first; equal orders run in module registration order. Default 0. */
  order: number;
}

type Handler<K extends BeforeCommand> = (
  request: BeforeCallbackMap[K]['request'],
) => BeforeCallbackMap[K]['decision'] | void | Promise<BeforeCallbackMap[K]['decision'] | void>;

/**
 * Marks a provider method as a decision handler for a "before" callback. The request and the
 * decisions it may return are checked against the command; returning nothing means allow.
 */
export function OnBeforeCallback<K extends BeforeCommand>(command: K, options: { order?: number } = {}) {
  return <T extends Handler<K>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<T>): void => {
    const existing = (Reflect.getMetadata(BEFORE_CALLBACK_HANDLER, descriptor.value!) as BeforeCallbackHandlerMetadata[] | undefined) ?? [];
    Reflect.defineMetadata(BEFORE_CALLBACK_HANDLER, [...existing, { command, order: options.order ?? 0 }], descriptor.value!);
  };
}
