import { ConfigError, loadConfig } from '../src/config/app-config.js';

describe(loadConfig.name, () => {
  it('runs with no configuration at all, on the embedded database', () => {
    const sut = loadConfig({});
    expect(sut).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      dataDir: './data',
      logLevel: 'info',
    });
    expect(sut.databaseUrl).toBeUndefined();
  });

  it('reads every variable it knows', () => {
    const sut = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgres://app@db:5432/mbd',
      JWT_SECRET: 's'.repeat(40),
      JWT_TTL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '30',
    });
    expect(sut).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      databaseUrl: 'postgres://app@db:5432/mbd',
      databasePoolSize: 30,
      logLevel: 'warn',
      jwt: { secret: 's'.repeat(40), ttlSeconds: 3600 },
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  - ${variable}=`));
  });
});
