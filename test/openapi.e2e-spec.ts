import request from 'supertest';
import { fixture, OK, postCallback, readApi } from './utils/callbacks.js';
import { createTestApp, TEST_API_TOKEN, type TestApp } from './utils/test-app.js';

// The expected document is written here, from DESIGN section 6 and the README ("Read API",
// "Operations API"), never derived from the document under test.

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
};
type Operation = {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { type: string; scheme?: string }> };
};

/** The fields a documented object must have; `objects` and `arrays` describe fields holding an object or a list of them. */
interface Shape {
  fields: readonly string[];
  objects?: Record<string, Shape>;
  arrays?: Record<string, Shape>;
}

const MSG_BODY_ELEMENT: Shape = { fields: ['MsgType', 'MsgContent'] };
const MESSAGE: Shape = {
  fields: [
    'msgKey', 'from', 'to', 'msgSeq', 'msgRandom', 'msgTime', 'msgId', 'onlineOnly', 'sendMsgResult', 'errorInfo', 'unreadMsgNum',
    'body', 'cloudCustomData', 'extensions', 'recalled', 'recalledAt', 'editedAt',
  ],
  objects: { extensions: { fields: ['seq', 'items'], arrays: { items: { fields: ['key', 'value', 'seq'] } } } },
  arrays: { body: MSG_BODY_ELEMENT },
};
const UNREAD: Shape = { fields: ['userId', 'unreadMsgNum'] };
const CONVERSATION: Shape = { fields: ['peer', 'lastMessage', 'lastReadTime', 'unreadFromPeer'], objects: { lastMessage: MESSAGE } };
const OFFICIAL_ACCOUNT: Shape = {
  fields: ['officialAccount', 'name', 'ownerAccount', 'faceUrl', 'introduction', 'organization', 'subscriberCount', 'full', 'destroyed'],
};
const SUBSCRIBER: Shape = { fields: ['userId', 'subscribedAt'] };
const OFFICIAL_ACCOUNT_MESSAGE: Shape = {
  fields: ['officialAccount', 'msgKey', 'msgTime', 'onlineOnly', 'body', 'cloudCustomData', 'eventTime', 'recalled', 'recalledAt'],
  arrays: { body: MSG_BODY_ELEMENT },
};
const PRESENCE: Shape = {
  fields: ['userId', 'online', 'action', 'reason', 'kickedDevices', 'eventTime'],
  arrays: { kickedDevices: { fields: ['platform'] } },
};
const GROUP: Shape = {
  fields: [
    'groupId', 'type', 'name', 'ownerAccount', 'introduction', 'notification', 'faceUrl', 'memberCount', 'maxMemberCount', 'full', 'destroyed',
    'attributes', 'createdAt',
  ],
};
const GROUP_MEMBER: Shape = { fields: ['userId', 'role', 'joinedAt', 'joinType', 'operator', 'nameCard', 'mutedUntil'] };
const GROUP_MESSAGE: Shape = {
  fields: [
    'groupId', 'msgSeq', 'topicId', 'from', 'msgTime', 'msgRandom', 'onlineOnly', 'body', 'cloudCustomData', 'recalled', 'recalledAt', 'readCount',
    'extensions',
  ],
  objects: { extensions: { fields: ['seq', 'items'], arrays: { items: { fields: ['key', 'value', 'seq'] } } } },
  arrays: { body: MSG_BODY_ELEMENT },
};
const GROUP_TOPIC: Shape = { fields: ['topicId', 'name', 'createdAt', 'destroyed'] };
const WEBHOOK_EVENT_FIELDS = ['id', 'command', 'status', 'dedupeKey', 'attempts', 'lastError', 'receivedAt', 'processedAt', 'nextAttemptAt'];
const WEBHOOK_EVENT_SUMMARY: Shape = { fields: WEBHOOK_EVENT_FIELDS };
const WEBHOOK_EVENT_DETAIL: Shape = { fields: [...WEBHOOK_EVENT_FIELDS, 'sdkAppId', 'clientIp', 'optPlatform', 'payload', 'query'] };
const EVENT_RELAY: Shape = {
  fields: ['enabled', 'stream', 'subjectPrefix', 'connected', 'leader', 'lastError', 'lastPublishedAt', 'cursor', 'published', 'backlog', 'failureCount', 'failures'],
  objects: { backlog: { fields: ['rows', 'oldestProcessedAt'] } },
  arrays: { failures: { fields: ['id', 'inboxId', 'eventId', 'eventName', 'error', 'failedAt'] } },
};
const OPS_STATS: Shape = { fields: ['hours', 'bucketSeconds', 'from', 'to', 'buckets', 'series'], arrays: { series: { fields: ['command', 'status', 'counts', 'total'] } } };
const ERROR_ENVELOPE: Shape = { fields: ['ActionStatus', 'ErrorCode', 'ErrorInfo'] };
const REPLAY: Shape = {
  fields: ['id', 'filter', 'state', 'total', 'replayed', 'outcomes', 'ratePerSecond', 'startedAt', 'finishedAt', 'lastError'],
  objects: {
    filter: { fields: ['status', 'command', 'receivedFrom', 'receivedTo'] },
    outcomes: { fields: ['processed', 'failed', 'dead', 'unhandled', 'conflict', 'invalid'] },
  },
};
const REPLAY_DRY_RUN: Shape = { fields: ['dryRun', 'matched', 'byStatus', 'byCommand'] };
const REBUILD: Shape = { fields: ['id', 'family', 'families', 'state', 'total', 'processed', 'failed', 'ratePerSecond', 'startedAt', 'finishedAt', 'lastError'] };

const listOf = (item: Shape, extra: readonly string[] = []): Shape => ({ fields: ['items', ...extra], arrays: { items: item } });

interface Route {
  method: 'get' | 'post';
  path: string;
  /** Query parameters the route takes. */
  query?: readonly string[];
  ok: Shape;
  /** Answers 404 (in the envelope) for something unknown. */
  notFound?: boolean;
  /** A real request for it, once the data below is stored: its answer must match the documented schema. */
  sample: string;
  /** The sample's JSON body. */
  body?: unknown;
  /** The sample's status when not 200 (its answer is checked against that status's schema). */
  answers?: number;
}

const MSG_KEY = '48374_2837546_1557481126';
const OA = '@TOA#_2J4SZEAEL';
const OA_PATH = encodeURIComponent(OA);
const GROUP_PATH = encodeURIComponent('@TGS#2J4SZEAEL');
const COMMUNITY_PATH = encodeURIComponent('@TGS#_@TGS#cQVLVHIM62CJ');

const BEARER_ROUTES: Route[] = [
  { method: 'get', path: '/c2c/conversations/{userA}/{userB}/messages', query: ['limit'], ok: listOf(MESSAGE), sample: '/c2c/conversations/jared/Jonh/messages' },
  { method: 'get', path: '/c2c/conversations/{userA}/{userB}/messages/{msgKey}', ok: MESSAGE, notFound: true, sample: `/c2c/conversations/Jonh/jared/messages/${MSG_KEY}` },
  { method: 'get', path: '/c2c/users/{userId}/unread', ok: UNREAD, notFound: true, sample: '/c2c/users/Jonh/unread' },
  { method: 'get', path: '/c2c/users/{userId}/conversations', query: ['limit'], ok: listOf(CONVERSATION), sample: '/c2c/users/Jonh/conversations' },
  { method: 'get', path: '/official-accounts/{officialAccount}', ok: OFFICIAL_ACCOUNT, notFound: true, sample: `/official-accounts/${OA_PATH}` },
  { method: 'get', path: '/official-accounts/{officialAccount}/subscribers', query: ['limit'], ok: listOf(SUBSCRIBER), notFound: true, sample: `/official-accounts/${OA_PATH}/subscribers` },
  { method: 'get', path: '/official-accounts/{officialAccount}/messages', query: ['limit'], ok: listOf(OFFICIAL_ACCOUNT_MESSAGE), sample: `/official-accounts/${OA_PATH}/messages` },
  { method: 'get', path: '/official-accounts/{officialAccount}/messages/{msgKey}', ok: OFFICIAL_ACCOUNT_MESSAGE, notFound: true, sample: `/official-accounts/${OA_PATH}/messages/71_1_1698741698` },
  { method: 'get', path: '/groups/{groupId}', ok: GROUP, notFound: true, sample: `/groups/${GROUP_PATH}` },
  { method: 'get', path: '/groups/{groupId}/members', query: ['cursor', 'limit'], ok: listOf(GROUP_MEMBER, ['nextCursor']), notFound: true, sample: `/groups/${GROUP_PATH}/members?limit=1` },
  { method: 'get', path: '/groups/{groupId}/messages', query: ['topicId', 'limit'], ok: listOf(GROUP_MESSAGE), sample: `/groups/${GROUP_PATH}/messages` },
  { method: 'get', path: '/groups/{groupId}/messages/{msgSeq}', query: ['topicId'], ok: GROUP_MESSAGE, notFound: true, sample: `/groups/${GROUP_PATH}/messages/123` },
  { method: 'get', path: '/groups/{groupId}/topics', query: ['limit'], ok: listOf(GROUP_TOPIC), sample: `/groups/${COMMUNITY_PATH}/topics` },
  { method: 'get', path: '/users/{userId}/presence', ok: PRESENCE, notFound: true, sample: '/users/jared/presence' },
  { method: 'get', path: '/webhook-events', query: ['status', 'command', 'cursor', 'limit'], ok: listOf(WEBHOOK_EVENT_SUMMARY, ['nextCursor']), sample: '/webhook-events?limit=2' },
  { method: 'get', path: '/webhook-events/{id}', ok: WEBHOOK_EVENT_DETAIL, notFound: true, sample: '/webhook-events/1' },
  { method: 'post', path: '/webhook-events/{id}/replay', ok: WEBHOOK_EVENT_DETAIL, notFound: true, sample: '/webhook-events/1/replay' },
  { method: 'get', path: '/event-relay', query: ['limit'], ok: EVENT_RELAY, sample: '/event-relay' },
  { method: 'post', path: '/ops/replays', ok: REPLAY_DRY_RUN, sample: '/ops/replays', body: { status: ['processed'], dryRun: true } },
  { method: 'get', path: '/ops/replays', query: ['limit'], ok: listOf(REPLAY), sample: '/ops/replays' },
  { method: 'get', path: '/ops/replays/{id}', ok: REPLAY, notFound: true, sample: '/ops/replays/1' },
  // The replay of the data below is over by then: nothing to cancel.
  { method: 'post', path: '/ops/replays/{id}/cancel', ok: REPLAY, notFound: true, sample: '/ops/replays/1/cancel', answers: 409 },
  { method: 'get', path: '/ops/stats', query: ['hours'], ok: OPS_STATS, sample: '/ops/stats?hours=24' },
  { method: 'get', path: '/ops/rebuilds', query: ['limit'], ok: listOf(REBUILD), sample: '/ops/rebuilds' },
];
/** Bearer routes checked by their own test below: they answer 202, or need a rebuild to exist. */
const REBUILD_ROUTES = ['post /ops/rebuilds', 'get /ops/rebuilds/{id}'];

/** Documented, without the bearer token. */
const OPEN_ROUTES = [
  { method: 'get', path: '/health' },
  { method: 'get', path: '/health/live' },
  { method: 'get', path: '/health/ready' },
  { method: 'get', path: '/metrics' },
] as const;

const WEBHOOK_PATH = '/tencent/im-callback';

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;

  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = doc.components.schemas[name];
      if (!target) throw new Error(`${schema.$ref} is not in components.schemas`);
      return resolve(target);
    }
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]!);
    return schema;
  };

  /** The schema documents an object with at least these fields, down the nested shapes. */
  const expectShape = (schema: Schema, shape: Shape, where: string): void => {
    const object = resolve(schema);
    const properties = object.properties ?? {};
    expect({ where, fields: Object.keys(properties) }).toEqual({ where, fields: expect.arrayContaining([...shape.fields]) });
    for (const [field, nested] of Object.entries(shape.objects ?? {})) expectShape(properties[field]!, nested, `${where}.${field}`);
    for (const [field, nested] of Object.entries(shape.arrays ?? {})) {
      const list = resolve(properties[field]!);
      expect({ where: `${where}.${field}`, type: list.type }).toEqual({ where: `${where}.${field}`, type: 'array' });
      expectShape(list.items!, nested, `${where}.${field}[]`);
    }
  };

  /** A real answer matches its schema, all the way down: every field documented with its type, every required one present. */
  const expectConforms = (value: unknown, schema: Schema, where: string): void => {
    const s = resolve(schema);
    if (value === null) {
      expect({ where, nullable: s.nullable }).toEqual({ where, nullable: true });
      return;
    }
    if (s.enum) expect({ where, value, documented: s.enum.includes(value) }).toEqual({ where, value, documented: true });
    switch (s.type ?? 'object') {
      case 'string':
        expect({ where, type: typeof value }).toEqual({ where, type: 'string' });
        return;
      case 'integer':
        expect({ where, integer: Number.isInteger(value) }).toEqual({ where, integer: true });
        return;
      case 'number':
        expect({ where, type: typeof value }).toEqual({ where, type: 'number' });
        return;
      case 'boolean':
        expect({ where, type: typeof value }).toEqual({ where, type: 'boolean' });
        return;
      case 'array':
        expect({ where, array: Array.isArray(value) }).toEqual({ where, array: true });
        (value as unknown[]).forEach((item, i) => expectConforms(item, s.items!, `${where}[${i}]`));
        return;
      default: {
        expect({ where, type: typeof value, array: Array.isArray(value) }).toEqual({ where, type: 'object', array: false });
        if (!s.properties) return; // free-form (payload, MsgContent, query, decision)
        const record = value as Record<string, unknown>;
        const undocumented = Object.keys(record).filter((field) => !(field in s.properties!));
        const missing = (s.required ?? []).filter((field) => !(field in record));
        expect({ where, undocumented, missing }).toEqual({ where, undocumented: [], missing: [] });
        for (const [field, item] of Object.entries(record)) expectConforms(item, s.properties[field]!, `${where}.${field}`);
      }
    }
  };

  const operation = (method: string, path: string): Operation => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return found;
  };
  const jsonSchema = (op: Operation, status: string): Schema => {
    const schema = op.responses[status]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`no application/json schema for ${status}`);
    return schema;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { WEBHOOK_PATH } });
    // Data for every sample request: a message with an extension, edited and recalled, a read
    // report, an Official Account with a subscriber and a message, a state change, a group with
    // attributes, members and a message with an extension, a topic.
    const extension = { ...fixture('c2c-msg-extension-set'), From_Account: 'jared', To_Account: 'Jonh', MsgKey: MSG_KEY };
    const payloads: Record<string, unknown>[] = [
      fixture('c2c-after-send-msg'),
      extension,
      fixture('c2c-modify-msg'),
      fixture('c2c-msg-withdraw'),
      fixture('c2c-msg-report'),
      fixture('official-account-after-create'),
      fixture('official-account-after-add-subscriber'),
      fixture('official-account-after-send-msg'),
      fixture('state-change'),
      fixture('group-after-create-group'),
      fixture('group-after-group-attr-changed'),
      fixture('group-after-send-msg'),
      fixture('group-after-group-msg-extension'),
      fixture('group-after-create-topic'),
    ];
    for (const payload of payloads) {
      const answer = await postCallback(t, payload);
      expect({ command: payload.CallbackCommand, status: answer.status, body: answer.body as unknown }).toEqual({ command: payload.CallbackCommand, status: 200, body: OK });
    }
    const answer = await request(t.server).get('/docs-json');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json\b/);
    doc = answer.body as OpenApiDocument;
    // A bulk replay (id 1) for the samples of /ops/replays: its 202 is the documented Replay.
    const replay = await request(t.server).post('/ops/replays').set('Authorization', `Bearer ${TEST_API_TOKEN}`).send({ status: ['dead'] });
    expect(replay.status).toBe(202);
    expectConforms(replay.body, jsonSchema(operation('post', '/ops/replays'), '202'), 'POST /ops/replays 202');
    expectShape(jsonSchema(operation('post', '/ops/replays'), '202'), REPLAY, 'POST /ops/replays 202');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is an OpenAPI 3 document with the API_TOKEN bearer scheme', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.API_TOKEN).toMatchObject({ type: 'http', scheme: 'bearer' });
    expectShape({ $ref: '#/components/schemas/ErrorEnvelope' }, ERROR_ENVELOPE, 'ErrorEnvelope');
  });

  it.each(BEARER_ROUTES.map((route) => [route.method.toUpperCase(), route.path, route] as const))(
    '%s %s: bearer security, parameters, 200 schema with the documented fields, errors in the envelope',
    (_method, path, route) => {
      const op = operation(route.method, path);
      expect(op.security).toEqual([{ API_TOKEN: [] }]);
      const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const parameters = op.parameters ?? [];
      expect(parameters.filter((p) => p.in === 'path').map((p) => p.name).sort()).toEqual(pathParameters.sort());
      expect(parameters.filter((p) => p.in === 'path').every((p) => p.required)).toBe(true);
      expect(parameters.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual([...(route.query ?? [])].sort());
      expect(parameters.filter((p) => p.in === 'query').every((p) => !p.required)).toBe(true);
      expectShape(jsonSchema(op, '200'), route.ok, `${route.method.toUpperCase()} ${path} 200`);
      expectShape(jsonSchema(op, '401'), ERROR_ENVELOPE, `${path} 401`);
      if (route.notFound) expectShape(jsonSchema(op, '404'), ERROR_ENVELOPE, `${path} 404`);
      if (route.query?.includes('limit')) expectShape(jsonSchema(op, '400'), ERROR_ENVELOPE, `${path} 400`);
    },
  );

  it('documents no bearer route beyond the written list', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security?.some((requirement) => 'API_TOKEN' in requirement))
        .map(([method]) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...BEARER_ROUTES.map((route) => `${route.method} ${route.path}`), ...REBUILD_ROUTES].sort());
  });

  it('documents the webhook at the configured WEBHOOK_PATH, and health and metrics, without the bearer token', () => {
    expect(doc.paths['/webhook']).toBeUndefined();
    const webhook = operation('post', WEBHOOK_PATH);
    expect(webhook.security).toBeUndefined();
    expect((webhook.parameters ?? []).filter((p) => p.required).map((p) => p.name).sort()).toEqual(['CallbackCommand', 'SdkAppid']);
    expectShape(jsonSchema(webhook, '200'), ERROR_ENVELOPE, 'webhook 200');
    for (const status of ['400', '401', '403', '413', '503']) expectShape(jsonSchema(webhook, status), ERROR_ENVELOPE, `webhook ${status}`);
    for (const route of OPEN_ROUTES) expect(operation(route.method, route.path).security).toBeUndefined();
    expect(operation('get', '/metrics').responses['200']?.content?.['text/plain']).toBeDefined();
  });

  it.each(BEARER_ROUTES.map((route) => [route.method.toUpperCase(), route.sample, route] as const))(
    '%s %s answers what the document says',
    async (_method, sample, route) => {
      const post = (): request.Test => request(t.server).post(sample).set('Authorization', `Bearer ${TEST_API_TOKEN}`);
      const call = route.method === 'post' ? (route.body === undefined ? post() : post().send(route.body as object)) : readApi(t, sample);
      const answer = await call;
      const status = route.answers ?? 200;
      expect({ sample, status: answer.status }).toEqual({ sample, status });
      expectConforms(answer.body, jsonSchema(operation(route.method, route.path), String(status)), sample);
    },
  );

  it('POST /ops/rebuilds answers 202 and GET /ops/rebuilds/{id} 200 as documented; 400, 404, 409 in the envelope', async () => {
    const post = operation('post', '/ops/rebuilds');
    const get = operation('get', '/ops/rebuilds/{id}');
    expect([post.security, get.security]).toEqual([[{ API_TOKEN: [] }], [{ API_TOKEN: [] }]]);
    for (const status of ['400', '401', '409']) expectShape(jsonSchema(post, status), ERROR_ENVELOPE, `POST /ops/rebuilds ${status}`);
    for (const status of ['401', '404']) expectShape(jsonSchema(get, status), ERROR_ENVELOPE, `GET /ops/rebuilds/{id} ${status}`);
    const started = await request(t.server).post('/ops/rebuilds').set('Authorization', `Bearer ${TEST_API_TOKEN}`).send({ family: 'presence' });
    expect(started.status).toBe(202);
    expectConforms(started.body, jsonSchema(post, '202'), 'POST /ops/rebuilds');
    const id = (started.body as { id: number }).id;
    const read = await readApi(t, `/ops/rebuilds/${id}`);
    expect(read.status).toBe(200);
    expectConforms(read.body, jsonSchema(get, '200'), 'GET /ops/rebuilds/{id}');
  });

  it('answers errors as their documented envelope', async () => {
    const notFound = await readApi(t, '/c2c/users/nobody/unread');
    expect(notFound.status).toBe(404);
    expectConforms(notFound.body, jsonSchema(operation('get', '/c2c/users/{userId}/unread'), '404'), '404 answer');
    const unauthorized = await request(t.server).get('/webhook-events');
    expect(unauthorized.status).toBe(401);
    expectConforms(unauthorized.body, jsonSchema(operation('get', '/webhook-events'), '401'), '401 answer');
    const callback = await postCallback(t, fixture('c2c-after-send-msg'));
    expectConforms(callback.body, jsonSchema(operation('post', WEBHOOK_PATH), '200'), 'webhook answer');
  });

  it('serves Swagger UI at /docs', async () => {
    const page = await request(t.server).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html\b/);
    expect(page.text).toContain('swagger-ui');
    const init = await request(t.server).get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain(WEBHOOK_PATH);
  });
});
