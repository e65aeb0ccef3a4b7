import { CallbackDecoder } from '../webhook/callback-decoder.js';
import { dedupeKeyOf, unmodelledDedupeKey } from '../webhook/commands/callback-command.js';
import type { CallbackRegistry } from '../webhook/commands/callback-registry.js';
import { appCallbackRegistry } from './app-callbacks.js';

// The inbox's dedupe keys, for `t.inboxRow(dedupeKey)`. `dedupeKeyOf(command, ...parts)` builds one
// from its parts (README, "Dedupe keys", lists the parts of each command); `unmodelledDedupeKey`
// is the key of a command the project does not model (the SHA-256 of the body as sent).
export { dedupeKeyOf, unmodelledDedupeKey };

export interface CallbackDedupeKeyOptions {
  /**
   * When the service received the callback (the inbox row's `receivedAt`). Only needed for a payload
   * without `EventTime` whose command's key has a time part: the receipt time then stands in for it.
   */
  receivedAt?: Date;
  /** The body exactly as posted, for an unmodelled command; default `JSON.stringify(payload)`, what postCallback sends. */
  body?: string;
  /**
   * The commands to key by; default those of the families AppModule registers. With families of your
   * own, the test app's: `t.app.get(CallbackRegistry)`.
   */
  registry?: CallbackRegistry;
}

let projectDecoder: CallbackDecoder | undefined;

/**
 * The dedupe key the service gives this payload, computed by the command registry itself from the
 * payload's own fields (its `EventTime` included), so a test never spells out the parts. Rejects a
 * payload that fails validation or is a "before" callback (neither has a dedupe key), and a payload
 * whose key depends on its receipt time when `receivedAt` is not given.
 */
export async function callbackDedupeKey(payload: Record<string, unknown>, options: CallbackDedupeKeyOptions = {}): Promise<string> {
  const command = String(payload.CallbackCommand);
  const decoder = options.registry ? new CallbackDecoder(options.registry) : (projectDecoder ??= new CallbackDecoder(appCallbackRegistry()));
  const decoded = await decoder.decode(command, payload);
  switch (decoded.kind) {
    case 'unmodelled':
      return unmodelledDedupeKey(command, options.body ?? JSON.stringify(payload));
    case 'invalid':
      throw new Error(`${command}: the service rejects this payload (stored without a dedupe key): ${decoded.reason}`);
    case 'before':
      throw new Error(`${command} is a "before" callback: it is stored as decided, without a dedupe key`);
    case 'modelled': {
      const { definition, dto } = decoded;
      if (options.receivedAt) return definition.dedupeKey(dto, options.receivedAt);
      // A key that changes with the receipt time has "received:<ms>" for its missing EventTime.
      const key = definition.dedupeKey(dto, new Date(0));
      if (key !== definition.dedupeKey(dto, new Date(1))) {
        throw new Error(`${command}: this payload has no EventTime, so its dedupe key holds the time it was received: pass { receivedAt }`);
      }
      return key;
    }
  }
}
