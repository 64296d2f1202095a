import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, SIGNING_SECRET_FILE } from '../../src/config/app-config.js';

/** A secret as `openssl rand -base64 48` would make one. */
const SECRET = 'k3Jq9vZ2wX8mB1nR5tY7uP0aS4dF6gH2jK8lQ3eW9zC1xV5bN7mT';

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
      jobs: { workers: true, poolSize: 2, pollIntervalMs: 2_000, maintenanceIntervalSeconds: 60 },
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

  it.each(['\n', '\r\n', ' '])(
    'refuses a published secret in production with stray whitespace (%j) too',
    (space) => {
      const env = {
        NODE_ENV: 'production',
        JWT_SECRET: `development-only-secret-change-me-in-production-0123456789${space}`,
      };
      expect(() => loadConfig(env)).toThrow(/published in the source code/);
    },
  );

  it('reads TRUST_PROXY as Express means it, whatever its case or spaces', () => {
    const trust = (TRUST_PROXY: string) =>
      loadConfig({ TRUST_PROXY, DATA_DIR: dataDir }).trustProxy;
    expect(trust('1 ')).toBe(1);
    expect(trust('FALSE')).toBe(false);
    expect(trust('True')).toBe(true);
    expect(trust(' loopback, 10.0.0.0/8 ')).toBe('loopback,10.0.0.0/8');
  });

  it('never shows a password from a URL in its messages', () => {
    const refused = () =>
      loadConfig({ DATABASE_URL: 'postgres://app:s3cret-pw@db:5432/mbd ', DATA_DIR: dataDir });
    expect(refused).toThrow(/DATABASE_URL="postgres:\/\/app:\*\*\*@db/);
    expect(refused).not.toThrow(/s3cret-pw/);
  });

  it('reads from a replica only when DATABASE_READ_URL names one, within 5 s of lag by default', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).readReplica).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, DATABASE_READ_MAX_LAG_MS: '2000' }).readReplica).toBe(
      undefined,
    );
    const replica = 'postgres://reader:pw@replica:5432/mbd';
    expect(loadConfig({ DATA_DIR: dataDir, DATABASE_READ_URL: replica }).readReplica).toEqual({
      url: replica,
      maxLagMs: 5_000,
      checkIntervalMs: 1_000,
    });
    expect(
      loadConfig({
        DATA_DIR: dataDir,
        DATABASE_READ_URL: replica,
        DATABASE_READ_MAX_LAG_MS: '2000',
        DATABASE_READ_CHECK_INTERVAL_MS: '250',
      }).readReplica,
    ).toEqual({ url: replica, maxLagMs: 2_000, checkIntervalMs: 250 });
  });

  it('reads every variable it knows', () => {
    const sut = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgres://app@db:5432/mbd',
      JWT_SECRET: SECRET,
      JWT_TTL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '30',
      JOBS_WORKERS: 'false',
      JOBS_POOL_SIZE: '3',
      JOBS_POLL_INTERVAL_MS: '750',
      JOBS_MAINTENANCE_INTERVAL_SECONDS: '5',
    });
    expect(sut).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      databaseUrl: 'postgres://app@db:5432/mbd',
      databasePoolSize: 30,
      logLevel: 'warn',
      jwt: { secret: SECRET, ttlSeconds: 3600 },
      graphql: { introspection: false, maxCost: 25_000 },
      jobs: { workers: false, poolSize: 3, pollIntervalMs: 750, maintenanceIntervalSeconds: 5 },
      rateLimit: {
        perUser: 600,
        perIp: 1_200,
        signInFailuresPerAccount: 50,
        signInFailuresPerAccountAddress: 5,
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
    [{ DATABASE_READ_URL: 'replica:5432' }, 'DATABASE_READ_URL'],
    [{ DATABASE_READ_MAX_LAG_MS: '50' }, 'DATABASE_READ_MAX_LAG_MS'],
    [{ DATABASE_READ_CHECK_INTERVAL_MS: '10' }, 'DATABASE_READ_CHECK_INTERVAL_MS'],
    // The lag is measured once per interval: a smaller limit could not be kept.
    [
      {
        DATABASE_READ_URL: 'postgres://replica/mbd',
        DATABASE_READ_MAX_LAG_MS: '500',
        DATABASE_READ_CHECK_INTERVAL_MS: '1000',
      },
      'DATABASE_READ_MAX_LAG_MS',
    ],
    [{ JOBS_WORKERS: 'no' }, 'JOBS_WORKERS'],
    [{ JOBS_POOL_SIZE: '0' }, 'JOBS_POOL_SIZE'],
    // pg-boss refuses to poll more often than every 500 ms.
    [{ JOBS_POLL_INTERVAL_MS: '100' }, 'JOBS_POLL_INTERVAL_MS'],
    [{ JOBS_MAINTENANCE_INTERVAL_SECONDS: '0' }, 'JOBS_MAINTENANCE_INTERVAL_SECONDS'],
    [{ GRAPHQL_INTROSPECTION: 'yes' }, 'GRAPHQL_INTROSPECTION'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ LOGIN_FAILURES_PER_ACCOUNT: 'many' }, 'LOGIN_FAILURES_PER_ACCOUNT'],
    [{ LOGIN_FAILURES_PER_ADDRESS: '0' }, 'LOGIN_FAILURES_PER_ADDRESS'],
    [{ OIDC_ISSUER: 'not a url' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'https://login.example.com' }, 'OIDC_AUDIENCE'],
    [
      {
        NODE_ENV: 'production',
        JWT_SECRET: SECRET,
        OIDC_ISSUER: 'http://login.example.com',
        OIDC_AUDIENCE: 'mbd',
      },
      'OIDC_ISSUER',
    ],
    [{ TRUST_PROXY: 'yes please!' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'not-an-address' }, 'TRUST_PROXY'],
    [{ NODE_ENV: 'production', JWT_SECRET: SECRET, TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ NODE_ENV: 'production', JWT_SECRET: SECRET, TRUST_PROXY: 'TRUE' }, 'TRUST_PROXY'],
    [{ NODE_ENV: '' }, 'NODE_ENV'],
    [{ JWT_SECRET: `${SECRET}\n` }, 'JWT_SECRET'],
    [{ JWT_SECRET: ` ${SECRET}` }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production', JWT_SECRET: '0'.repeat(64) }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'changeme-changeme-changeme-changeme' }, 'JWT_SECRET'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_PORT: '3000' }, 'METRICS_PORT'],
    [{ METRICS_PORT: 'nine' }, 'METRICS_PORT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration:\\n  - ${variable}=`));
  });

  it('keeps metrics and tracing off unless configured, and never shows the metrics token', () => {
    const quiet = loadConfig({ DATA_DIR: dataDir });
    expect(quiet.metrics).toMatchObject({ enabled: false, host: '127.0.0.1' });
    expect(quiet.tracing).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, METRICS_TOKEN: SECRET }).metrics).toMatchObject({
      enabled: true,
      token: SECRET,
    });
    expect(loadConfig({ DATA_DIR: dataDir, METRICS_PORT: '9464' }).metrics).toMatchObject({
      enabled: true,
      port: 9464,
      host: '127.0.0.1',
    });
    expect(
      loadConfig({
        DATA_DIR: dataDir,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }).tracing,
    ).toEqual({
      endpoint: 'http://collector:4318',
      serviceName: 'market-based-dynamics',
      sampleRatio: 0.25,
    });
    const leak = `${'x'.repeat(20)} ${SECRET}`;
    expect(() => loadConfig({ METRICS_TOKEN: leak })).toThrow(/METRICS_TOKEN=\(hidden\)/);
    expect(() => loadConfig({ METRICS_TOKEN: leak })).not.toThrow(new RegExp(SECRET));
  });
});
