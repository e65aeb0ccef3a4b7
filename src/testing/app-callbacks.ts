import { AppModule } from '../app.module.js';
import { callbackFamiliesOf } from '../webhook/commands/callback-family.js';
import { CallbackRegistry } from '../webhook/commands/callback-registry.js';

/**
 * The commands an application models (the families its modules register), without starting it: for
 * tests and tools that decode or key callbacks outside Nest's container.
 */
export function appCallbackRegistry(rootModule: object = AppModule): CallbackRegistry {
  return CallbackRegistry.of(callbackFamiliesOf(rootModule));
}
