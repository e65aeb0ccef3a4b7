import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigValidationError, configWarnings, loadConfig } from './config/app-config.js';
import { closeConnectionsAfterAnswers, createApp, opsServerOf } from './create-app.js';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new Logger('Bootstrap');
  const app = await createApp(config);
  for (const warning of configWarnings(config)) logger.warn(warning);
  const server = await listenOnEveryInterface((host) => app.listen(config.port, host) as Promise<Server>);
  logger.log(`Listening on port ${config.port} (${config.httpPlatform}); webhook at POST ${config.webhookPath}`);
  const opsServer = opsServerOf(app);
  if (opsServer && config.opsListen) {
    const { port, host } = config.opsListen;
    await (host === undefined ? listenOnEveryInterface((any) => listen(opsServer, port, any)) : listen(opsServer, port, host)).catch((error: unknown) => {
      throw new Error(`OPS_PORT: cannot listen on ${host ?? 'every interface'} port ${port}: ${error instanceof Error ? error.message : String(error)}`);
    });
    logger.log(`Ops routes (/metrics, /docs, /health) on ${host === undefined ? 'port ' : `${host.includes(':') ? `[${host}]` : host}:`}${port}, not on port ${config.port}`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // Tencent's keep-alive connections would otherwise keep the server open (and serving) until
    // the shutdown timeout.
    closeConnectionsAfterAnswers(app);
    logger.log(`${signal}: finishing in-flight callbacks, then stopping (at most ${config.shutdownTimeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`Shutdown took longer than SHUTDOWN_TIMEOUT_MS=${config.shutdownTimeoutMs}; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    // 1. Stop accepting; wait for in-flight requests (each answer closes its connection, and idle
    //    connections are closed as they become idle). 2. app.close(): the retry loop finishes its
    //    batch, decision audits are written, the database closes.
    const servers = opsServer ? [server, opsServer] : [server];
    const sweep = setInterval(() => servers.forEach((each) => each.closeIdleConnections()), 50);
    Promise.all(servers.map((each) => new Promise<void>((resolve) => each.close(() => resolve()))))
      .then(() => clearInterval(sweep))
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Every interface, as Node's own default does (Fastify's default is localhost only): IPv6 and IPv4, or IPv4 where IPv6 is off. */
async function listenOnEveryInterface(listenOn: (host: string) => Promise<Server>): Promise<Server> {
  try {
    return await listenOn('::');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') throw error;
    return listenOn('0.0.0.0');
  }
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

// One plain line (no stack, no colour): the reason names the setting at fault.
bootstrap().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Failed to start: ${reason.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
