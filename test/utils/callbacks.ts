import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The test kit lives in src/testing; these names are kept for the project's own specs.
export { callbackPath as callbackUrl, OK, postCallback, readApi, type CallbackQueryOptions } from '../../src/testing/requests.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A fixture payload (test/fixtures/<name>.json), fresh each call so a test may change it. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as T;
}
