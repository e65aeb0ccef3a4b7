import { createHash, timingSafeEqual } from 'node:crypto';

/** Tencent's webhook signature: lowercase hex SHA-256 of the token followed by RequestTime. */
export function signCallback(token: string, requestTime: string | number): string {
  return createHash('sha256').update(`${token}${requestTime}`).digest('hex');
}

export type SignatureVerdict = { valid: true } | { valid: false; reason: string };

export interface SignatureCheck {
  sign: string | undefined;
  requestTime: string | undefined;
  tokens: readonly string[];
  maxSkewSeconds: number;
  nowSeconds: number;
}

// Tencent sends lower-case hex; upper-case is the same digest, and refusing it only raises support questions.
const SIGN_PATTERN = /^[0-9a-f]{64}$/i;
const REQUEST_TIME_PATTERN = /^\d{1,12}$/;

// Every callback of the same second carries the same Sign: a burst of them hashes once. Keyed by
// token and RequestTime, both fixed in the text; cleared whole, so it stays small.
const expectedSigns = new Map<string, Buffer>();
const MAX_EXPECTED_SIGNS = 1024;

function expectedSign(token: string, requestTime: string): Buffer {
  const key = `${requestTime}:${token}`;
  let expected = expectedSigns.get(key);
  if (!expected) {
    if (expectedSigns.size >= MAX_EXPECTED_SIGNS) expectedSigns.clear();
    expectedSigns.set(key, (expected = Buffer.from(signCallback(token, requestTime), 'hex')));
  }
  return expected;
}

export function verifyCallbackSignature(check: SignatureCheck): SignatureVerdict {
  const { sign, requestTime } = check;
  if (sign === undefined || requestTime === undefined) return { valid: false, reason: 'Sign and RequestTime are required' };
  if (!REQUEST_TIME_PATTERN.test(requestTime)) return { valid: false, reason: 'RequestTime must be Unix seconds' };
  if (Math.abs(check.nowSeconds - Number(requestTime)) > check.maxSkewSeconds) {
    return { valid: false, reason: `RequestTime is more than ${check.maxSkewSeconds} s from now` };
  }
  // Compare against every token, without short-circuit, so timing reveals neither the match nor which token.
  const given = Buffer.from(SIGN_PATTERN.test(sign) ? sign : '0'.repeat(64), 'hex');
  let matched = false;
  for (const token of check.tokens) matched = timingSafeEqual(given, expectedSign(token, requestTime)) || matched;
  return matched && SIGN_PATTERN.test(sign) ? { valid: true } : { valid: false, reason: 'Sign does not match' };
}
