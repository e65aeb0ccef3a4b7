import fc from 'fast-check';
import { CallbackDecoder, type DecodedCallback } from '../src/webhook/callback-decoder.js';
import { appCallbackRegistry } from '../src/testing/app-callbacks.js';
import { COMMAND_RULES, ELEMENT_RULES, EXTENSION_ITEM_RULES, type CommandRules, type FieldKind, type FieldRule } from './hostile-input/corpus.js';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/**
 * Property-based tests (issue 3, item 7): the DTOs of the three modelled commands, generated from
 * their field rules (test/hostile-input/corpus.ts), and the extension projection under any order
 * and any duplication of a message's changes. Seeds are fixed so that a run is reproducible;
 * FC_SEED=<n> explores another part of the space.
 */
const SEED = Number(process.env.FC_SEED ?? 20260523);
const DTO_RUNS = 200;

type Payload = Record<string, unknown>;

const decoder = new CallbackDecoder(appCallbackRegistry());

/** As the pipeline does it: the payload travels as JSON text. */
async function decodeAsSent(command: string, payload: Payload): Promise<DecodedCallback> {
  return decoder.decode(command, decoder.parse(JSON.stringify(payload)));
}

// ---------------------------------------------------------------------------------------------
// Valid values of each field kind
// ---------------------------------------------------------------------------------------------

const withoutNul = (s: string): boolean => !s.includes('\u0000');
/** Ids: printable ASCII or any well-formed Unicode (emoji, RTL, combining marks), never NUL. */
const idArb = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 24 })).filter(withoutNul);
const textArb = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 40 })).filter(withoutNul);
const UINT32_MAX = 4_294_967_295;
/** MsgContent and its like: any JSON object (kept as received, never validated inside). */
const contentArb = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
const elementArb = fc.record({ MsgType: idArb, MsgContent: contentArb });
const extensionItemArb = fc.record({ Key: idArb, Value: textArb, Seq: fc.maxSafeNat() });

function validValue(rule: FieldRule, command: string): fc.Arbitrary<unknown> {
  const kind: FieldKind = rule.kind;
  switch (kind) {
    case 'command':
      return fc.constant(command);
    case 'id':
      return idArb;
    case 'type':
      return fc.string({ minLength: 1, maxLength: 24 });
    case 'text':
      return textArb;
    case 'uint32':
      return fc.integer({ min: 0, max: UINT32_MAX });
    case 'timestamp':
      return fc.maxSafeNat();
    case 'int':
      return fc.integer();
    case 'unread':
      return fc.integer({ min: -1, max: 2 ** 31 - 1 });
    case 'flag01':
      return fc.constantFrom(0, 1);
    case 'operateType':
      return fc.constantFrom(1, 2, 3);
    case 'seq':
      return fc.maxSafeNat();
    case 'intOrDigits':
      return fc.oneof(fc.maxSafeNat(), fc.stringMatching(/^\d{1,15}$/));
    case 'elements':
      return fc.array(elementArb, { maxLength: 4 });
    case 'extensionItems':
      return fc.array(extensionItemArb, { maxLength: 4 });
    case 'object':
      return contentArb;
  }
}

/** A valid callback of the command: every required field, any subset of the optional ones. */
function callbackArb(rules: CommandRules): fc.Arbitrary<Payload> {
  const model = Object.fromEntries(rules.fields.map((rule) => [rule.name, validValue(rule, rules.command)]));
  const requiredKeys = rules.fields.filter((rule) => !rule.optional).map((rule) => rule.name);
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Payload>;
}

// ---------------------------------------------------------------------------------------------
// Wrong values: one JSON type the field does not accept
// ---------------------------------------------------------------------------------------------

const MISSING = Symbol('missing');
type Wrong = unknown | typeof MISSING;

const STRING_KINDS: ReadonlySet<FieldKind> = new Set(['command', 'id', 'type', 'text']);
const NUMBER_KINDS: ReadonlySet<FieldKind> = new Set(['uint32', 'timestamp', 'int', 'unread', 'flag01', 'operateType', 'seq', 'intOrDigits']);
const LIST_KINDS: ReadonlySet<FieldKind> = new Set(['elements', 'extensionItems']);

/** A number that JSON keeps as a number and that is not an integer (so wrong for every integer field). */
const fractionArb = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }).filter((x) => !Number.isInteger(x));
/** A list element that is not an object (nor a list: see the nested-list property). */
const notAnObjectArb = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));

function wrongValue(rule: FieldRule): fc.Arbitrary<Wrong> {
  const options: fc.Arbitrary<Wrong>[] = [fc.boolean()];
  if (rule.kind !== 'object') options.push(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }));
  if (!rule.optional) options.push(fc.constant(null), fc.constant(MISSING));
  if (STRING_KINDS.has(rule.kind)) {
    options.push(fc.integer(), fractionArb, fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
    // The right type, the wrong value: ids are never empty, no string holds NUL.
    if (rule.kind === 'id' || rule.kind === 'type') options.push(fc.constant(''));
    if (rule.kind === 'id' || rule.kind === 'text') options.push(textArb.map((s) => `${s}\u0000${s}`));
    if (rule.kind === 'command') options.push(fc.string().filter((s) => !s.startsWith('C2C.') && !s.startsWith('OfficialAccount.')));
  }
  if (NUMBER_KINDS.has(rule.kind)) {
    const string = rule.kind === 'intOrDigits' ? fc.string().filter((s) => !/^\d{1,15}$/.test(s)) : fc.string();
    options.push(string, fractionArb, fc.array(fc.integer(), { maxLength: 3 }));
  }
  if (LIST_KINDS.has(rule.kind)) {
    options.push(fc.string(), fc.integer(), fc.array(notAnObjectArb, { minLength: 1, maxLength: 3 }));
  }
  if (rule.kind === 'object') {
    options.push(fc.string(), fc.integer(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  }
  return fc.oneof(...options);
}

const set = (target: Payload, name: string, value: Wrong): void => {
  if (value === MISSING) delete target[name];
  else target[name] = value;
};

const fieldOf = (rules: CommandRules) => fc.constantFrom(...rules.fields);

describe('DTOs of the modelled commands (CallbackDecoder), property-based', () => {
  describe.each(COMMAND_RULES.map((rules) => [rules.command, rules] as const))('%s', (_command, rules) => {
    it('says modelled for any valid callback generated from the field rules', async () => {
      await fc.assert(
        fc.asyncProperty(callbackArb(rules), async (payload) => {
          const decoded = await decodeAsSent(rules.command, payload);
          expect(decoded.kind === 'invalid' ? decoded.reason : decoded.kind).toBe('modelled');
        }),
        { seed: SEED, numRuns: DTO_RUNS },
      );
    });

    it('says invalid, naming the field, when any one field has a wrong type or value', async () => {
      const mutated = fc.tuple(callbackArb(rules), fieldOf(rules)).chain(([payload, rule]) =>
        wrongValue(rule).map((wrong) => {
          const copy = { ...payload };
          set(copy, rule.name, wrong);
          return { payload: copy, field: rule.name };
        }),
      );
      await fc.assert(
        fc.asyncProperty(mutated, async ({ payload, field }) => {
          const decoded = await decodeAsSent(rules.command, payload);
          expect(decoded.kind).toBe('invalid');
          expect(decoded.kind === 'invalid' && decoded.reason).toContain(field);
        }),
        { seed: SEED, numRuns: DTO_RUNS },
      );
    });

    it('still says modelled with any extra fields, at the top and inside list items', async () => {
      const topNames = new Set(rules.fields.map((rule) => rule.name));
      const itemNames = new Set([...ELEMENT_RULES, ...EXTENSION_ITEM_RULES].map((rule) => rule.name));
      const extra = (reserved: ReadonlySet<string>) =>
        fc.dictionary(
          fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('constructor', 'prototype', '__proto__', 'toString', 'hasOwnProperty', 'valueOf')).filter((k) => !reserved.has(k)),
          fc.jsonValue({ maxDepth: 3 }),
          { minKeys: 1, maxKeys: 6 },
        );
      const withExtras = fc.tuple(callbackArb(rules), extra(topNames), extra(itemNames)).map(([payload, top, inItems]) => {
        const result: Payload = { ...top, ...payload };
        for (const list of ['MsgBody', 'ExtensionList']) {
          if (Array.isArray(result[list])) result[list] = (result[list] as Payload[]).map((item) => ({ ...inItems, ...item }));
        }
        return result;
      });
      await fc.assert(
        fc.asyncProperty(withExtras, async (payload) => {
          const decoded = await decodeAsSent(rules.command, payload);
          expect(decoded.kind === 'invalid' ? decoded.reason : decoded.kind).toBe('modelled');
        }),
        { seed: SEED, numRuns: DTO_RUNS },
      );
    });
  });

  describe.each([
    [`${COMMAND_RULES[0]!.command} MsgBody`, COMMAND_RULES[0]!, 'MsgBody', ELEMENT_RULES],
    [`${COMMAND_RULES[1]!.command} ExtensionList`, COMMAND_RULES[1]!, 'ExtensionList', EXTENSION_ITEM_RULES],
  ] as const)('%s items', (_name, rules, list, itemRules) => {
    it(`says invalid, naming ${list}.<index>.<field>, when one field of one item has a wrong type or value`, async () => {
      const nonEmpty = callbackArb(rules).filter((payload) => (payload[list] as unknown[]).length > 0);
      const mutated = fc
        .tuple(nonEmpty, fc.constantFrom(...itemRules))
        .chain(([payload, rule]) =>
          fc.tuple(fc.nat({ max: (payload[list] as unknown[]).length - 1 }), wrongValue(rule)).map(([index, wrong]) => {
            const items = (payload[list] as Payload[]).map((item) => ({ ...item }));
            set(items[index]!, rule.name, wrong);
            return { payload: { ...payload, [list]: items }, path: `${list}.${index}.${rule.name}` };
          }),
        );
      await fc.assert(
        fc.asyncProperty(mutated, async ({ payload, path }) => {
          const decoded = await decodeAsSent(rules.command, payload);
          expect(decoded.kind).toBe('invalid');
          expect(decoded.kind === 'invalid' && decoded.reason).toContain(path);
        }),
        { seed: SEED, numRuns: DTO_RUNS },
      );
    });

    // Kept apart so that the other properties stay meaningful while this one fails (see the report):
    // @ValidateNested accepts an element that is itself a list.
    it(`says invalid when an item of ${list} is itself a list [known bug]`, async () => {
      const nested = fc.tuple(callbackArb(rules), fc.array<unknown>((list === 'MsgBody' ? elementArb : extensionItemArb) as fc.Arbitrary<unknown>, { maxLength: 2 })).map(([payload, inner]) => ({
        ...payload,
        [list]: [...(payload[list] as unknown[]), inner],
      }));
      await fc.assert(
        fc.asyncProperty(nested, async (payload) => {
          const decoded = await decodeAsSent(rules.command, payload);
          expect(decoded.kind).toBe('invalid');
        }),
        { seed: SEED, numRuns: 50 },
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Extension projection: any order, any duplication == applying once in Seq order
// ---------------------------------------------------------------------------------------------

type Operation = 'set' | 'delete' | 'clear';
interface ExtensionChange {
  operation: Operation;
  seq: number;
  items: { key: string; value: string }[];
  /** Either user of the conversation may make the change. */
  bySecondUser: boolean;
}
interface ExtensionsView {
  seq: number;
  items: { key: string; value: string; seq: number }[];
}

const KEYS = ['a', 'b', 'c', 'd', 'e'];
const OPERATE_TYPES: Record<Operation, 1 | 2 | 3> = { set: 1, delete: 2, clear: 3 };

/** The reference: apply each change once, in Seq order. */
function referenceModel(changes: readonly ExtensionChange[]): ExtensionsView {
  const state = new Map<string, { value: string; seq: number }>();
  let seq = 0;
  for (const change of [...changes].sort((a, b) => a.seq - b.seq)) {
    if (change.operation === 'clear') state.clear();
    for (const item of change.items) {
      if (change.operation === 'set') state.set(item.key, { value: item.value, seq: change.seq });
      else state.delete(item.key);
    }
    seq = Math.max(seq, change.seq);
  }
  const items = [...state].map(([key, held]) => ({ key, value: held.value, seq: held.seq }));
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { seq, items };
}

const changeShape = fc.record({
  operation: fc.oneof({ arbitrary: fc.constant<Operation>('set'), weight: 2 }, fc.constant<Operation>('delete'), fc.constant<Operation>('clear')),
  keys: fc.subarray(KEYS, { minLength: 1 }),
  values: fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter(withoutNul), { minLength: KEYS.length, maxLength: KEYS.length }),
  seqStep: fc.integer({ min: 1, max: 3 }),
  bySecondUser: fc.boolean(),
});

/** Changes with increasing Seq, and a delivery: every change at least once, some twice or more, in any order. */
const scenarioArb = fc
  .array(changeShape, { minLength: 1, maxLength: 7 })
  .map((shapes) => {
    let seq = 0;
    return shapes.map((shape): ExtensionChange => {
      seq += shape.seqStep;
      const items = shape.operation === 'clear' ? [] : shape.keys.map((key, i) => ({ key, value: shape.operation === 'set' ? shape.values[i]! : '' }));
      return { operation: shape.operation, seq, items, bySecondUser: shape.bySecondUser };
    });
  })
  .chain((changes) =>
    fc.array(fc.nat({ max: changes.length - 1 }), { maxLength: changes.length }).chain((duplicates) => {
      const deliveries = [...changes.keys(), ...duplicates];
      return fc.record({
        changes: fc.constant(changes),
        order: fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }),
        messageAt: fc.nat({ max: deliveries.length }),
      });
    }),
  );

describe('C2C message extensions: any order and any duplication give the Seq-order state (real app)', () => {
  let t: TestApp;
  let run = 0;

  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const users = ['prop-user-1', 'prop-user-2'] as const;

  function changePayload(change: ExtensionChange, msgKey: string): Payload {
    const [from, to] = change.bySecondUser ? [users[1], users[0]] : [users[0], users[1]];
    return {
      ...fixture('c2c-msg-extension-set'),
      From_Account: from,
      To_Account: to,
      MsgKey: msgKey,
      OperateType: OPERATE_TYPES[change.operation],
      ExtensionList: change.items.map((item) => ({ Key: item.key, Value: item.value, Seq: change.seq })),
      Seq: change.seq,
      EventTime: 1764688540000 + change.seq,
    };
  }

  it('read API extensions equal the reference model', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ changes, order, messageAt }) => {
        run += 1;
        const msgKey = `prop_${run}_${SEED}`;
        const message = { ...fixture('c2c-after-send-msg'), From_Account: users[0], To_Account: users[1], MsgSeq: run, MsgKey: msgKey };
        const posts: Payload[] = order.map((index) => changePayload(changes[index]!, msgKey));
        posts.splice(messageAt, 0, message);

        for (const payload of posts) {
          const answer = await postCallback(t, payload);
          expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: OK });
        }

        const read = await readApi(t, `/c2c/conversations/${users[1]}/${users[0]}/messages/${msgKey}`);
        expect(read.status).toBe(200);
        expect(read.body.extensions).toEqual(referenceModel(changes));
      }),
      // Each run posts through the app: bound the time spent shrinking a failure (the counterexample found is still reported).
      { seed: SEED, numRuns: 25, interruptAfterTimeLimit: 40_000 },
    );
  }, 90_000);

  it('the reference model itself: set, delete and clear in Seq order', () => {
    const change = (operation: Operation, seq: number, items: [string, string][]): ExtensionChange => ({
      operation,
      seq,
      items: items.map(([key, value]) => ({ key, value })),
      bySecondUser: false,
    });
    expect(
      referenceModel([
        change('delete', 3, [['a', '']]),
        change('set', 1, [['a', '1'], ['b', '1']]),
        change('clear', 4, []),
        change('set', 2, [['c', '2']]),
        change('set', 5, [['d', '5']]),
      ]),
    ).toEqual({ seq: 5, items: [{ key: 'd', value: '5', seq: 5 }] });
    expect(referenceModel([change('set', 1, [['b', 'x'], ['a', 'y']]), change('delete', 2, [['b', '']])])).toEqual({
      seq: 2,
      items: [{ key: 'a', value: 'y', seq: 1 }],
    });
  });
});
