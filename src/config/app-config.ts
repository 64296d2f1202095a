import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Used only outside production, so that `npm start` works with no configuration. */
const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-me-in-production-0123456789';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** The environment as the operator wrote it; names are the variables' own. */
class EnvironmentVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
  })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_DB_PORT = 54329;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** `application_name` of this instance's connections, to tell instances apart in pg_stat_activity. */
  @Matches(/^[\x20-\x7e]{1,63}$/, {
    message: 'DB_APPLICATION_NAME must be 1–63 printable ASCII characters',
  })
  DB_APPLICATION_NAME = 'market-based-dynamics';

  @ValidateIf((env: EnvironmentVariables) => env.NODE_ENV === 'production' || !!env.JWT_SECRET)
  @IsString({ message: 'JWT_SECRET is required in production' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  @MaxLength(512)
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24 * 30)
  JWT_TTL_SECONDS = 12 * 60 * 60;

  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'market-based-dynamics';

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'market-based-dynamics';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  SQL_STATEMENT_HEADER?: 'true' | 'false';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  DASHBOARD_REFRESH_SECONDS = 60;

  /** Introspection (and field suggestions in errors): on by default outside production. */
  @IsOptional()
  @IsIn(['true', 'false'])
  GRAPHQL_INTROSPECTION?: 'true' | 'false';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  GRAPHQL_MAX_COST = 25_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_IP_PER_MINUTE = 1_200;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_RATE_LIMIT_PER_MINUTE = 10;

  /** Express's `trust proxy`: `true`, a number of hops, or addresses/subnets (comma-separated). */
  @Matches(/^(true|false|\d{1,2}|[\w.:/,\s-]+)$/, {
    message: 'TRUST_PROXY must be true, false, a number of hops or a list of addresses',
  })
  TRUST_PROXY = 'false';

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OIDC_ISSUER must be an http(s) URL' })
  OIDC_ISSUER?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OIDC_JWKS_URL must be an http(s) URL' })
  OIDC_JWKS_URL?: string;

  @ValidateIf((env: EnvironmentVariables) => !!env.OIDC_ISSUER)
  @IsString({ message: 'OIDC_AUDIENCE is required with OIDC_ISSUER' })
  @MinLength(1)
  OIDC_AUDIENCE?: string;
}

export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  readonly host: string;
  /** Absent: the service runs its own embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly embeddedDatabasePort: number;
  readonly databasePoolSize: number;
  readonly databaseApplicationName: string;
  readonly jwt: {
    readonly secret: string;
    readonly ttlSeconds: number;
    readonly issuer: string;
    readonly audience: string;
  };
  readonly logLevel: LogLevel;
  /** Set: subscription events travel through Redis, shared by every instance. */
  readonly redisUrl?: string;
  /** Report each GraphQL request's SQL statement count in `x-sql-statements`. */
  readonly sqlStatementHeader: boolean;
  /** How often market statistics are recomputed; 0: only on demand. */
  readonly dashboardRefreshSeconds: number;
  readonly graphql: {
    /** Introspection on, and field suggestions in validation errors. */
    readonly introspection: boolean;
    /** The most a query may cost: each field 1, list fields times their `first`. */
    readonly maxCost: number;
  };
  /** Requests a minute, per signed-in employee, per client address, and sign-in attempts. */
  readonly rateLimit: { readonly perUser: number; readonly perIp: number; readonly login: number };
  /** Express's `trust proxy` setting. */
  readonly trustProxy: boolean | number | string;
  /** Set: bearer tokens from this identity provider are accepted too, matched by e-mail. */
  readonly oidc?: { readonly issuer: string; readonly jwksUrl: string; readonly audience: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once at start-up. A bad value stops the service with
 * a message naming the variable, rather than failing later in some unrelated place.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const raw = Object.fromEntries(
    known.filter((name) => env[name] !== undefined && env[name] !== '').map((n) => [n, env[n]]),
  );
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { forbidUnknownValues: true });
  const problems = errors.map((e) => {
    const messages = Object.values(e.constraints ?? {}).join('; ');
    return `${e.property}=${JSON.stringify(e.value)}: ${messages}`;
  });
  // In production, the identity provider's keys must come over TLS.
  for (const name of ['OIDC_ISSUER', 'OIDC_JWKS_URL'] as const) {
    const value = vars[name];
    if (vars.NODE_ENV === 'production' && value?.startsWith('http://')) {
      problems.push(`${name}=${JSON.stringify(value)}: must be an https URL in production`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.DATA_DIR,
    embeddedDatabasePort: vars.EMBEDDED_DB_PORT,
    databasePoolSize: vars.DB_POOL_SIZE,
    databaseApplicationName: vars.DB_APPLICATION_NAME,
    jwt: {
      secret: vars.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      ttlSeconds: vars.JWT_TTL_SECONDS,
      issuer: vars.JWT_ISSUER,
      audience: vars.JWT_AUDIENCE,
    },
    logLevel: vars.LOG_LEVEL,
    redisUrl: vars.REDIS_URL,
    sqlStatementHeader: vars.SQL_STATEMENT_HEADER
      ? vars.SQL_STATEMENT_HEADER === 'true'
      : vars.NODE_ENV !== 'production',
    dashboardRefreshSeconds: vars.DASHBOARD_REFRESH_SECONDS,
    graphql: {
      introspection: vars.GRAPHQL_INTROSPECTION
        ? vars.GRAPHQL_INTROSPECTION === 'true'
        : vars.NODE_ENV !== 'production',
      maxCost: vars.GRAPHQL_MAX_COST,
    },
    rateLimit: {
      perUser: vars.RATE_LIMIT_PER_MINUTE,
      perIp: vars.RATE_LIMIT_IP_PER_MINUTE,
      login: vars.LOGIN_RATE_LIMIT_PER_MINUTE,
    },
    trustProxy:
      vars.TRUST_PROXY === 'true'
        ? true
        : vars.TRUST_PROXY === 'false'
          ? false
          : /^\d+$/.test(vars.TRUST_PROXY)
            ? Number(vars.TRUST_PROXY)
            : vars.TRUST_PROXY,
    oidc:
      vars.OIDC_ISSUER && vars.OIDC_AUDIENCE
        ? {
            issuer: vars.OIDC_ISSUER,
            jwksUrl:
              vars.OIDC_JWKS_URL ?? `${vars.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`,
            audience: vars.OIDC_AUDIENCE,
          }
        : undefined,
  };
}

export function usesDevelopmentSecret(config: AppConfig): boolean {
  return config.jwt.secret === DEVELOPMENT_JWT_SECRET;
}
