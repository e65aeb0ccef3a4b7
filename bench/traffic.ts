// Realistic, signed webhook traffic for the benchmark: every callback is new (no duplicates), so
// each one costs the service its full path (inbox insert, projection, outcome).
import { CALLBACK_SAMPLES } from '../src/testing/callback-samples.js';
import { callbackQuery } from '../src/testing/callback-url.js';

export const AFTER_SEND = 'C2C.CallbackAfterSendMsg';
export const AFTER_EXTENSION = 'C2C.CallbackAfterC2CMsgExtension';
export const OFFICIAL_ACCOUNT_SEND = 'OfficialAccount.CallbackAfterSendMsg';
export const GROUP_SEND = 'Group.CallbackAfterSendMsg';
export const BEFORE_SEND = 'C2C.CallbackBeforeSendMsg';

/** Group messages' share of the after-callback traffic: a third (issue 18). */
export const DEFAULT_GROUP_SHARE = 1 / 3;

/**
 * The after-callback mix: group messages take `groupShare`; the rest keeps the one-to-one mix of
 * issue 16 (70% messages, 20% extension changes, 10% Official Account messages).
 */
export function afterMix(groupShare: number): Record<typeof GROUP_SEND | typeof AFTER_SEND | typeof AFTER_EXTENSION | typeof OFFICIAL_ACCOUNT_SEND, number> {
  const rest = 1 - groupShare;
  return { [GROUP_SEND]: groupShare, [AFTER_SEND]: 0.7 * rest, [AFTER_EXTENSION]: 0.2 * rest, [OFFICIAL_ACCOUNT_SEND]: 0.1 * rest };
}

export interface TrafficOptions {
  sdkAppId: string;
  /** CALLBACK_AUTH_TOKEN of the service: every request carries Sign and RequestTime. */
  token: string;
  webhookPath: string;
  /** Distinct chat users; each talks to a handful of contacts. */
  users: number;
  officialAccounts: number;
  /** Distinct groups; one in ten is a community whose messages go to one of its topics. */
  groups: number;
  /** Group messages' share of the after callbacks (DEFAULT_GROUP_SHARE). */
  groupShare: number;
  /** Same seed, same traffic: the PostgreSQL and PGlite runs get identical callbacks. */
  seed: number;
}

export interface OutgoingCallback {
  command: string;
  /** Path with the signed query string. */
  path: string;
  body: string;
}

/** Extension changes target messages sent at least this many callbacks earlier (already stored). */
const EXTENSION_LAG = 200;
/** ... and at most this many (the recent messages people react to). */
const RECENT_MESSAGES = 8192;
const CONTACTS_PER_USER = 8;
const EXTENSION_KEYS = ['like', 'reaction', 'pinned', 'translated', 'read_by'];
const TOPICS_PER_COMMUNITY = 4;
const PHRASES = [
  'ok',
  'on my way',
  'see you at 7?',
  'can you send me the file from yesterday',
  'thanks!',
  'haha',
  'I will call you back in five minutes, I am in a meeting right now',
  'sounds good',
  'did you see the game last night',
  'happy birthday!!',
];

interface SentMessage {
  from: string;
  to: string;
  msgKey: string;
  /** The message's extension version so far. */
  extensionSeq: number;
  /** Keys that currently hold a value. */
  keys: string[];
}

/** mulberry32: small, fast, seedable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates callbacks one at a time (autocannon's setupRequest asks for one per request). Bodies
 * are built from the project's samples (src/testing/callback-samples.ts) with fresh identities;
 * the signed query string of each command is computed once per second, not per request.
 */
export class TrafficGenerator {
  private readonly rand: () => number;
  private readonly users: string[];
  private readonly officialAccounts: string[];
  /** Each group's (or topic's) next MsgSeq: Tencent numbers a group's messages 1, 2, 3, ... (per topic in communities). */
  private readonly groupSeqs = new Map<string, number>();
  private readonly recent: SentMessage[] = [];
  private sent = 0;
  private msgSeq: number;
  private readonly paths = new Map<string, { second: number; path: string }>();
  readonly counts: Record<string, number> = {};
  private readonly mix: ReturnType<typeof afterMix>;

  constructor(private readonly options: TrafficOptions) {
    this.rand = random(options.seed);
    this.mix = afterMix(options.groupShare);
    this.users = Array.from({ length: options.users }, (_, i) => `user_${String(i + 1).padStart(6, '0')}`);
    this.officialAccounts = Array.from({ length: options.officialAccounts }, (_, i) => `@TOA#_BENCH${String(i + 1).padStart(4, '0')}`);
    this.msgSeq = 1 + Math.floor(this.rand() * 1_000_000);
  }

  /** The next callback of the after-callback mix (afterMix). */
  nextAfter(): OutgoingCallback {
    let r = this.rand();
    if ((r -= this.mix[GROUP_SEND]) < 0) return this.groupMsg();
    if ((r -= this.mix[AFTER_SEND]) < 0) return this.sendMsg();
    if (r < this.mix[AFTER_EXTENSION]) return this.extensionChange() ?? this.sendMsg();
    return this.officialAccountMsg();
  }

  /** A new one-to-one message for the "before" hook (the decision path). */
  nextBefore(): OutgoingCallback {
    const { from, to } = this.pair();
    return this.callback(BEFORE_SEND, {
      ...CALLBACK_SAMPLES[BEFORE_SEND],
      ...this.messageIdentity(),
      From_Account: from,
      To_Account: to,
      MsgBody: this.body(),
    });
  }

  private sendMsg(): OutgoingCallback {
    const { from, to } = this.pair();
    const identity = this.messageIdentity();
    const message: SentMessage = { from, to, msgKey: identity.MsgKey, extensionSeq: 0, keys: [] };
    if (this.recent.length < RECENT_MESSAGES) this.recent.push(message);
    else this.recent[this.sent % RECENT_MESSAGES] = message;
    this.sent += 1;
    const custom = this.rand() < 0.3 ? { CloudCustomData: JSON.stringify({ v: 1, client: 'bench' }) } : {};
    return this.callback(AFTER_SEND, {
      ...CALLBACK_SAMPLES[AFTER_SEND],
      ...identity,
      ...custom,
      From_Account: from,
      To_Account: to,
      MsgId: `${identity.MsgSeq}-${identity.MsgRandom}`,
      OnlineOnlyFlag: 0,
      SendMsgResult: 0,
      UnreadMsgNum: 1 + Math.floor(this.rand() * 30),
      MsgBody: this.body(),
    });
  }

  /** A set or delete on a message sent a little earlier, with the message's next extension Seq. */
  private extensionChange(): OutgoingCallback | undefined {
    const available = Math.min(this.sent, RECENT_MESSAGES) - EXTENSION_LAG;
    if (available <= 0) return undefined;
    // Index back from the newest message the lag allows, within the recent window.
    const back = EXTENSION_LAG + Math.floor(this.rand() * available);
    const message = this.recent[(this.sent - 1 - back) % RECENT_MESSAGES]!;
    const seq = ++message.extensionSeq;
    const deleting = message.keys.length > 0 && this.rand() < 0.25;
    let list: { Key: string; Value: string; Seq: number }[];
    if (deleting) {
      const key = message.keys.splice(Math.floor(this.rand() * message.keys.length), 1)[0]!;
      list = [{ Key: key, Value: '', Seq: seq }];
    } else {
      const key = EXTENSION_KEYS[Math.floor(this.rand() * EXTENSION_KEYS.length)]!;
      if (!message.keys.includes(key)) message.keys.push(key);
      list = [{ Key: key, Value: JSON.stringify({ by: this.pick(this.users), at: Date.now() }), Seq: seq }];
    }
    const byRecipient = this.rand() < 0.7;
    return this.callback(AFTER_EXTENSION, {
      ...CALLBACK_SAMPLES[AFTER_EXTENSION],
      From_Account: byRecipient ? message.to : message.from,
      To_Account: byRecipient ? message.from : message.to,
      MsgKey: message.msgKey,
      OperateType: deleting ? 2 : 1,
      ExtensionList: list,
      Seq: seq,
      EventTime: Date.now(),
    });
  }

  /** A new message in one of the groups (or one of a community's topics), with that group's next MsgSeq. */
  private groupMsg(): OutgoingCallback {
    const index = Math.floor(this.rand() * this.options.groups);
    const community = index % 10 === 0;
    const groupId = community ? `@TGS#_BENCH${String(index).padStart(6, '0')}` : `@TGS#2BENCH${String(index).padStart(6, '0')}`;
    const topic = community ? { TopicId: `${groupId}@TOPIC#_${1 + Math.floor(this.rand() * TOPICS_PER_COMMUNITY)}` } : {};
    const sequence = topic.TopicId ?? groupId;
    const msgSeq = (this.groupSeqs.get(sequence) ?? 0) + 1;
    this.groupSeqs.set(sequence, msgSeq);
    const custom = this.rand() < 0.3 ? { CloudCustomData: JSON.stringify({ v: 1, client: 'bench' }) } : {};
    return this.callback(GROUP_SEND, {
      ...CALLBACK_SAMPLES[GROUP_SEND],
      ...topic,
      ...custom,
      GroupId: groupId,
      Type: community ? 'Community' : 'Public',
      From_Account: this.pick(this.users),
      Random: Math.floor(this.rand() * 4_294_967_295),
      MsgSeq: msgSeq,
      MsgTime: Math.floor(Date.now() / 1000),
      OnlineOnlyFlag: 0,
      MsgBody: this.body(),
      EventTime: Date.now(),
    });
  }

  private officialAccountMsg(): OutgoingCallback {
    const identity = this.messageIdentity();
    return this.callback(OFFICIAL_ACCOUNT_SEND, {
      ...CALLBACK_SAMPLES[OFFICIAL_ACCOUNT_SEND],
      Official_Account: this.pick(this.officialAccounts),
      MsgKey: identity.MsgKey,
      MsgTime: identity.MsgTime,
      OnlineOnlyFlag: 0,
      MsgBody: this.body(),
      EventTime: Date.now(),
    });
  }

  private messageIdentity(): { MsgSeq: number; MsgRandom: number; MsgTime: number; MsgKey: string } {
    const MsgSeq = this.msgSeq++ % 4_294_967_296;
    const MsgRandom = Math.floor(this.rand() * 4_294_967_295);
    const MsgTime = Math.floor(Date.now() / 1000);
    return { MsgSeq, MsgRandom, MsgTime, MsgKey: `${MsgSeq}_${MsgRandom}_${MsgTime}` };
  }

  /** A user and one of their regular contacts. */
  private pair(): { from: string; to: string } {
    const i = Math.floor(this.rand() * this.users.length);
    const k = 1 + Math.floor(this.rand() * CONTACTS_PER_USER);
    const j = (i + k * 7919) % this.users.length;
    return { from: this.users[i]!, to: this.users[j === i ? (j + 1) % this.users.length : j]! };
  }

  private body(): object[] {
    const text = { MsgType: 'TIMTextElem', MsgContent: { Text: this.pick(PHRASES) } };
    if (this.rand() < 0.1) {
      return [text, { MsgType: 'TIMCustomElem', MsgContent: { Data: '{"type":"card","id":42}', Desc: 'card', Ext: '' } }];
    }
    return [text];
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  private callback(command: string, body: Record<string, unknown>): OutgoingCallback {
    this.counts[command] = (this.counts[command] ?? 0) + 1;
    return { command, path: this.signedPath(command), body: JSON.stringify(body) };
  }

  private signedPath(command: string): string {
    const second = Math.floor(Date.now() / 1000);
    const cached = this.paths.get(command);
    if (cached?.second === second) return cached.path;
    const query = callbackQuery({ command, sdkAppId: this.options.sdkAppId, token: this.options.token, requestTime: second });
    const path = `${this.options.webhookPath}?${query.toString()}`;
    this.paths.set(command, { second, path });
    return path;
  }
}
