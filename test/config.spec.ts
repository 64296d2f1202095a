import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, SIGNING_SECRET_FILE } from '../src/config/app-config.js';

describe(loadConfig.name, () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'mbd-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs with no configuration at all, on the embedded database, reachable from this machine only', () => {
    const sut = loadConfig({ DATA_DIR: dataDir });
    expect(sut).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '127.0.0.1',
      seedDemo: true,
      dataDir,
      logLevel: 'info',
    });
    expect(sut.databaseUrl).toBeUndefined();
    expect(loadConfig({}).dataDir).toBe('./data');
  });

  it('without JWT_SECRET, generates a secret once per data directory, readable by its owner only', () => {
    const first = loadConfig({ DATA_DIR: dataDir }).jwt.secret;
    const file = path.join(dataDir, SIGNING_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(first.length).toBeGreaterThanOrEqual(43);
    expect(loadConfig({ DATA_DIR: dataDir }).jwt.secret).toBe(first);
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'mbd-config-'));
    try {
      expect(loadConfig({ DATA_DIR: elsewhere }).jwt.secret).not.toBe(first);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('on a server database, seeds nothing and listens everywhere unless told otherwise', () => {
    const server = { DATABASE_URL: 'postgres://app@db:5432/mbd', DATA_DIR: dataDir };
    expect(loadConfig(server)).toMatchObject({ host: '0.0.0.0', seedDemo: false });
    expect(loadConfig({ ...server, SEED_DEMO: 'true' })).toMatchObject({
      host: '127.0.0.1',
      seedDemo: true,
    });
    expect(loadConfig({ ...server, HOST: '10.0.0.5', SEED_DEMO: 'true' }).host).toBe('10.0.0.5');
    expect(loadConfig({ DATA_DIR: dataDir, SEED_DEMO: 'false' }).seedDemo).toBe(false);
  });

  it.each([
    'development-only-secret-change-me-in-production-0123456789',
    'test-secret-that-is-long-enough-for-hs256-0123456789',
    'benchmark-secret-that-is-long-enough-0123456789',
  ])('refuses the published secret %s in production, without repeating it', (secret) => {
    const env = { NODE_ENV: 'production', JWT_SECRET: secret };
    expect(() => loadConfig(env)).toThrow(
      /^Invalid configuration:\n {2}- JWT_SECRET=\(hidden\): .*published/,
    );
    expect(() => loadConfig(env)).not.toThrow(new RegExp(secret));
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).jwt.secret).toBe(secret);
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
      graphql: { introspection: false, maxCost: 25_000 },
      rateLimit: {
        perUser: 600,
        perIp: 1_200,
        signInFailuresPerAccount: 5,
        signInFailuresPerAddress: 100,
      },
    });
    expect(
      loadConfig({
        OIDC_ISSUER: 'https://login.example.com/',
        OIDC_AUDIENCE: 'mbd',
        DATA_DIR: dataDir,
      }).oidc,
    ).toEqual({
      issuer: 'https://login.example.com/',
      jwksUrl: 'https://login.example.com/.well-known/jwks.json',
      audience: 'mbd',
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
    [{ SEED_DEMO: 'yes' }, 'SEED_DEMO'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'],
    [{ GRAPHQL_INTROSPECTION: 'yes' }, 'GRAPHQL_INTROSPECTION'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ LOGIN_FAILURES_PER_ACCOUNT: 'many' }, 'LOGIN_FAILURES_PER_ACCOUNT'],
    [{ LOGIN_FAILURES_PER_ADDRESS: '0' }, 'LOGIN_FAILURES_PER_ADDRESS'],
    [{ OIDC_ISSUER: 'not a url' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://login.example.com' }, 'OIDC_AUDIENCE'],
    [
      {
        NODE_ENV: 'production',
        JWT_SECRET: 's'.repeat(40),
        OIDC_ISSUER: 'http://login.example.com',
        OIDC_AUDIENCE: 'mbd',
      },
      'OIDC_ISSUER',
    ],
    [{ TRUST_PROXY: 'yes please!' }, 'TRUST_PROXY'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  - ${variable}=`));
  });
});
