import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config.js';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from './modules/seed/demo-organisation.js';
import { bootLogger, startService } from './server.js';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = bootLogger(config);

  const service = await startService(config, log);
  const address = service.app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${publicHost(config.host)}:${port}/graphql`;
  log.info(
    {
      url,
      database: config.databaseUrl ? 'server' : `embedded (${config.dataDir})`,
      seed: service.seed,
    },
    `Market Based Dynamics is ready at ${url}`,
  );
  let banner = `\nGraphQL: ${url}\n`;
  if (service.seed === 'seeded' || service.seed === 'skipped: database not empty') {
    const signIns = DEMO_SIGN_INS.map(
      (s) => `  ${s.email.padEnd(20)} ${DEMO_PASSWORD}   (${s.role})`,
    );
    banner += `Demo sign-ins:\n${signIns.join('\n')}\n`;
  }
  process.stdout.write(`${banner}\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** How a browser on this machine reaches a listening address. */
function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
