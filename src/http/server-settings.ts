/** Settings both platforms share. */

// Tencent keeps connections alive: outlive its idle connections rather than race them.
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// Node's own default: how long a request may take to arrive whole.
export const REQUEST_TIMEOUT_MS = 300_000;

/** Routes ignore the case of the path and one trailing slash, on both platforms. */
export const samePath = (a: string, b: string): boolean => normalized(a) === normalized(b);
const normalized = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();
