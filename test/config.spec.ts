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
      graphql: { introspection: false, maxCost: 25_000 },
      rateLimit: { perUser: 600, perIp: 1_200, login: 10 },
    });
    expect(
      loadConfig({ OIDC_ISSUER: 'https://login.example.com/', OIDC_AUDIENCE: 'mbd' }).oidc,
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
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE'],
    [{ GRAPHQL_INTROSPECTION: 'yes' }, 'GRAPHQL_INTROSPECTION'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ LOGIN_RATE_LIMIT_PER_MINUTE: 'many' }, 'LOGIN_RATE_LIMIT_PER_MINUTE'],
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
