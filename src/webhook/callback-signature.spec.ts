import { signCallback, verifyCallbackSignature, type SignatureCheck } from './callback-signature.js';

const NOW = 1_700_000_000;
const TOKEN = 'tok-one';

/** A check that passes: signed with TOKEN at NOW, verified at NOW with a 60 s window. */
function check(overrides: Partial<SignatureCheck> = {}): SignatureCheck {
  return {
    sign: signCallback(TOKEN, NOW),
    requestTime: String(NOW),
    tokens: [TOKEN],
    maxSkewSeconds: 60,
    nowSeconds: NOW,
    ...overrides,
  };
}

/** Signed with TOKEN at the given RequestTime, verified at NOW. */
const signedAt = (requestTime: number, overrides: Partial<SignatureCheck> = {}): SignatureCheck =>
  check({ sign: signCallback(TOKEN, requestTime), requestTime: String(requestTime), ...overrides });

describe('signCallback', () => {
  it("gives Tencent's published check value (token xxxxyyyy, RequestTime 1669872112)", () => {
    expect(signCallback('xxxxyyyy', '1669872112')).toBe('17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061');
    expect(signCallback('xxxxyyyy', 1669872112)).toBe('17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061');
  });
});

describe('verifyCallbackSignature', () => {
  it('accepts a valid signature', () => {
    expect(verifyCallbackSignature(check())).toEqual({ valid: true });
  });

  it('judges every callback of the same second alike, whatever was verified before it (expected Signs are reused)', () => {
    const other = 'tok-two';
    for (let round = 0; round < 3; round++) {
      expect(verifyCallbackSignature(check())).toEqual({ valid: true });
      expect(verifyCallbackSignature(check({ tokens: [other] }))).toEqual({ valid: false, reason: 'Sign does not match' });
      expect(verifyCallbackSignature(check({ sign: signCallback(other, NOW), tokens: [other] }))).toEqual({ valid: true });
      expect(verifyCallbackSignature(check({ sign: signCallback(other, NOW) }))).toEqual({ valid: false, reason: 'Sign does not match' });
    }
    // Past the cache's size, every second still verifies.
    for (let second = NOW - 1500; second <= NOW; second++) expect(verifyCallbackSignature(signedAt(second, { maxSkewSeconds: 3600 })).valid).toBe(true);
    expect(verifyCallbackSignature(signedAt(NOW - 1, { sign: signCallback(TOKEN, NOW) })).valid).toBe(false);
  });

  it("accepts Tencent's published check value at its own RequestTime", () => {
    expect(
      verifyCallbackSignature({
        sign: '17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061',
        requestTime: '1669872112',
        tokens: ['xxxxyyyy'],
        maxSkewSeconds: 60,
        nowSeconds: 1669872112,
      }),
    ).toEqual({ valid: true });
  });

  it('refuses a wrong sign (another token, another second, garbage, empty)', () => {
    for (const sign of [signCallback('other-token', NOW), signCallback(TOKEN, NOW - 1), 'not-a-sign', '', '0'.repeat(64)]) {
      expect(verifyCallbackSignature(check({ sign }))).toEqual({ valid: false, reason: 'Sign does not match' });
    }
  });

  it('accepts the sign in upper-case or mixed-case hex (Tencent sends lower-case; it is the same digest)', () => {
    const sign = signCallback(TOKEN, NOW);
    expect(verifyCallbackSignature(check({ sign: sign.toUpperCase() }))).toEqual({ valid: true });
    expect(verifyCallbackSignature(check({ sign: sign.replace(/[a-f]/, (c) => c.toUpperCase()) }))).toEqual({ valid: true });
    expect(verifyCallbackSignature(check({ sign: signCallback('other', NOW).toUpperCase() }))).toEqual({ valid: false, reason: 'Sign does not match' });
  });

  it('refuses a missing Sign or a missing RequestTime', () => {
    expect(verifyCallbackSignature(check({ sign: undefined }))).toEqual({ valid: false, reason: 'Sign and RequestTime are required' });
    expect(verifyCallbackSignature(check({ requestTime: undefined }))).toEqual({ valid: false, reason: 'Sign and RequestTime are required' });
  });

  it('refuses a non-numeric, negative, fractional or huge RequestTime, even when signed over that text', () => {
    for (const requestTime of ['abc', '', '1700000000.5', ' 1700000000', '1e9', '-5', '9'.repeat(13), '99999999999999999999']) {
      const verdict = verifyCallbackSignature(check({ requestTime, sign: signCallback(TOKEN, requestTime) }));
      expect(verdict).toEqual({ valid: false, reason: 'RequestTime must be Unix seconds' });
    }
  });

  it('refuses a 12-digit RequestTime far in the future by the replay window', () => {
    const requestTime = 999_999_999_999;
    expect(verifyCallbackSignature(signedAt(requestTime))).toEqual({ valid: false, reason: 'RequestTime is more than 60 s from now' });
  });

  it('accepts exactly at the skew boundary, in the past and in the future', () => {
    expect(verifyCallbackSignature(signedAt(NOW - 60))).toEqual({ valid: true });
    expect(verifyCallbackSignature(signedAt(NOW + 60))).toEqual({ valid: true });
  });

  it('refuses one second past the skew boundary, in the past and in the future', () => {
    expect(verifyCallbackSignature(signedAt(NOW - 61))).toEqual({ valid: false, reason: 'RequestTime is more than 60 s from now' });
    expect(verifyCallbackSignature(signedAt(NOW + 61))).toEqual({ valid: false, reason: 'RequestTime is more than 60 s from now' });
  });

  it('uses the configured window, not a fixed 60 s', () => {
    expect(verifyCallbackSignature(signedAt(NOW - 5, { maxSkewSeconds: 5 }))).toEqual({ valid: true });
    expect(verifyCallbackSignature(signedAt(NOW - 6, { maxSkewSeconds: 5 }))).toEqual({ valid: false, reason: 'RequestTime is more than 5 s from now' });
  });

  it('accepts either token of a rotation, and refuses a third', () => {
    const tokens = ['old-token', 'new-token'];
    expect(verifyCallbackSignature(check({ tokens, sign: signCallback('old-token', NOW) }))).toEqual({ valid: true });
    expect(verifyCallbackSignature(check({ tokens, sign: signCallback('new-token', NOW) }))).toEqual({ valid: true });
    expect(verifyCallbackSignature(check({ tokens, sign: signCallback('third-token', NOW) }))).toEqual({ valid: false, reason: 'Sign does not match' });
  });

  it('refuses everything when the token list is empty', () => {
    expect(verifyCallbackSignature(check({ tokens: [] }))).toEqual({ valid: false, reason: 'Sign does not match' });
  });

  it('never names a token in its reason', () => {
    const verdicts = [check({ sign: 'x' }), check({ sign: undefined }), signedAt(NOW - 1000), check({ requestTime: 'abc' })].map(verifyCallbackSignature);
    for (const verdict of verdicts) {
      expect(verdict.valid).toBe(false);
      expect(JSON.stringify(verdict)).not.toContain(TOKEN);
    }
  });
});
