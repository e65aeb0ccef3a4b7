// npm run callback -- list
// npm run callback -- send <CallbackCommand | payload.json> [--url URL] [--sdkappid ID] [--token TOKEN] [--set Field=value ...]
//
// Posts a callback the way Tencent does (query parameters, signature when a token is given),
// prints the HTTP status and the answer, and exits 0 only when the answer's ActionStatus is OK.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { callbackUrl } from '../testing/callback-url.js';
import { CALLBACK_SAMPLES, callbackSample, freshen, type CallbackSample } from '../testing/callback-samples.js';

const USAGE = `Usage:
  npm run callback -- list
  npm run callback -- send <CallbackCommand | payload.json> [--url URL] [--sdkappid ID] [--token TOKEN] [--set Field=value ...]

  --url        webhook URL (default http://localhost:\${PORT:-3000}\${WEBHOOK_PATH:-/webhook})
  --sdkappid   your SDKAppID (default $SDKAPPID)
  --token      sign the request with this token (default $CALLBACK_AUTH_TOKEN, if set)
  --set        change a field: --set MsgBody.0.MsgContent.Text=hello --set UnreadMsgNum=3
               (the value is read as JSON when it parses, else as a string)
  --keep-ids   send the sample's MsgKey and times as they are (default: fresh ones)`;

class UsageError extends Error {}

export async function main(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      sdkappid: { type: 'string' },
      token: { type: 'string' },
      set: { type: 'string', multiple: true },
      'keep-ids': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [verb, target, ...rest] = positionals;
  if (values.help || verb === undefined) {
    out(USAGE);
    return verb === undefined && !values.help ? 2 : 0;
  }
  if (verb === 'list') {
    out('Commands with a sample (npm run callback -- send <command>):');
    for (const command of Object.keys(CALLBACK_SAMPLES).sort()) out(`  ${command}`);
    return 0;
  }
  if (verb !== 'send') throw new UsageError(`unknown verb "${verb}"; use list or send`);
  if (target === undefined) throw new UsageError('send needs a CallbackCommand or a payload file');
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);

  const sdkAppId = values.sdkappid ?? env.SDKAPPID;
  if (!sdkAppId) throw new UsageError('give --sdkappid (or set SDKAPPID)');
  const url = values.url ?? `http://localhost:${env.PORT ?? '3000'}${env.WEBHOOK_PATH ?? '/webhook'}`;
  const token = values.token ?? env.CALLBACK_AUTH_TOKEN?.split(',')[0]?.trim() ?? undefined;

  let payload = loadPayload(target);
  if (!values['keep-ids']) payload = freshen(payload);
  for (const assignment of values.set ?? []) applySet(payload, assignment);

  const full = callbackUrl(url, { command: payload.CallbackCommand, sdkAppId, token: token || undefined });
  out(`POST ${url} ${payload.CallbackCommand}${token ? ' (signed)' : ''}`);
  let response: Response;
  try {
    response = await fetch(full, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    out(`Could not reach ${url}: ${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
  const text = await response.text();
  out(`HTTP ${response.status}`);
  out(text);
  let answer: { ActionStatus?: unknown } | undefined;
  try {
    answer = JSON.parse(text) as { ActionStatus?: unknown };
  } catch {
    answer = undefined;
  }
  return answer?.ActionStatus === 'OK' ? 0 : 1;
}

function loadPayload(target: string): CallbackSample {
  if (target.endsWith('.json') || target.includes('/')) {
    let text: string;
    try {
      text = readFileSync(target, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UsageError(`${target} is not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as CallbackSample).CallbackCommand !== 'string') {
      throw new UsageError(`${target} must hold a JSON object with a CallbackCommand`);
    }
    return value as CallbackSample;
  }
  const sample = callbackSample(target);
  if (!sample) {
    throw new UsageError(`no sample for "${target}"; known commands:\n  ${Object.keys(CALLBACK_SAMPLES).sort().join('\n  ')}`);
  }
  return sample;
}

/** `--set A.B.0.C=value`: creates objects on the way; arrays are indexed by number. */
function applySet(payload: Record<string, unknown>, assignment: string): void {
  const at = assignment.indexOf('=');
  if (at <= 0) throw new UsageError(`--set needs Field=value, got "${assignment}"`);
  const path = assignment.slice(0, at).split('.');
  const raw = assignment.slice(at + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  let node: Record<string, unknown> = payload;
  for (const key of path.slice(0, -1)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new UsageError(`--set cannot write ${key}`);
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (last === '__proto__' || last === 'constructor' || last === 'prototype') throw new UsageError(`--set cannot write ${last}`);
  node[last] = value;
}

// Run only as a program, not when a test imports main().
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
      process.exit(2);
    },
  );
}
