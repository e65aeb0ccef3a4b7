/**
 * Hostile input for POST /webhook (issue 3, item 7): every case is one raw HTTP request and the
 * status the project must answer. The answer is always Tencent's envelope, never a 5xx; a refused
 * case changes no projection. Run by test/hostile-input.e2e-spec.ts; the field rules below are
 * also what test/property.e2e-spec.ts generates callbacks from.
 *
 * Expected statuses follow DESIGN.md section 4. Where the design says nothing, the choice is
 * written next to the case. A case whose expectation the code does not meet today is a bug report,
 * not a typo: it stays here until src/ is fixed (see the `bug` notes).
 */
import { randomBytes } from 'node:crypto';
import { fixture } from '../utils/callbacks.js';
import { TEST_SDKAPPID } from '../utils/test-app.js';

export type CaseOrigin = 'hand-written' | 'generated';

/** Signs for the app that has CALLBACK_AUTH_TOKEN set; `now` is read when the case runs. */
export interface Signer {
  now(): number;
  sign(requestTime: string | number, token?: string): string;
}

export interface ReadBack {
  /** A read API path (already URL-encoded). */
  path: string;
  status?: number;
  /** toMatchObject against the JSON answer. */
  match?: Record<string, unknown>;
}

export interface HostileCase {
  name: string;
  origin: CaseOrigin;
  /** Which app: 'plain' has no callback token, 'signed' has CALLBACK_AUTH_TOKEN = SIGNING_TOKEN. */
  app?: 'plain' | 'signed';
  method?: string;
  /** Default: the app's WEBHOOK_PATH. */
  path?: string;
  /** Raw query string without '?', sent as is (repeated and odd parameters are possible). */
  query: string | ((signer: Signer) => string);
  /** Exactly these headers (Content-Length is added unless chunked); default Content-Type: application/json. */
  headers?: Record<string, string>;
  /** Send with Transfer-Encoding: chunked, in 64 KiB pieces. */
  chunked?: boolean;
  body: string | Buffer;
  expectedStatus: number;
  /** ErrorInfo must contain each of these (the fields a 400 names). */
  infoIncludes?: string[];
  /** Checked after an accepted case: what the read API shows. */
  readBack?: ReadBack;
  /** Why the code does not meet this expectation today (kept in the corpus until fixed). */
  bug?: string;
}

export const SIGNING_TOKEN = 'hostile-corpus-token';
const KIB = 1024;
const MIB = 1024 * KIB;

// ---------------------------------------------------------------------------------------------
// Field rules of the three modelled commands (each family's callbacks/*.dto.ts), shared with the property test.
// ---------------------------------------------------------------------------------------------

export type FieldKind =
  | 'command' // Equals the command
  | 'id' // non-empty string without NUL
  | 'type' // non-empty string (MsgType: kept inside the JSON body, where NUL is escaped)
  | 'text' // string without NUL, may be empty
  | 'uint32'
  | 'timestamp' // non-negative safe integer
  | 'int' // any integer (SendMsgResult)
  | 'unread' // integer >= -1
  | 'flag01' // 0 or 1
  | 'operateType' // 1, 2 or 3
  | 'seq' // integer >= 0
  | 'intOrDigits' // non-negative safe integer or a string of 1-15 digits
  | 'elements' // MsgBody: array of {MsgType, MsgContent}
  | 'extensionItems' // ExtensionList: array of {Key, Value, Seq}
  | 'object'; // MsgContent

export interface FieldRule {
  name: string;
  kind: FieldKind;
  optional?: boolean;
}

export interface CommandRules {
  command: string;
  fixture: string;
  fields: FieldRule[];
}

export const C2C_SEND = 'C2C.CallbackAfterSendMsg';
export const C2C_EXTENSION = 'C2C.CallbackAfterC2CMsgExtension';
export const OA_SEND = 'OfficialAccount.CallbackAfterSendMsg';

export const COMMAND_RULES: CommandRules[] = [
  {
    command: C2C_SEND,
    fixture: 'c2c-after-send-msg',
    fields: [
      { name: 'CallbackCommand', kind: 'command' },
      { name: 'From_Account', kind: 'id' },
      { name: 'To_Account', kind: 'id' },
      { name: 'MsgSeq', kind: 'uint32' },
      { name: 'MsgRandom', kind: 'uint32' },
      { name: 'MsgTime', kind: 'timestamp' },
      { name: 'MsgKey', kind: 'id' },
      { name: 'MsgId', kind: 'text', optional: true },
      { name: 'OnlineOnlyFlag', kind: 'flag01', optional: true },
      { name: 'SendMsgResult', kind: 'int' },
      { name: 'ErrorInfo', kind: 'text', optional: true },
      { name: 'UnreadMsgNum', kind: 'unread' },
      { name: 'MsgBody', kind: 'elements' },
      { name: 'CloudCustomData', kind: 'text', optional: true },
    ],
  },
  {
    command: C2C_EXTENSION,
    fixture: 'c2c-msg-extension-set',
    fields: [
      { name: 'CallbackCommand', kind: 'command' },
      { name: 'From_Account', kind: 'id' },
      { name: 'To_Account', kind: 'id' },
      { name: 'MsgKey', kind: 'id' },
      { name: 'OperateType', kind: 'operateType' },
      { name: 'ExtensionList', kind: 'extensionItems' },
      { name: 'Seq', kind: 'seq' },
      // Older payloads may lack it: the receipt time stands in (issue 17, item 12).
      { name: 'EventTime', kind: 'intOrDigits', optional: true },
    ],
  },
  {
    command: OA_SEND,
    fixture: 'official-account-after-send-msg',
    fields: [
      { name: 'CallbackCommand', kind: 'command' },
      { name: 'Official_Account', kind: 'id' },
      { name: 'MsgKey', kind: 'id' },
      { name: 'MsgTime', kind: 'timestamp' },
      { name: 'OnlineOnlyFlag', kind: 'flag01', optional: true },
      { name: 'MsgBody', kind: 'elements' },
      { name: 'CloudCustomData', kind: 'text', optional: true },
      { name: 'EventTime', kind: 'intOrDigits', optional: true },
    ],
  },
];

/** Fields of one MsgBody element and of one ExtensionList item. */
export const ELEMENT_RULES: FieldRule[] = [
  { name: 'MsgType', kind: 'type' },
  { name: 'MsgContent', kind: 'object' },
];
export const EXTENSION_ITEM_RULES: FieldRule[] = [
  { name: 'Key', kind: 'id' },
  { name: 'Value', kind: 'text' },
  { name: 'Seq', kind: 'seq' },
];

const STRING_KINDS: ReadonlySet<FieldKind> = new Set(['command', 'id', 'type', 'text']);
const ARRAY_KINDS: ReadonlySet<FieldKind> = new Set(['elements', 'extensionItems']);

export type WrongType = 'string' | 'number' | 'null' | 'array' | 'object' | 'boolean' | 'missing';
export const WRONG_TYPES: WrongType[] = ['string', 'number', 'null', 'array', 'object', 'boolean', 'missing'];

/**
 * The value of a given JSON type standing in for a field (`undefined`: the field is removed), or
 * null when that type is the field's own type (not a mutation).
 */
export function wrongValue(rule: FieldRule, type: WrongType, original: unknown): { value: unknown } | null {
  const isString = STRING_KINDS.has(rule.kind);
  const isArray = ARRAY_KINDS.has(rule.kind);
  switch (type) {
    case 'string':
      if (isString) return null;
      // The field's own value as text: "48374" for MsgSeq, "1" for OperateType, "[]" for a list.
      return { value: typeof original === 'object' ? JSON.stringify(original) : String(original) };
    case 'number':
      if (!isString && !isArray && rule.kind !== 'object') return null;
      return { value: 12345 };
    case 'null':
      return { value: null };
    case 'array':
      // A list field given a list of strings; any other field given its value wrapped in a list.
      return { value: isArray ? ['not an object'] : [original] };
    case 'object':
      if (rule.kind === 'object') return null;
      return { value: { value: original } };
    case 'boolean':
      return { value: true };
    case 'missing':
      return { value: undefined };
  }
}

/** Whether the DTOs accept that mutation (a digit string is a valid EventTime; optional fields may be null or absent). */
export function mutationIsValid(rule: FieldRule, type: WrongType, value: unknown): boolean {
  if (rule.optional && (type === 'null' || type === 'missing')) return true;
  if (rule.kind === 'intOrDigits' && type === 'string') return typeof value === 'string' && /^\d{1,15}$/.test(value);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

type Payload = Record<string, unknown>;

let serial = 0;
/** A MsgKey no other case uses, so an accepted case makes a new message. */
const uniqueKey = (tag: string): string => `hostile_${tag}_${++serial}`;

/** The query Tencent sends (SdkAppid, CallbackCommand, contenttype, ClientIP, OptPlatform) plus `extra`. */
export function tencentQuery(command: string, extra = ''): string {
  return `SdkAppid=${TEST_SDKAPPID}&CallbackCommand=${command}&contenttype=json&ClientIP=203.0.113.7&OptPlatform=iOS${extra}`;
}

/** `&RequestTime=..&Sign=..`, valid now for SIGNING_TOKEN. */
export const signedParams = (s: Signer): string => {
  const now = s.now();
  return `&RequestTime=${now}&Sign=${s.sign(now)}`;
};

const c2cSend = (over: Payload = {}): Payload => ({ ...fixture('c2c-after-send-msg'), MsgKey: uniqueKey('c2c'), ...over });
const extensionChange = (over: Payload = {}): Payload => ({ ...fixture('c2c-msg-extension-set'), MsgKey: uniqueKey('ext'), ...over });
const oaSend = (over: Payload = {}): Payload => ({ ...fixture('official-account-after-send-msg'), MsgKey: uniqueKey('oa'), ...over });

const json = (payload: Payload): string => JSON.stringify(payload);

/** Replaces the one occurrence of `find` in `text`; the corpus refuses to build if it is not there. */
function edit(text: string, find: string, replacement: string): string {
  const at = text.indexOf(find);
  if (at < 0 || text.indexOf(find, at + 1) >= 0) throw new Error(`corpus: ${JSON.stringify(find)} must occur exactly once`);
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

/** `{<rawMembers>, ...the payload's members}`: keys placed first, as raw JSON text. */
const withLeadingMembers = (payload: Payload, rawMembers: string): string => `{${rawMembers},${json(payload).slice(1)}`;

/** A body text where the JSON string value "@@" is replaced by raw JSON text (escapes as sent on the wire). */
const withRawString = (payload: Payload, rawJsonString: string): string => edit(json(payload), '"@@"', rawJsonString);

const enc = encodeURIComponent;
const c2cMessagePath = (from: string, to: string, msgKey: string) => `/c2c/conversations/${enc(from)}/${enc(to)}/messages/${enc(msgKey)}`;
const oaMessagePath = (account: string, msgKey: string) => `/official-accounts/${enc(account)}/messages/${enc(msgKey)}`;

/** Reads back a C2C message sent by `payload` (a c2cSend) and matches `match`. */
const readC2C = (payload: Payload, match: Record<string, unknown>): ReadBack => ({
  path: c2cMessagePath(String(payload.From_Account), String(payload.To_Account), String(payload.MsgKey)),
  match,
});
const readOA = (payload: Payload, match: Record<string, unknown>): ReadBack => ({
  path: oaMessagePath(String(payload.Official_Account), String(payload.MsgKey)),
  match,
});

/** Incompressible text: PostgreSQL cannot shrink it to fit a btree index entry (about 2.7 KB). */
const incompressible = (length: number): string => randomBytes(length).toString('base64url').slice(0, length);

/** A valid body of exactly `bytes` bytes, padded in CloudCustomData. */
function paddedTo(bytes: number, payload: Payload): string {
  const base = json({ ...payload, CloudCustomData: '' });
  const padding = bytes - Buffer.byteLength(base);
  if (padding < 0) throw new Error('corpus: payload already larger than the target size');
  const text = json({ ...payload, CloudCustomData: 'p'.repeat(padding) });
  if (Buffer.byteLength(text) !== bytes) throw new Error('corpus: padding miscounted');
  return text;
}

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A C2C send whose first MsgBody element's MsgContent also holds `"Deep": <rawJson>`. */
function c2cWithDeepContent(rawJson: string, over: Payload = {}): string {
  return edit(json(c2cSend(over)), '"MsgContent":{', `"MsgContent":{"Deep":${rawJson},`);
}

const cases: HostileCase[] = [];
const hand = (c: Omit<HostileCase, 'origin'>): void => {
  cases.push({ ...c, origin: 'hand-written' });
};
const generated = (c: Omit<HostileCase, 'origin'>): void => {
  cases.push({ ...c, origin: 'generated' });
};

const seedText = json(fixture('c2c-after-send-msg'));

// ---------------------------------------------------------------------------------------------
// 1. Malformed and truncated JSON (400, not stored)
// ---------------------------------------------------------------------------------------------

for (const [name, body] of [
  ['malformed: an opening brace and garbage', '{bad'],
  ['malformed: single-quoted strings', "{'CallbackCommand':'C2C.CallbackAfterSendMsg'}"],
  ['malformed: unquoted keys', '{CallbackCommand:"C2C.CallbackAfterSendMsg"}'],
  ['malformed: trailing comma', edit(seedText, '"CloudCustomData":"your cloud custom data"}', '"CloudCustomData":"your cloud custom data",}')],
  ['malformed: a // comment', `// a comment\n${seedText}`],
  ['malformed: NaN as a value', edit(seedText, '"UnreadMsgNum":7', '"UnreadMsgNum":NaN')],
  ['malformed: Infinity as a value', edit(seedText, '"UnreadMsgNum":7', '"UnreadMsgNum":Infinity')],
  ['malformed: hex number', edit(seedText, '"UnreadMsgNum":7', '"UnreadMsgNum":0x7')],
  ['malformed: leading zero number', edit(seedText, '"UnreadMsgNum":7', '"UnreadMsgNum":07')],
  ['malformed: JSON followed by a second object', `${seedText}{}`],
  ['malformed: two objects separated by a newline (NDJSON)', `${seedText}\n${seedText}`],
  ['malformed: unterminated string', '{"CallbackCommand":"C2C.CallbackAfterSendMsg'],
  ['malformed: bad escape \\x41', edit(seedText, 'red packet', 'red \\x41 packet')],
  ['malformed: short unicode escape \\u12', edit(seedText, 'red packet', 'red \\u12 packet')],
  ['malformed: raw tab inside a string', edit(seedText, 'red packet', 'red\tpacket')],
  ['malformed: raw newline inside a string', edit(seedText, 'red packet', 'red\npacket')],
  ['malformed: raw NUL byte inside a string', edit(seedText, 'red packet', 'red\u0000packet')],
  ['malformed: raw NUL byte between tokens', edit(seedText, '"UnreadMsgNum":7', '"UnreadMsgNum":\u00007')],
  ['malformed: a UTF-8 byte order mark before the object', `\ufeff${seedText}`],
  ['malformed: only a closing brace', '}'],
  ['malformed: only whitespace and a NUL', ' \u0000 '],
] as const) {
  hand({ name, query: tencentQuery(C2C_SEND), body, expectedStatus: 400 });
}

// Truncated at generated cut points (every eighth of the seed, and one byte short).
for (const cut of [1, ...Array.from({ length: 7 }, (_, i) => Math.floor((seedText.length * (i + 1)) / 8)), seedText.length - 1]) {
  generated({ name: `truncated: the C2C seed cut at byte ${cut} of ${seedText.length}`, query: tencentQuery(C2C_SEND), body: seedText.slice(0, cut), expectedStatus: 400 });
}
hand({
  name: 'truncated: a valid UTF-8 body cut inside a multi-byte character',
  query: tencentQuery(C2C_SEND),
  body: (() => {
    const bytes = Buffer.from(json(c2cSend({ CloudCustomData: '漢字' })));
    return bytes.subarray(0, bytes.indexOf(Buffer.from('漢')) + 1);
  })(),
  expectedStatus: 400,
});

// ---------------------------------------------------------------------------------------------
// 2. JSON that is not an object (400, not stored)
// ---------------------------------------------------------------------------------------------

for (const [name, body] of [
  ['not an object: false', 'false'],
  ['not an object: -0', '-0'],
  ['not an object: 1e999 (Infinity after parsing)', '1e999'],
  ['not an object: a string holding the callback', JSON.stringify(seedText)],
  ['not an object: an array of arrays of the callback', `[[${seedText}]]`],
  ['not an object: an empty string literal', '""'],
  ['not an object: a number with surrounding whitespace', ' \n 7 \t'],
] as const) {
  hand({ name, query: tencentQuery(C2C_SEND), body, expectedStatus: 400 });
}
hand({ name: 'empty body with Content-Length 0', query: tencentQuery(C2C_SEND), body: '', expectedStatus: 400, infoIncludes: ['empty'] });
{
  const payload = c2cSend();
  hand({
    name: 'whitespace around a valid object is still JSON (200)',
    query: tencentQuery(C2C_SEND),
    body: `\r\n\t ${json(payload)} \n\n`,
    expectedStatus: 200,
    readBack: readC2C(payload, { msgKey: payload.MsgKey }),
  });
}
{
  // JSON.parse keeps the last of duplicate keys: the body's effective command differs from the query's.
  const payload = c2cSend();
  hand({
    name: 'duplicate CallbackCommand key in the body, the last one differing (400)',
    query: tencentQuery(C2C_SEND),
    body: edit(json(payload), '"CloudCustomData"', '"CallbackCommand":"C2C.CallbackAfterMsgWithDraw","CloudCustomData"'),
    expectedStatus: 400,
    infoIncludes: ['CallbackCommand'],
  });
}
{
  const payload = c2cSend({ From_Account: 'dup-key-last-wins' });
  hand({
    name: 'duplicate From_Account key, the first one empty: the last one counts (200)',
    query: tencentQuery(C2C_SEND),
    body: edit(json(payload), '"From_Account":"dup-key-last-wins"', '"From_Account":"","From_Account":"dup-key-last-wins"'),
    expectedStatus: 200,
    readBack: readC2C(payload, { from: 'dup-key-last-wins' }),
  });
}

// ---------------------------------------------------------------------------------------------
// 3. Every field of the three DTOs with every wrong JSON type (generated)
// ---------------------------------------------------------------------------------------------

function basePayload(rules: CommandRules): Payload {
  switch (rules.command) {
    case C2C_SEND:
      return c2cSend();
    case C2C_EXTENSION:
      return extensionChange();
    default:
      return oaSend();
  }
}

/** What the read API should show when an optional field came null or absent (null means: as if absent). */
function readBackForValid(rules: CommandRules, payload: Payload, field: string): ReadBack | undefined {
  if (rules.command === OA_SEND) {
    const expected: Record<string, unknown> = {
      EventTime: { eventTime: payload.EventTime === undefined || payload.EventTime === null ? null : Number(payload.EventTime) },
      CloudCustomData: { cloudCustomData: payload.CloudCustomData ?? null },
      OnlineOnlyFlag: { onlineOnly: payload.OnlineOnlyFlag === 1 },
    };
    return readOA(payload, (expected[field] as Record<string, unknown> | undefined) ?? {});
  }
  if (rules.command === C2C_SEND) {
    const expected: Record<string, unknown> = {
      MsgId: { msgId: payload.MsgId ?? null },
      ErrorInfo: { errorInfo: payload.ErrorInfo ?? null },
      CloudCustomData: { cloudCustomData: payload.CloudCustomData ?? null },
      OnlineOnlyFlag: { onlineOnly: payload.OnlineOnlyFlag === 1 },
    };
    return readC2C(payload, (expected[field] as Record<string, unknown> | undefined) ?? {});
  }
  return undefined;
}

for (const rules of COMMAND_RULES) {
  for (const rule of rules.fields) {
    for (const type of WRONG_TYPES) {
      const payload = basePayload(rules);
      const mutation = wrongValue(rule, type, payload[rule.name]);
      if (!mutation) continue;
      if (mutation.value === undefined) delete payload[rule.name];
      else payload[rule.name] = mutation.value;
      const valid = mutationIsValid(rule, type, mutation.value);
      generated({
        name: `wrong type: ${rules.command} ${rule.name} as ${type === 'missing' || type === 'null' ? type : `${type} ${JSON.stringify(mutation.value)}`}`,
        query: tencentQuery(rules.command),
        body: json(payload),
        expectedStatus: valid ? 200 : 400,
        infoIncludes: valid ? undefined : [rule.name],
        readBack: valid ? readBackForValid(rules, payload, rule.name) : undefined,
      });
    }
  }
}

// The same for the fields of a MsgBody element and of an ExtensionList item (named with their path).
for (const [rules, list, itemRules] of [
  [COMMAND_RULES[0]!, 'MsgBody', ELEMENT_RULES],
  [COMMAND_RULES[1]!, 'ExtensionList', EXTENSION_ITEM_RULES],
] as const) {
  for (const rule of itemRules) {
    for (const type of WRONG_TYPES) {
      const payload = basePayload(rules);
      const items = (payload[list] as Payload[]).map((item) => ({ ...item }));
      const mutation = wrongValue(rule, type, items[0]![rule.name]);
      if (!mutation) continue;
      if (mutation.value === undefined) delete items[0]![rule.name];
      else items[0]![rule.name] = mutation.value;
      payload[list] = items;
      generated({
        name: `wrong type: ${rules.command} ${list}[0].${rule.name} as ${type === 'missing' || type === 'null' ? type : `${type} ${JSON.stringify(mutation.value)}`}`,
        query: tencentQuery(rules.command),
        body: json(payload),
        expectedStatus: 400,
        infoIncludes: [`${list}.0.${rule.name}`],
      });
    }
  }
}

// Empty strings and NUL in every string field (generated): ids must be non-empty; no field may hold NUL.
for (const rules of COMMAND_RULES) {
  for (const rule of rules.fields.filter((r) => r.kind === 'id' || r.kind === 'text')) {
    const empty = basePayload(rules);
    empty[rule.name] = '';
    const emptyValid = rule.kind === 'text';
    generated({
      name: `empty string: ${rules.command} ${rule.name}`,
      query: tencentQuery(rules.command),
      body: json(empty),
      expectedStatus: emptyValid ? 200 : 400,
      infoIncludes: emptyValid ? undefined : [rule.name],
    });
    const nul = basePayload(rules);
    nul[rule.name] = `before\u0000after`;
    generated({ name: `NUL character: ${rules.command} ${rule.name}`, query: tencentQuery(rules.command), body: json(nul), expectedStatus: 400, infoIncludes: [rule.name] });
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Numbers out of range (hand-written)
// ---------------------------------------------------------------------------------------------

for (const [field, value, status] of [
  ['MsgSeq', -1, 400],
  ['MsgSeq', 4294967296, 400],
  ['MsgSeq', 1e300, 400],
  ['MsgSeq', 1.5, 400],
  ['MsgSeq', 4294967295, 200],
  ['MsgRandom', 0, 200],
  ['MsgTime', -1, 400],
  ['MsgTime', 9007199254740992, 400],
  ['MsgTime', 9007199254740991, 200],
  ['UnreadMsgNum', -2, 400],
  ['OnlineOnlyFlag', 2, 400],
  ['OnlineOnlyFlag', -1, 400],
] as const) {
  const payload = c2cSend({ [field]: value });
  hand({
    name: `range: C2C ${field} ${value}`,
    query: tencentQuery(C2C_SEND),
    body: json(payload),
    expectedStatus: status,
    infoIncludes: status === 400 ? [field] : undefined,
    readBack: status === 200 ? readC2C(payload, { msgKey: payload.MsgKey }) : undefined,
  });
}
{
  const payload = c2cSend({ SendMsgResult: 20006, UnreadMsgNum: -1, ErrorInfo: 'blocked' });
  hand({
    name: 'range: a failed send (SendMsgResult 20006, UnreadMsgNum -1) is kept (200)',
    query: tencentQuery(C2C_SEND),
    body: json(payload),
    expectedStatus: 200,
    readBack: readC2C(payload, { sendMsgResult: 20006, unreadMsgNum: -1 }),
  });
}
hand({ name: 'range: C2C SendMsgResult 2^31 (beyond the int32 column)', query: tencentQuery(C2C_SEND), body: json(c2cSend({ SendMsgResult: 2 ** 31 })), expectedStatus: 400, infoIncludes: ['SendMsgResult'] });
hand({ name: 'range: C2C UnreadMsgNum 2^40 (beyond the int32 column)', query: tencentQuery(C2C_SEND), body: json(c2cSend({ UnreadMsgNum: 2 ** 40 })), expectedStatus: 400, infoIncludes: ['UnreadMsgNum'] });
hand({ name: 'range: extension Seq 1e300', query: tencentQuery(C2C_EXTENSION), body: json(extensionChange({ Seq: 1e300 })), expectedStatus: 400, infoIncludes: ['Seq'] });
hand({
  name: 'range: extension item Seq 2^64',
  query: tencentQuery(C2C_EXTENSION),
  body: json(extensionChange({ ExtensionList: [{ Key: 'k1', Value: 'v1', Seq: 2 ** 64 }] })),
  expectedStatus: 400,
  infoIncludes: ['ExtensionList.0.Seq'],
});
hand({ name: 'range: extension OperateType 0', query: tencentQuery(C2C_EXTENSION), body: json(extensionChange({ OperateType: 0 })), expectedStatus: 400, infoIncludes: ['OperateType'] });
hand({ name: 'range: extension EventTime of 16 digits as a string', query: tencentQuery(C2C_EXTENSION), body: json(extensionChange({ EventTime: '1234567890123456' })), expectedStatus: 400, infoIncludes: ['EventTime'] });
hand({ name: 'range: extension EventTime "1e12" (not digits)', query: tencentQuery(C2C_EXTENSION), body: json(extensionChange({ EventTime: '1e12' })), expectedStatus: 400, infoIncludes: ['EventTime'] });
{
  const payload = oaSend({ EventTime: '000000000000001' });
  hand({ name: 'range: OA EventTime "000000000000001" (digits with leading zeros)', query: tencentQuery(OA_SEND), body: json(payload), expectedStatus: 200, readBack: readOA(payload, { eventTime: 1 }) });
}
{
  // Tencent's limits are 20 keys per change, 300 per message; the project does not enforce them (tolerant).
  const payload = extensionChange({ ExtensionList: Array.from({ length: 500 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}`, Seq: 1 })) });
  hand({ name: 'range: 500 extension keys in one change (200, all kept)', query: tencentQuery(C2C_EXTENSION), body: json(payload), expectedStatus: 200 });
}
hand({ name: 'nested list: MsgBody [[]] (a list holding an empty list)', query: tencentQuery(C2C_SEND), body: json(c2cSend({ MsgBody: [[]] })), expectedStatus: 400, infoIncludes: ['MsgBody'] });
hand({
  name: 'nested list: MsgBody [[element]] (the element one list too deep)',
  query: tencentQuery(C2C_SEND),
  body: json(c2cSend({ MsgBody: [[{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }]] })),
  expectedStatus: 400,
  infoIncludes: ['MsgBody'],
});
hand({
  name: 'nested list: ExtensionList [[item]] (the item one list too deep)',
  query: tencentQuery(C2C_EXTENSION),
  body: json(extensionChange({ ExtensionList: [[{ Key: 'k1', Value: 'v1', Seq: 1 }]] })),
  expectedStatus: 400,
  infoIncludes: ['ExtensionList'],
});
{
  const payload = c2cSend({ MsgBody: [] });
  hand({ name: 'range: an empty MsgBody (200)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { body: [] }) });
}
hand({
  name: 'range: an ExtensionList with the same Key twice (200, processed: the last value wins)',
  query: tencentQuery(C2C_EXTENSION),
  body: json(extensionChange({ ExtensionList: [{ Key: 'k1', Value: 'first', Seq: 1 }, { Key: 'k1', Value: 'second', Seq: 1 }] })),
  expectedStatus: 200,
});

// ---------------------------------------------------------------------------------------------
// 5. Long strings in ids (100 KB)
// ---------------------------------------------------------------------------------------------

// Ids are at most 256 characters (MAX_ID_LENGTH; Tencent's own are far shorter): they go into
// btree indexes (the inbox dedupe key, projection primary keys) whose entries PostgreSQL caps at ~2.7 KB.
for (const field of ['From_Account', 'To_Account', 'MsgKey'] as const) {
  const payload = c2cSend({ [field]: `${field}-${'x'.repeat(100 * KIB)}-${serial}` });
  hand({ name: `100 KB id (repetitive): C2C ${field} (400)`, query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 400, infoIncludes: [field] });
}
{
  const payload = c2cSend({ From_Account: incompressible(100 * KIB) });
  hand({ name: '100 KB id (incompressible): C2C From_Account (400)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 400, infoIncludes: ['From_Account'] });
}
{
  const payload = oaSend({ MsgKey: incompressible(100 * KIB) });
  hand({ name: '100 KB id (incompressible): OA MsgKey (400)', query: tencentQuery(OA_SEND), body: json(payload), expectedStatus: 400, infoIncludes: ['MsgKey'] });
}
{
  const payload = oaSend({ Official_Account: `@TOA#${'y'.repeat(100 * KIB)}` });
  hand({ name: '100 KB id (repetitive): OA Official_Account (400)', query: tencentQuery(OA_SEND), body: json(payload), expectedStatus: 400, infoIncludes: ['Official_Account'] });
}
hand({
  name: '3 KB extension Key (400)',
  query: tencentQuery(C2C_EXTENSION),
  body: json(extensionChange({ ExtensionList: [{ Key: incompressible(3 * KIB), Value: 'v', Seq: 1 }] })),
  expectedStatus: 400,
  infoIncludes: ['ExtensionList.0.Key'],
});
{
  const payload = c2cSend({ From_Account: 'u'.repeat(256) });
  hand({ name: 'a 256-character id, the longest accepted (200)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200 });
}
{
  const payload = c2cSend({ MsgId: incompressible(100 * KIB), ErrorInfo: 'e'.repeat(100 * KIB) });
  hand({ name: '100 KB MsgId and ErrorInfo (not indexed: 200)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { msgId: payload.MsgId }) });
}
{
  const payload = c2cSend({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 't'.repeat(900 * KIB) } }] });
  hand({ name: '900 KB Text (200)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200 });
}

// ---------------------------------------------------------------------------------------------
// 6. Deep and wide nesting
// ---------------------------------------------------------------------------------------------

{
  const payload = c2cSend();
  hand({
    name: 'nesting: 58 nested arrays inside MsgContent, within the 64-level limit (200, kept as received)',
    query: tencentQuery(C2C_SEND),
    body: edit(json(payload), '"MsgContent":{', `"MsgContent":{"Deep":${nested(58)},`),
    expectedStatus: 200,
    readBack: readC2C(payload, { msgKey: payload.MsgKey }),
  });
}
hand({
  name: 'nesting: 60 nested objects inside an unknown command (200, unhandled)',
  query: tencentQuery('Sns.CallbackFriendAdd'),
  body: `{"CallbackCommand":"Sns.CallbackFriendAdd","Deep":${nestedObjects(60)}}`,
  expectedStatus: 200,
});
// Deeper than MAX_JSON_DEPTH (64) is refused with 400 naming the limit, before parsing or validation recurse.
hand({ name: 'nesting: 200 nested arrays inside MsgContent (400)', query: tencentQuery(C2C_SEND), body: c2cWithDeepContent(nested(200)), expectedStatus: 400, infoIncludes: ['64 levels'] });
hand({ name: 'nesting: 200 nested objects inside an unknown command (400)', query: tencentQuery('Sns.CallbackFriendAdd'), body: `{"CallbackCommand":"Sns.CallbackFriendAdd","Deep":${nestedObjects(200)}}`, expectedStatus: 400, infoIncludes: ['64 levels'] });
hand({ name: 'nesting: 2,000 nested arrays inside MsgContent', query: tencentQuery(C2C_SEND), body: c2cWithDeepContent(nested(2000)), expectedStatus: 400, infoIncludes: ['64 levels'] });
hand({ name: 'nesting: 2,000 nested arrays in a body that also lacks From_Account', query: tencentQuery(C2C_SEND), body: c2cWithDeepContent(nested(2000), { From_Account: undefined }), expectedStatus: 400, infoIncludes: ['64 levels'] });
hand({ name: 'nesting: 10,000 nested arrays inside MsgContent', query: tencentQuery(C2C_SEND), body: c2cWithDeepContent(nested(10000)), expectedStatus: 400 });
hand({ name: 'nesting: 10,000 nested objects at the top level of an unknown command', query: tencentQuery('Sns.CallbackFriendAdd'), body: `{"CallbackCommand":"Sns.CallbackFriendAdd","Deep":${nestedObjects(10000)}}`, expectedStatus: 400 });
{
  const body = edit(json(c2cSend({ CloudCustomData: '@@' })), '"MsgContent":{', `"MsgContent":{"Deep":${nested(100000)},`);
  const padding = MIB - 64 - Buffer.byteLength(body);
  hand({
    name: 'nesting: 100,000 nested arrays in a body just under 1 MiB',
    query: tencentQuery(C2C_SEND),
    body: edit(body, '"@@"', JSON.stringify('p'.repeat(padding))),
    expectedStatus: 400,
  });
}
{
  const payload = c2cSend({ MsgBody: Array.from({ length: 15000 }, (_, i) => ({ MsgType: 'TIMTextElem', MsgContent: { Text: String(i) } })) });
  hand({ name: 'width: 15,000 MsgBody elements (200)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200 });
}
{
  const content = Object.fromEntries(Array.from({ length: 50000 }, (_, i) => [`k${i}`, i]));
  const payload = c2cSend({ MsgBody: [{ MsgType: 'TIMCustomElem', MsgContent: content }] });
  hand({ name: 'width: 50,000 keys in one MsgContent (200)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200 });
}
{
  const payload = c2cSend({ MsgBody: Array.from({ length: 3000 }, () => ({ MsgType: 'TIMTextElem' })) });
  hand({ name: 'width: 3,000 MsgBody elements all lacking MsgContent (400, a bounded reason)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 400, infoIncludes: ['MsgBody.0.MsgContent'] });
}

// ---------------------------------------------------------------------------------------------
// 7. Size limit (1 MiB, 413)
// ---------------------------------------------------------------------------------------------

hand({ name: 'size: a valid callback of exactly 1 MiB (200)', query: tencentQuery(C2C_SEND), body: paddedTo(MIB, c2cSend()), expectedStatus: 200 });
hand({ name: 'size: a valid callback of 1 MiB + 1 byte (413)', query: tencentQuery(C2C_SEND), body: paddedTo(MIB + 1, c2cSend()), expectedStatus: 413 });
hand({ name: 'size: 4 MiB of garbage (413, size before syntax)', query: tencentQuery(C2C_SEND), body: Buffer.alloc(4 * MIB, 0xff), expectedStatus: 413 });
hand({ name: 'size: 1.5 MiB sent chunked, without Content-Length (413)', query: tencentQuery(C2C_SEND), chunked: true, body: paddedTo(Math.round(1.5 * MIB), c2cSend()), expectedStatus: 413 });
{
  const payload = c2cSend();
  hand({ name: 'size: a small valid callback sent chunked (200)', query: tencentQuery(C2C_SEND), chunked: true, body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { msgKey: payload.MsgKey }) });
}
// Refused from the query string before the body is read: the guard comes before the size.
hand({ name: 'size: 1 MiB + 1 byte to a wrong SdkAppid (403: refused before the body is read)', query: tencentQuery(C2C_SEND).replace(`SdkAppid=${TEST_SDKAPPID}`, 'SdkAppid=1'), body: paddedTo(MIB + 1, c2cSend()), expectedStatus: 403, infoIncludes: ['SdkAppid'] });
hand({ name: 'size: 2 MiB of JSON escapes \\u0000 (413)', query: tencentQuery(C2C_SEND), body: json(c2cSend({ CloudCustomData: '\u0000'.repeat(Math.ceil((2 * MIB) / 6)) })), expectedStatus: 413 });

// ---------------------------------------------------------------------------------------------
// 8. Unicode
// ---------------------------------------------------------------------------------------------

{
  const payload = c2cSend({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '@@' } }] });
  hand({ name: 'unicode: a lone high surrogate \\ud800 in Text (200, kept)', query: tencentQuery(C2C_SEND), body: withRawString(payload, '"a\\ud800b"'), expectedStatus: 200, readBack: readC2C(payload, { body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'a\ud800b' } }] }) });
}
{
  const payload = c2cSend({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '@@' } }] });
  hand({ name: 'unicode: a lone low surrogate \\udfff at the end of Text (200, kept)', query: tencentQuery(C2C_SEND), body: withRawString(payload, '"x\\udfff"'), expectedStatus: 200, readBack: readC2C(payload, { body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x\udfff' } }] }) });
}
hand({ name: 'unicode: a lone surrogate \\ud800 in From_Account (400: ids cannot hold it)', query: tencentQuery(C2C_SEND), body: withRawString(c2cSend({ From_Account: '@@' }), '"a\\ud800"'), expectedStatus: 400, infoIncludes: ['From_Account'] });
hand({ name: 'unicode: a lone surrogate \\udc00 in an extension Key (400)', query: tencentQuery(C2C_EXTENSION), body: withRawString(extensionChange({ ExtensionList: [{ Key: '@@', Value: 'v', Seq: 1 }] }), '"k\\udc00"'), expectedStatus: 400, infoIncludes: ['ExtensionList.0.Key'] });
{
  const payload = c2cSend({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '@@' } }] });
  hand({ name: 'unicode: NUL \\u0000 in Text (200, stored)', query: tencentQuery(C2C_SEND), body: withRawString(payload, '"a\\u0000b"'), expectedStatus: 200, readBack: readC2C(payload, { body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'a\u0000b' } }] }) });
}
hand({ name: 'unicode: NUL \\u0000 in From_Account (400: ids cannot hold NUL)', query: tencentQuery(C2C_SEND), body: withRawString(c2cSend({ From_Account: '@@' }), '"ja\\u0000red"'), expectedStatus: 400, infoIncludes: ['From_Account'] });
{
  const payload = c2cSend({ From_Account: 'user\u202Egnp.exe', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '\u202Eevil\u202C \u200F\u2066rtl\u2069' } }] });
  hand({ name: 'unicode: RTL override and isolate characters in From_Account and Text (200, verbatim)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { from: 'user\u202Egnp.exe', body: payload.MsgBody }) });
}
{
  const payload = c2cSend({ From_Account: '👩‍👩‍👧‍👦', To_Account: '🏳️‍🌈', MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '😀 e\u0301 \u{1F600}' } }] });
  hand({ name: 'unicode: emoji (ZWJ sequences, astral planes) in ids and Text (200, verbatim)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { from: '👩‍👩‍👧‍👦', to: '🏳️‍🌈', body: payload.MsgBody }) });
}
{
  const payload = c2cSend({ From_Account: '@@' });
  hand({ name: 'unicode: an escaped surrogate pair \\ud83d\\ude00 in From_Account (200, the emoji)', query: tencentQuery(C2C_SEND), body: withRawString(payload, '"\\ud83d\\ude00"'), expectedStatus: 200, readBack: { path: c2cMessagePath('😀', 'Jonh', String(payload.MsgKey)), match: { from: '😀' } } });
}
{
  const payload = extensionChange({ ExtensionList: [{ Key: '🔑', Value: '値\u202E', Seq: 1 }] });
  hand({ name: 'unicode: emoji key and RTL value in an extension (200)', query: tencentQuery(C2C_EXTENSION), body: json(payload), expectedStatus: 200 });
}
{
  // Invalid UTF-8 is refused: a lossy decode would store something other than what was sent.
  const payload = c2cSend({ MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '@@' } }] });
  const [before, after] = json(payload).split('@@') as [string, string];
  hand({
    name: 'unicode: invalid UTF-8 bytes (ff fe c3 and an overlong quote c0 a2) inside Text (400)',
    query: tencentQuery(C2C_SEND),
    body: Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0x41, 0xc3, 0x42, 0xc0, 0xa2]), Buffer.from(after)]),
    expectedStatus: 400,
    infoIncludes: ['UTF-8'],
  });
}
hand({
  name: 'unicode: invalid UTF-8 bytes between JSON tokens (400)',
  query: tencentQuery(C2C_SEND),
  body: Buffer.concat([Buffer.from('{"CallbackCommand":"C2C.CallbackAfterSendMsg",'), Buffer.from([0xff, 0xfe]), Buffer.from('"x":1}')]),
  expectedStatus: 400,
});
hand({
  name: 'unicode: a UTF-16LE body declared as charset=utf-16 (400: the body is read as UTF-8)',
  query: tencentQuery(C2C_SEND),
  headers: { 'Content-Type': 'application/json; charset=utf-16' },
  body: Buffer.from(json(c2cSend()), 'utf16le'),
  expectedStatus: 400,
});
{
  const payload = c2cSend({ From_Account: 'ＡＤＭＩＮ', To_Account: 'admin\u200B' });
  hand({ name: 'unicode: full-width and zero-width characters in ids are distinct ids (200, verbatim)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { from: 'ＡＤＭＩＮ', to: 'admin\u200B' }) });
}
{
  const payload = c2cSend({ CloudCustomData: '\u0001\u001f\u007f\u0085\u2028\u2029' });
  hand({ name: 'unicode: C0/C1 controls and line separators in CloudCustomData (200, verbatim)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { cloudCustomData: payload.CloudCustomData }) });
}

// ---------------------------------------------------------------------------------------------
// 9. __proto__ / constructor / prototype keys
// ---------------------------------------------------------------------------------------------

{
  const payload = c2cSend();
  hand({ name: 'proto: __proto__ with a polluting object at the top level (200, no pollution)', query: tencentQuery(C2C_SEND), body: withLeadingMembers(payload, '"__proto__":{"polluted":"top","isAdmin":true}'), expectedStatus: 200, readBack: readC2C(payload, { msgKey: payload.MsgKey }) });
}
{
  const payload = c2cSend();
  hand({ name: 'proto: constructor.prototype at the top level (200)', query: tencentQuery(C2C_SEND), body: withLeadingMembers(payload, '"constructor":{"prototype":{"polluted":"ctor"}},"prototype":{"polluted":"proto"}'), expectedStatus: 200 });
}
{
  const payload = c2cSend();
  hand({ name: 'proto: __proto__ inside MsgContent (200)', query: tencentQuery(C2C_SEND), body: edit(json(payload), '"MsgContent":{', '"MsgContent":{"__proto__":{"polluted":"content"},'), expectedStatus: 200 });
}
{
  const payload = c2cSend();
  hand({ name: 'proto: __proto__ three levels down inside MsgContent (200)', query: tencentQuery(C2C_SEND), body: edit(json(payload), '"MsgContent":{', '"MsgContent":{"a":{"b":{"c":{"__proto__":{"polluted":"deep"}}}},'), expectedStatus: 200 });
}
{
  const payload = c2cSend();
  hand({ name: 'proto: constructor and prototype inside a MsgBody element (200)', query: tencentQuery(C2C_SEND), body: edit(json(payload), '{"MsgType"', '{"constructor":{"name":"x"},"prototype":1,"MsgType"'), expectedStatus: 200 });
}
hand({
  name: 'proto: a MsgBody element whose MsgType only comes through __proto__ (400: __proto__ cannot supply a field)',
  query: tencentQuery(C2C_SEND),
  body: json(c2cSend({ MsgBody: '@@' })).replace('"MsgBody":"@@"', '"MsgBody":[{"__proto__":{"MsgType":"TIMTextElem"},"MsgContent":{"Text":"x"}}]'),
  expectedStatus: 400,
  infoIncludes: ['MsgBody.0.MsgType'],
});
hand({
  name: 'proto: From_Account only through __proto__ (400)',
  query: tencentQuery(C2C_SEND),
  body: withLeadingMembers(c2cSend({ From_Account: undefined }), '"__proto__":{"From_Account":"jared"}'),
  expectedStatus: 400,
  infoIncludes: ['From_Account'],
});
hand({
  name: 'proto: From_Account only through constructor.prototype (400)',
  query: tencentQuery(C2C_SEND),
  body: withLeadingMembers(c2cSend({ From_Account: undefined }), '"constructor":{"prototype":{"From_Account":"jared"}}'),
  expectedStatus: 400,
  infoIncludes: ['From_Account'],
});
hand({
  name: 'proto: __proto__ spelled with unicode escapes \\u005f\\u005fproto\\u005f\\u005f (200)',
  query: tencentQuery(C2C_SEND),
  body: withLeadingMembers(c2cSend(), '"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"escaped"}'),
  expectedStatus: 200,
});
hand({
  name: 'proto: __proto__ inside an ExtensionList item (200)',
  query: tencentQuery(C2C_EXTENSION),
  body: edit(json(extensionChange({ ExtensionList: [{ Key: 'k1', Value: 'v1', Seq: 1 }] })), '{"Key"', '{"__proto__":{"Key":"evil"},"constructor":"c","Key"'),
  expectedStatus: 200,
});
hand({
  name: 'proto: __proto__ as an array and as null at the top level (200)',
  query: tencentQuery(OA_SEND),
  body: withLeadingMembers(oaSend(), '"__proto__":[1,2],"x":{"__proto__":null}'),
  expectedStatus: 200,
});
{
  const payload = c2cSend({ From_Account: '__proto__', To_Account: 'constructor', MsgKey: `prototype_${serial}` });
  hand({ name: 'proto: ids named __proto__, constructor and prototype (200, stored as ids)', query: tencentQuery(C2C_SEND), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { from: '__proto__', to: 'constructor' }) });
}
{
  const msgKey = uniqueKey('protokeys');
  const message = c2cSend({ MsgKey: msgKey });
  hand({ name: 'proto: the message for the extension keys named like prototype members (200)', query: tencentQuery(C2C_SEND), body: json(message), expectedStatus: 200 });
  const change = extensionChange({
    MsgKey: msgKey,
    From_Account: 'jared',
    To_Account: 'Jonh',
    ExtensionList: ['__proto__', 'constructor', 'hasOwnProperty', 'toString'].map((Key) => ({ Key, Value: `v-${Key}`, Seq: 1 })),
  });
  hand({
    name: 'proto: extension keys __proto__, constructor, hasOwnProperty, toString (200, listed as keys)',
    query: tencentQuery(C2C_EXTENSION),
    body: json(change),
    expectedStatus: 200,
    readBack: {
      path: c2cMessagePath('jared', 'Jonh', msgKey),
      match: {
        extensions: {
          seq: 1,
          items: ['__proto__', 'constructor', 'hasOwnProperty', 'toString'].map((key) => ({ key, value: `v-${key}`, seq: 1 })),
        },
      },
    },
  });
}

// ---------------------------------------------------------------------------------------------
// 10. SQL and path fragments in ids (200, stored verbatim)
// ---------------------------------------------------------------------------------------------

for (const [label, value] of [
  ['SQL: DROP TABLE', "'; DROP TABLE webhook_inbox; --"],
  ['SQL: OR 1=1', "x' OR '1'='1"],
  ['SQL: quote, backslash and dollar quoting', "a\\'b$$c$tag$"],
  ['path: ../../etc/passwd', '../../etc/passwd'],
  ['path: percent-encoded %2e%2e%2f', '%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
  ['path: Windows ..\\..\\boot.ini', '..\\..\\boot.ini'],
  ['template: ${jndi:ldap://x} and {{7*7}}', '${jndi:ldap://x}{{7*7}}<%= 7*7 %>'],
  ['markup: <script>', '<script>alert(1)</script>'],
] as const) {
  const payload = c2cSend({ From_Account: value, MsgKey: `${value}#${serial}` });
  hand({
    name: `injection in C2C From_Account and MsgKey, ${label} (200, verbatim)`,
    query: tencentQuery(C2C_SEND),
    body: json(payload),
    expectedStatus: 200,
    readBack: readC2C(payload, { from: value, msgKey: payload.MsgKey }),
  });
}
for (const [label, value] of [
  ['SQL: DROP TABLE', "'; DROP TABLE official_account_messages; --"],
  ['path: ../../etc/passwd', '../../etc/passwd'],
  ['path: %2e%2e%2f', '%2e%2e%2f'],
] as const) {
  const payload = oaSend({ Official_Account: value });
  hand({ name: `injection in OA Official_Account, ${label} (200, verbatim)`, query: tencentQuery(OA_SEND), body: json(payload), expectedStatus: 200, readBack: readOA(payload, { officialAccount: value }) });
}
{
  const msgKey = "'; DROP TABLE c2c_message_extension_keys; --";
  const change = extensionChange({ MsgKey: msgKey, ExtensionList: [{ Key: '../../etc/passwd', Value: "' OR 1=1 --", Seq: 1 }] });
  hand({ name: 'injection in extension MsgKey, Key and Value (200)', query: tencentQuery(C2C_EXTENSION), body: json(change), expectedStatus: 200 });
}

// ---------------------------------------------------------------------------------------------
// 11. Query string: SdkAppid (403), CallbackCommand (400), repeated, missing, extra
// ---------------------------------------------------------------------------------------------

const validC2C = () => json(c2cSend());
const COMMAND_AND_REST = `CallbackCommand=${C2C_SEND}&contenttype=json`;
for (const [name, query] of [
  ['SdkAppid missing', COMMAND_AND_REST],
  ['SdkAppid empty', `SdkAppid=&${COMMAND_AND_REST}`],
  ['SdkAppid without a value', `SdkAppid&${COMMAND_AND_REST}`],
  ['SdkAppid another app', `SdkAppid=1400000001&${COMMAND_AND_REST}`],
  ['SdkAppid twice, both ours', `SdkAppid=${TEST_SDKAPPID}&SdkAppid=${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid twice, ours second', `SdkAppid=1&SdkAppid=${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid in lower case (sdkappid)', `sdkappid=${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid in upper case (SDKAPPID)', `SDKAPPID=${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid[] (array syntax)', `SdkAppid[]=${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid[0] (index syntax)', `SdkAppid[0]=${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid with a leading zero', `SdkAppid=0${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid with a trailing space (%20)', `SdkAppid=${TEST_SDKAPPID}%20&${COMMAND_AND_REST}`],
  ['SdkAppid with a leading plus (a space)', `SdkAppid=+${TEST_SDKAPPID}&${COMMAND_AND_REST}`],
  ['SdkAppid with a NUL (%00)', `SdkAppid=${TEST_SDKAPPID}%00&${COMMAND_AND_REST}`],
  ['SdkAppid with a broken percent escape', `SdkAppid=${TEST_SDKAPPID}%E0%A4%A&${COMMAND_AND_REST}`],
  ['an empty query string', ''],
] as const) {
  hand({ name: `query: ${name} (403)`, query, body: validC2C(), expectedStatus: 403, infoIncludes: ['SdkAppid'] });
}
// Express' query parser kept only the first 1,000 parameters (a 403 here); Fastify's reads them all.
hand({ name: 'query: SdkAppid as the 1,001st parameter (200: every parameter is read)', query: `${Array.from({ length: 1000 }, (_, i) => `p${i}=1`).join('&')}&SdkAppid=${TEST_SDKAPPID}&${COMMAND_AND_REST}`, body: validC2C(), expectedStatus: 200 });
hand({ name: 'query: SdkAppid twice with a huge body (403 before the body matters)', query: `SdkAppid=${TEST_SDKAPPID}&SdkAppid=${TEST_SDKAPPID}&${COMMAND_AND_REST}`, body: '{bad', expectedStatus: 403 });

const SDK = `SdkAppid=${TEST_SDKAPPID}`;
for (const [name, query] of [
  ['CallbackCommand missing', `${SDK}&contenttype=json`],
  ['CallbackCommand empty', `${SDK}&CallbackCommand=`],
  ['CallbackCommand twice, identical', `${SDK}&CallbackCommand=${C2C_SEND}&CallbackCommand=${C2C_SEND}`],
  ['CallbackCommand twice, different', `${SDK}&CallbackCommand=${C2C_SEND}&CallbackCommand=${OA_SEND}`],
  ['CallbackCommand in lower case name (callbackcommand)', `${SDK}&callbackcommand=${C2C_SEND}`],
  ['CallbackCommand[]', `${SDK}&CallbackCommand[]=${C2C_SEND}`],
  ['CallbackCommand with a trailing space', `${SDK}&CallbackCommand=${C2C_SEND}%20`],
  ['CallbackCommand with a NUL', `${SDK}&CallbackCommand=${C2C_SEND}%00`],
  ['CallbackCommand with a slash', `${SDK}&CallbackCommand=C2C/CallbackAfterSendMsg`],
  ['CallbackCommand __proto__ (not a command name)', `${SDK}&CallbackCommand=__proto__`],
  ['CallbackCommand of 129 characters', `${SDK}&CallbackCommand=C${'a'.repeat(128)}`],
  ['CallbackCommand with SQL', `${SDK}&CallbackCommand=${encodeURIComponent("C2C'; DROP TABLE webhook_inbox; --")}`],
] as const) {
  hand({ name: `query: ${name} (400)`, query, body: validC2C(), expectedStatus: 400, infoIncludes: ['CallbackCommand'] });
}
hand({
  name: 'query: CallbackCommand of another known command than the body (400, kept as rejected)',
  query: tencentQuery(OA_SEND),
  body: validC2C(),
  expectedStatus: 400,
  infoIncludes: ['CallbackCommand'],
});
for (const command of ['constructor', 'hasOwnProperty', 'toString', 'c2c.callbackaftersendmsg']) {
  hand({
    name: `query: CallbackCommand ${command}, matching the body (200, an unknown command, unhandled)`,
    query: `${SDK}&CallbackCommand=${command}`,
    body: json({ CallbackCommand: command, n: serial++ }),
    expectedStatus: 200,
  });
}
hand({ name: 'query: CallbackCommand of 128 characters, matching the body (200, unknown)', query: `${SDK}&CallbackCommand=C${'a'.repeat(127)}`, body: json({ CallbackCommand: `C${'a'.repeat(127)}` }), expectedStatus: 200 });
{
  const payload = c2cSend();
  hand({ name: 'query: only SdkAppid and CallbackCommand (200)', query: `${SDK}&CallbackCommand=${C2C_SEND}`, body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { msgKey: payload.MsgKey }) });
}
for (const [name, extra] of [
  ['ClientIP and OptPlatform repeated', '&ClientIP=1.1.1.1&OptPlatform=Android'],
  ['unknown extra parameters', '&foo=bar&debug=true&admin=1'],
  ['contenttype=xml', '&contenttype=xml'],
  ['a NUL in ClientIP and in an extra parameter', '&ClientIP=%00&x=%00'],
  ['parameters named __proto__ (twice) and constructor', '&__proto__=a&__proto__=b&constructor=c&prototype=d'],
  ['a broken percent escape in an extra parameter', '&x=%E0%A4%A&y=%ZZ'],
  ['Sign and RequestTime while no token is configured (ignored)', '&Sign=garbage&RequestTime=yesterday'],
  ['200 extra parameters', Array.from({ length: 200 }, (_, i) => `&extra${i}=${i}`).join('')],
  ['a 4 KB parameter value', `&big=${'v'.repeat(4 * KIB)}`],
  ['an empty parameter name and a bare ampersand run', '&=x&&&'],
] as const) {
  const payload = c2cSend();
  hand({ name: `query: ${name} (200)`, query: tencentQuery(C2C_SEND, extra), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { msgKey: payload.MsgKey }) });
}

// ---------------------------------------------------------------------------------------------
// 12. Methods and paths
// ---------------------------------------------------------------------------------------------

for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
  hand({ name: `method: ${method} /webhook (404)`, method, query: tencentQuery(C2C_SEND), body: method === 'GET' ? '' : validC2C(), expectedStatus: 404 });
}
for (const [name, path, status] of [
  ['a trailing slash /webhook/ (200)', '/webhook/', 200],
  ['upper case /WEBHOOK (200: routes are case-insensitive)', '/WEBHOOK', 200],
  ['/webhook/extra (404)', '/webhook/extra', 404],
  ['//webhook (404)', '//webhook', 404],
  ['/webhook%2F (404)', '/webhook%2F', 404],
  ['/x/../webhook, not normalised (404)', '/x/../webhook', 404],
  ['/webhook;jsessionid=1 (404)', '/webhook;jsessionid=1', 404],
] as const) {
  hand({ name: `path: ${name}`, path, query: tencentQuery(C2C_SEND), body: validC2C(), expectedStatus: status });
}

// ---------------------------------------------------------------------------------------------
// 13. Content type and other headers (the body is read whatever they say)
// ---------------------------------------------------------------------------------------------

for (const [name, headers] of [
  ['no Content-Type', {}],
  ['Content-Type text/plain', { 'Content-Type': 'text/plain' }],
  ['Content-Type application/xml', { 'Content-Type': 'application/xml' }],
  ['Content-Type multipart/form-data with a boundary', { 'Content-Type': 'multipart/form-data; boundary=xyz' }],
  ['Content-Type application/octet-stream', { 'Content-Type': 'application/octet-stream' }],
  ['Content-Type application/json; charset=latin1', { 'Content-Type': 'application/json; charset=latin1' }],
  ['a garbage Content-Type', { 'Content-Type': '../../etc/passwd; ;;=' }],
  ['a 6 KB Content-Type', { 'Content-Type': `application/json; x=${'a'.repeat(6 * KIB)}` }],
  ['Content-Encoding identity', { 'Content-Type': 'application/json', 'Content-Encoding': 'identity' }],
  ['Content-Encoding gzip on a plain body (not decoded)', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }],
  ['X-Forwarded-For and Host spoofing', { 'Content-Type': 'application/json', 'X-Forwarded-For': '1.2.3.4, 127.0.0.1', Host: 'evil.example' }],
] as const) {
  const payload = c2cSend();
  hand({ name: `headers: ${name} (200)`, query: tencentQuery(C2C_SEND), headers: { ...headers }, body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { msgKey: payload.MsgKey }) });
}
hand({ name: 'headers: a form body sent as application/x-www-form-urlencoded (400)', query: tencentQuery(C2C_SEND), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'CallbackCommand=C2C.CallbackAfterSendMsg&From_Account=jared', expectedStatus: 400 });
hand({ name: 'headers: malformed JSON without a Content-Type (400)', query: tencentQuery(C2C_SEND), headers: {}, body: '{"CallbackCommand":', expectedStatus: 400 });
hand({ name: 'headers: an empty body without a Content-Type (400)', query: tencentQuery(C2C_SEND), headers: {}, body: '', expectedStatus: 400 });

// ---------------------------------------------------------------------------------------------
// 14. Signature (app with CALLBACK_AUTH_TOKEN): Sign and RequestTime
// ---------------------------------------------------------------------------------------------

const signedCase = (c: Omit<HostileCase, 'origin' | 'app'>): void => hand({ ...c, app: 'signed' });
{
  const payload = c2cSend();
  signedCase({ name: 'signed: a valid Sign and RequestTime (200)', query: (s) => tencentQuery(C2C_SEND, signedParams(s)), body: json(payload), expectedStatus: 200, readBack: readC2C(payload, { msgKey: payload.MsgKey }) });
}
{
  const payload = c2cSend();
  signedCase({ name: 'signed: Sign in upper-case hex (the same digest: 200)', query: (s) => tencentQuery(C2C_SEND, `&RequestTime=${s.now()}&Sign=${s.sign(s.now()).toUpperCase()}`), body: json(payload), expectedStatus: 200 });
}
{
  const payload = c2cSend();
  signedCase({ name: 'signed: RequestTime 30 s ago (inside the window: 200)', query: (s) => tencentQuery(C2C_SEND, `&RequestTime=${s.now() - 30}&Sign=${s.sign(s.now() - 30)}`), body: json(payload), expectedStatus: 200 });
}
const at = (s: Signer, requestTime: string | number, sign = s.sign(requestTime)) => tencentQuery(C2C_SEND, `&RequestTime=${requestTime}&Sign=${sign}`);
for (const [name, query] of [
  ['Sign and RequestTime missing', () => tencentQuery(C2C_SEND)],
  ['Sign missing', (s: Signer) => tencentQuery(C2C_SEND, `&RequestTime=${s.now()}`)],
  ['RequestTime missing', (s: Signer) => tencentQuery(C2C_SEND, `&Sign=${s.sign(s.now())}`)],
  ['Sign empty', (s: Signer) => at(s, s.now(), '')],
  ['Sign with one character changed', (s: Signer) => at(s, s.now(), s.sign(s.now()).replace(/.$/, (c) => (c === '0' ? '1' : '0')))],
  ['Sign of 63 characters', (s: Signer) => at(s, s.now(), s.sign(s.now()).slice(1))],
  ['Sign with an extra character', (s: Signer) => at(s, s.now(), `${s.sign(s.now())}0`)],
  ['Sign with a trailing space', (s: Signer) => at(s, s.now(), `${s.sign(s.now())}%20`)],
  ['Sign as base64 of the digest', (s: Signer) => at(s, s.now(), encodeURIComponent(Buffer.from(s.sign(s.now()), 'hex').toString('base64')))],
  ['Sign made with another token', (s: Signer) => at(s, s.now(), s.sign(s.now(), 'not-the-token'))],
  ['Sign made with an empty token', (s: Signer) => at(s, s.now(), s.sign(s.now(), ''))],
  ['Sign for another second than RequestTime', (s: Signer) => at(s, s.now(), s.sign(s.now() - 1))],
  ['Sign repeated (both valid)', (s: Signer) => `${at(s, s.now())}&Sign=${s.sign(s.now())}`],
  ['RequestTime repeated (both now)', (s: Signer) => `${at(s, s.now())}&RequestTime=${s.now()}`],
  ['RequestTime non-numeric, signed as sent', (s: Signer) => at(s, 'yesterday')],
  ['RequestTime negative, signed as sent', (s: Signer) => at(s, '-1')],
  ['RequestTime negative now, signed as sent', (s: Signer) => at(s, `-${s.now()}`)],
  ['RequestTime huge 99999999999999999999, signed as sent', (s: Signer) => at(s, '99999999999999999999')],
  ['RequestTime far future (now + 1 year), signed', (s: Signer) => at(s, s.now() + 365 * 86400)],
  ['RequestTime 2 minutes ahead, signed', (s: Signer) => at(s, s.now() + 120)],
  ['RequestTime zero, signed', (s: Signer) => at(s, 0)],
  ['RequestTime in milliseconds, signed', (s: Signer) => at(s, s.now() * 1000)],
  ['RequestTime with a fraction, signed as sent', (s: Signer) => at(s, `${s.now()}.0`)],
  ['RequestTime in exponent form, signed as sent', (s: Signer) => at(s, `${s.now() / 1e9}e9`)],
  ['RequestTime with a leading space, signed as sent', (s: Signer) => tencentQuery(C2C_SEND, `&RequestTime=%20${s.now()}&Sign=${s.sign(` ${s.now()}`)}`)],
  ['RequestTime in hex, signed as sent', (s: Signer) => at(s, `0x${s.now().toString(16)}`)],
  ['RequestTime with a NUL, signed as sent', (s: Signer) => tencentQuery(C2C_SEND, `&RequestTime=${s.now()}%00&Sign=${s.sign(`${s.now()}\u0000`)}`)],
] as const) {
  signedCase({ name: `signed: ${name} (401)`, query, body: validC2C(), expectedStatus: 401 });
}
signedCase({ name: 'signed: a valid signature for another SdkAppid (403 first)', query: (s) => tencentQuery(C2C_SEND, signedParams(s)).replace(`SdkAppid=${TEST_SDKAPPID}`, 'SdkAppid=1400000001'), body: validC2C(), expectedStatus: 403 });
signedCase({ name: 'signed: a valid signature with a malformed body (400)', query: (s) => tencentQuery(C2C_SEND, signedParams(s)), body: '{bad', expectedStatus: 400 });
signedCase({ name: 'signed: a bad signature with a malformed body (401 first)', query: () => tencentQuery(C2C_SEND, '&RequestTime=1&Sign=x'), body: '{bad', expectedStatus: 401 });
signedCase({ name: 'signed: a bad signature with an oversized body (401: refused before the body is read)', query: () => tencentQuery(C2C_SEND, '&RequestTime=1&Sign=x'), body: paddedTo(MIB + 1, c2cSend()), expectedStatus: 401 });
signedCase({ name: 'signed: a valid signature with an oversized body (413)', query: (s) => tencentQuery(C2C_SEND, signedParams(s)), body: paddedTo(MIB + 1, c2cSend()), expectedStatus: 413 });

// What the corpus itself must be (the test's own data, so checked as it is built, not asserted as if
// the service had produced it): unique names, enough cases of each origin, no case expecting a 5xx,
// and only the size cases over the body limit (or the others would test the limit by accident).
{
  const problems: string[] = [];
  const names = cases.map((c) => c.name);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) problems.push(`names given twice: ${repeated.join(' | ')}`);
  if (cases.length < 150) problems.push(`${cases.length} cases, fewer than 150`);
  for (const origin of ['generated', 'hand-written'] as const) {
    const n = cases.filter((c) => c.origin === origin).length;
    if (n < 50) problems.push(`${n} ${origin} cases, fewer than 50`);
  }
  problems.push(...cases.filter((c) => c.expectedStatus >= 500).map((c) => `${c.name}: expects ${c.expectedStatus}`));
  problems.push(
    ...cases
      .filter((c) => Buffer.byteLength(c.body) > MIB && !c.name.startsWith('size: ') && !c.name.startsWith('signed: '))
      .map((c) => `${c.name}: over 1 MiB, but not a size case`),
  );
  if (problems.length > 0) throw new Error(`test/hostile-input/corpus.ts is malformed:\n${problems.join('\n')}`);
}

/** Every case, in the order they run. */
export const HOSTILE_CORPUS: readonly HostileCase[] = cases;
