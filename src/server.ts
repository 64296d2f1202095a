import type { NestExpressApplication } from '@nestjs/platform-express';
import { pino, type Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';
import { createApp } from './create-app.js';
import { EmbeddedDatabase } from './database/embedded-database.js';
import { runMigrations } from './database/migrate.js';
import { SeedService, type SeedOutcome } from './modules/seed/seed.service.js';

export interface RunningDatabase {
  url: string;
  embedded?: EmbeddedDatabase;
}

export function bootLogger(config: AppConfig): Logger {
  return pino({ level: config.logLevel, base: { context: 'Boot' } });
}

/** The configured PostgreSQL server, or else the embedded one under DATA_DIR, migrated. */
export async function openDatabase(config: AppConfig, log: Logger): Promise<RunningDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    log.info(
      { dataDir: config.dataDir, port: config.embeddedDatabasePort },
      'starting the embedded PostgreSQL',
    );
    embedded = await EmbeddedDatabase.start({
      dataDir: config.dataDir,
      port: config.embeddedDatabasePort,
      log: (line) => log.debug({ postgres: line }),
    });
  }
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const applied = await runMigrations(url);
    if (applied.length) log.info({ migrations: applied }, 'applied migrations');
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return { url, embedded };
}

export interface RunningService {
  app: NestExpressApplication;
  database: RunningDatabase;
  seed: SeedOutcome;
  /** Drains requests, closes the pool, then stops the embedded PostgreSQL if there is one. */
  stop(): Promise<void>;
}

export async function startService(config: AppConfig, log: Logger): Promise<RunningService> {
  const database = await openDatabase(config, log);
  let app: NestExpressApplication | undefined;
  try {
    app = await createApp(config, database.url);
    const seed = config.seedDemo
      ? await app.get(SeedService).seedIfEmpty(config.nodeEnv)
      : 'skipped: not asked for';
    await app.listen(config.port, config.host);
    const service = app;
    return {
      app: service,
      database,
      seed,
      stop: async () => {
        await service.close();
        await database.embedded?.stop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.embedded?.stop();
    throw error;
  }
}
