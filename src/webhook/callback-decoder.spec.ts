import 'reflect-metadata';
import { callbackSample } from '../testing/callback-samples.js';
import { CallbackDecoder, MalformedBodyError, MAX_JSON_DEPTH } from './callback-decoder.js';
import { appCallbackRegistry } from '../testing/app-callbacks.js';

const decoder = new CallbackDecoder(appCallbackRegistry());
const SEND = 'C2C.CallbackAfterSendMsg';
const sample = (): Record<string, unknown> => callbackSample(SEND)!;

/** The sample send callback as text, with `members` put first in the top-level object. */
const sendWith = (members: string): string => JSON.stringify(sample()).replace(/^\{/, `{${members},`);

describe('CallbackDecoder.parse', () => {
  it.each([
    ['plain', '"__proto__":{"polluted":"x"}'],
    ['spelled with \\u escapes', '"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"x"}'],
    ['partly escaped', '"_\\u005fproto__":{"polluted":"x"}'],
  ])('drops a __proto__ key (%s), so copying the payload into another object cannot change its prototype', (_how, member) => {
    const payload = decoder.parse(sendWith(member));
    expect(Object.keys(payload)).not.toContain('__proto__');
    expect((Object.assign({}, payload) as Record<string, unknown>).polluted).toBeUndefined();
    expect(payload.MsgKey).toBe(sample().MsgKey);
  });

  it('drops __proto__ keys at any depth', () => {
    const text = JSON.stringify(sample()).replace('"MsgContent":{', '"MsgContent":{"\\u005f_proto__":{"polluted":"deep"},');
    const payload = decoder.parse(text);
    const content = (payload.MsgBody as { MsgContent: Record<string, unknown> }[])[0]!.MsgContent;
    expect(Object.keys(content)).not.toContain('__proto__');
    expect((Object.assign({}, content) as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps escaped text that is not a key as it was sent', () => {
    const payload = decoder.parse(JSON.stringify({ ...sample(), Note: 'caf\u00e9' }).replace('café', 'caf\\u00e9'));
    expect(payload.Note).toBe('café');
  });
});

describe('CallbackDecoder.parse: nesting', () => {
  const nestedIn = (levels: number, open: string, close: string, inner = '1'): string => `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
  const bodyWith = (deep: string): string => sendWith(`"Deep":${deep}`);

  it.each([
    ['arrays', '[', ']'],
    ['objects', '{"k":', '}'],
  ])('takes %s nested to the limit and refuses one level more', (_kind, open, close) => {
    // The body itself is one level.
    expect(decoder.parse(bodyWith(nestedIn(MAX_JSON_DEPTH - 1, open, close))).MsgKey).toBe(sample().MsgKey);
    expect(() => decoder.parse(bodyWith(nestedIn(MAX_JSON_DEPTH, open, close)))).toThrow(new MalformedBodyError(`body nests deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it('takes many brackets that do not nest deep, in strings or side by side', () => {
    const wide = `[${Array.from({ length: 200 }, () => '{"a":[1]}').join(',')}]`;
    const payload = decoder.parse(sendWith(`"Wide":${wide},"Text":"${'[{'.repeat(200)}"`));
    expect((payload.Wide as unknown[]).length).toBe(200);
  });
});

describe('CallbackDecoder.decode', () => {
  it.each([
    ['plain', '"constructor":{"prototype":{"From_Account":"mallory"}}'],
    ['spelled with \\u escapes', '"\\u0063onstructor":{"prototype":{"From_Account":"mallory"}}'],
  ])('validates a payload carrying constructor/prototype keys (%s) against its own fields', async (_how, member) => {
    const decoded = await decoder.decode(SEND, decoder.parse(sendWith(member)));
    expect(decoded.kind).toBe('modelled');
    expect(decoded.kind === 'modelled' && (decoded.dto as { From_Account: string }).From_Account).toBe(sample().From_Account);
  });

  it('refuses a payload whose only From_Account comes through an escaped constructor.prototype', async () => {
    const { From_Account: _omitted, ...withoutSender } = sample();
    const text = JSON.stringify(withoutSender).replace(/^\{/, '{"\\u0063onstructor":{"prototype":{"From_Account":"mallory"}},');
    const decoded = await decoder.decode(SEND, decoder.parse(text));
    expect(decoded.kind).toBe('invalid');
    expect(decoded.kind === 'invalid' && decoded.reason).toContain('From_Account');
  });
});
