// npm run projections -- rebuild <family|all> [--with-listeners] [--url URL --token TOKEN]
//
// Rebuilds a family's projection tables from the stored callbacks (see README, "Rebuilding a
// projection"): in this process on the configured database (DATABASE_URL, or DATA_DIR's PGlite when
// no service holds it), or, with --url, through a running service's POST /ops/rebuilds.
// A progress bar on a terminal, plain lines otherwise; exit 0 only when every callback was fed.
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import type { RebuildView } from '../projections/rebuild.views.js';

const USAGE = `Usage:
  npm run projections -- rebuild <family|all> [--with-listeners] [--url URL --token TOKEN]

  family            c2c, official-account, presence, group, or all
  --with-listeners  also call every other listener (yours) with the events, as a live callback does
  --url             rebuild through a running service (its base URL, e.g. http://localhost:3000; its
                    OPS_PORT when set): the only way while a service holds DATA_DIR's PGlite
  --token           the service's API_TOKEN (default $API_TOKEN)`;

class UsageError extends Error {}

export interface Terminal {
  line(text: string): void;
  /** Redraws the progress bar in place; absent when the output is not a terminal. */
  bar?(text: string): void;
}

const POLL_MS = 500;
const PLAIN_PROGRESS_EVERY_MS = 5000;

export async function main(argv: string[], env: NodeJS.ProcessEnv, terminal: Terminal): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'with-listeners': { type: 'boolean' },
      url: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [verb, family, ...rest] = positionals;
  if (values.help) {
    terminal.line(USAGE);
    return 0;
  }
  if (verb !== 'rebuild') throw new UsageError(verb === undefined ? 'give a verb: rebuild' : `unknown verb "${verb}"; use rebuild`);
  if (family === undefined) throw new UsageError('rebuild needs a family (or all)');
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const withListeners = values['with-listeners'] ?? false;
  const progress = new ProgressPrinter(terminal);
  const final = values.url
    ? await rebuildThroughService(values.url, values.token ?? env.API_TOKEN, family, withListeners, progress)
    : await rebuildHere(env, family, withListeners, progress);
  if (final === undefined) return 1;
  terminal.line(summary(final));
  return final.state === 'done' && final.failed === 0 ? 0 : 1;
}

/** In this process, on the configured database, with the service's own modules (no HTTP server, no background loops). */
async function rebuildHere(env: NodeJS.ProcessEnv, family: string, withListeners: boolean, progress: ProgressPrinter): Promise<RebuildView | undefined> {
  // This process only rebuilds: no retry loop dispatching pending callbacks, no event relay.
  env.WEBHOOK_RETRY_POLL_MS = '0';
  delete env.EVENT_RELAY_URL;
  const [{ NestFactory }, { AppModule }, { ProjectionRebuildService }, { toRebuildView }, { DataDirInUseError }] = await Promise.all([
    import('@nestjs/core'),
    import('../app.module.js'),
    import('../projections/projection-rebuild.service.js'),
    import('../projections/rebuild.views.js'),
    import('../database/data-dir-lock.js'),
  ]);
  let context: INestApplicationContext | undefined;
  try {
    context = await NestFactory.createApplicationContext(AppModule, { logger: ['error'], abortOnError: false });
  } catch (error) {
    if (error instanceof Error && error.cause instanceof DataDirInUseError) {
      progress.terminal.line(`${error.message}.`);
      progress.terminal.line(`A service holds this embedded database: rebuild through it with --url <its base URL> --token <its API_TOKEN>.`);
      return undefined;
    }
    throw error;
  }
  // ^C stops it between pages and records it as failed ("interrupted") instead of leaving it running.
  context.enableShutdownHooks();
  try {
    const service = context.get(ProjectionRebuildService);
    const final = await service.run({ family, withListeners, onProgress: (live) => progress.show(live), progressEveryMs: 200 });
    return toRebuildView(final);
  } finally {
    await context.close();
  }
}

async function rebuildThroughService(base: string, token: string | undefined, family: string, withListeners: boolean, progress: ProgressPrinter): Promise<RebuildView | undefined> {
  if (!token) throw new UsageError('give --token (or set API_TOKEN): the route is behind the API token');
  const url = `${base.replace(/\/+$/, '')}/ops/rebuilds`;
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const started = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ family, withListeners }) });
  const answer = (await started.json().catch(() => ({}))) as RebuildView & { ErrorInfo?: string };
  if (started.status !== 202) {
    progress.terminal.line(`HTTP ${started.status}: ${answer.ErrorInfo ?? started.statusText}`);
    return undefined;
  }
  for (let rebuild = answer; ; ) {
    progress.show(rebuild);
    if (rebuild.state !== 'running') return rebuild;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const polled = await fetch(`${url}/${rebuild.id}`, { headers });
    if (polled.status !== 200) {
      progress.terminal.line(`HTTP ${polled.status} while following rebuild ${rebuild.id}`);
      return undefined;
    }
    rebuild = (await polled.json()) as RebuildView;
  }
}

class ProgressPrinter {
  private lastPlainAt = 0;

  constructor(readonly terminal: Terminal) {}

  show(progress: { total: number; processed: number; failed: number; ratePerSecond: number }): void {
    const done = progress.processed + progress.failed;
    const share = progress.total > 0 ? Math.min(1, done / progress.total) : 0;
    const counts = `${done.toLocaleString('en-US')}/${progress.total.toLocaleString('en-US')} callbacks, ${Math.round(progress.ratePerSecond).toLocaleString('en-US')}/s${progress.failed > 0 ? `, ${progress.failed} failed` : ''}`;
    if (this.terminal.bar) {
      const width = 30;
      const filled = Math.round(share * width);
      this.terminal.bar(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${counts}`);
    } else if (Date.now() - this.lastPlainAt >= PLAIN_PROGRESS_EVERY_MS) {
      this.lastPlainAt = Date.now();
      this.terminal.line(`progress: ${counts}`);
    }
  }
}

function summary(rebuild: RebuildView): string {
  const seconds = rebuild.finishedAt ? (Date.parse(rebuild.finishedAt) - Date.parse(rebuild.startedAt)) / 1000 : undefined;
  const fed = `${rebuild.processed.toLocaleString('en-US')} of ${rebuild.total.toLocaleString('en-US')} stored callbacks fed`;
  const timing = `${seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`}, ${Math.round(rebuild.ratePerSecond).toLocaleString('en-US')}/s`;
  const failures = rebuild.failed > 0 ? `; ${rebuild.failed} failed` : '';
  const why = rebuild.lastError ? ` (last error: ${rebuild.lastError})` : '';
  return `rebuild ${rebuild.id} of ${rebuild.family} ${rebuild.state}: ${fed}${timing}${failures}${why}`;
}

// Run only as a program, not when a test imports main().
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const tty = process.stdout.isTTY;
  let barShown = false;
  const terminal: Terminal = {
    line: (text) => {
      if (barShown) process.stdout.write('\n');
      barShown = false;
      process.stdout.write(`${text}\n`);
    },
    bar: tty
      ? (text) => {
          barShown = true;
          process.stdout.write(`\r\x1b[2K${text}`);
        }
      : undefined,
  };
  main(process.argv.slice(2), process.env, terminal).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
      process.exit(2);
    },
  );
}
