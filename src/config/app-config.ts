import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import proxyAddr from 'proxy-addr';
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

/**
 * SHA-256 digests of every signing secret this repository has ever shipped (the old development
 * default, the tests' and the benchmark's): anyone who read the source could sign tokens with
 * them, so production refuses them.
 */
const PUBLISHED_JWT_SECRET_DIGESTS = new Set([
  '02824a621e33a61b7adfd39379a1d504223e4a025dfc8959632b306206b04415',
  '802dbfd9e5fa1e3442a783792d98c458ee49df0720c3e3b15170815256a0d6a5',
  'ba54756a8fc9042b19de7a09518d24a1838b5f2459fee3564c769db394b93e0f',
  'bb276c66d48f491ef1a4dc05345fa73019eaf69d6658c4f24cc2453ee0707b30',
  'de8337454e9ec92bde4c74e7535fe1f34eed5646608441bd0c26ef734a620e2f',
]);

export const isPublishedSecret = (secret: string): boolean =>
  PUBLISHED_JWT_SECRET_DIGESTS.has(createHash('sha256').update(secret).digest('hex'));

/** Where development keeps the signing secret it generated, inside DATA_DIR. */
export const SIGNING_SECRET_FILE = 'jwt.secret';

/** Variables whose values never appear in messages. */
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'METRICS_TOKEN']);

/** A value as a message may show it: secrets hidden, passwords in URLs masked. */
function shown(name: string, value: unknown): string {
  if (SECRET_VARIABLES.has(name)) return '(hidden)';
  const text = JSON.stringify(value);
  return typeof value === 'string' ? text.replace(/(\/\/[^/:@\s]*:)[^@\s]*@/, '$1***@') : text;
}

/**
 * What is wrong with a signing secret: surrounding whitespace anywhere (a copy-and-paste slip
 * that would make the key differ from the one meant); in production, one the source has
 * published (whitespace aside) or a placeholder with hardly any distinct characters.
 */
function secretProblems(secret: string | undefined, nodeEnv: NodeEnv): string[] {
  if (secret === undefined) return [];
  const problems: string[] = [];
  if (secret !== secret.trim()) {
    problems.push('JWT_SECRET=(hidden): must not begin or end with whitespace');
  }
  if (nodeEnv !== 'production') return problems;
  if (isPublishedSecret(secret) || isPublishedSecret(secret.trim())) {
    problems.push(
      'JWT_SECRET=(hidden): this secret has been published in the source code; ' +
        'generate your own, e.g. `openssl rand -base64 48`',
    );
  } else if (new Set(secret).size < MIN_DISTINCT_SECRET_CHARACTERS) {
    problems.push(
      `JWT_SECRET=(hidden): fewer than ${MIN_DISTINCT_SECRET_CHARACTERS} distinct characters, ` +
        'a placeholder rather than a secret; generate one, e.g. `openssl rand -base64 48`',
    );
  }
  return problems;
}

/** A random secret of 32 characters has about 20 distinct ones; a placeholder has few. */
const MIN_DISTINCT_SECRET_CHARACTERS = 12;

/**
 * Express's `trust proxy`: false, a number of proxy hops, or the proxies' addresses (checked
 * here, so a typo stops the service with a message rather than inside Express). `true` trusts
 * every hop, so any client behind an appending proxy could choose its own address: refused in
 * production.
 */
function parseTrustProxy(
  value: string,
  nodeEnv: NodeEnv,
  problems: string[],
): boolean | number | string {
  const setting = value.trim();
  const named = setting.toLowerCase();
  if (named === 'false') return false;
  if (named === 'true') {
    if (nodeEnv === 'production') {
      problems.push(
        `TRUST_PROXY="${setting}": trusts every hop, so clients could choose their own address; ` +
          'give the number of proxies in front of the service, or their addresses',
      );
    }
    return true;
  }
  if (/^\d+$/.test(setting)) return Number(setting);
  const addresses = setting.split(',').map((a) => a.trim());
  try {
    proxyAddr.compile(addresses);
  } catch (error) {
    problems.push(`TRUST_PROXY=${JSON.stringify(value)}: ${(error as Error).message}`);
  }
  return addresses.join(',');
}

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

  /** Default: 127.0.0.1 when the demo organisation may be seeded, else every interface. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST?: string;

  /** Seed the demo organisation into an empty database: default only on the embedded one. */
  @IsOptional()
  @IsIn(['true', 'false'])
  SEED_DEMO?: 'true' | 'false';

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

  /**
   * How long a query (not a mutation or a subscription event) may act on an actor read by an
   * earlier request of this instance, in ms; 0 reads the actor afresh for every request. Any
   * change committed on this instance, and any ended session on any instance, drops it sooner.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  ACTOR_CACHE_MS = 1_000;

  /** How long a request waits for a pooled connection before it is refused (SERVICE_UNAVAILABLE). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  DB_POOL_TIMEOUT_MS = 5_000;

  /** `application_name` of this instance's connections, to tell instances apart in pg_stat_activity. */
  @Matches(/^[\x20-\x7e]{1,63}$/, {
    message: 'DB_APPLICATION_NAME must be 1–63 printable ASCII characters',
  })
  DB_APPLICATION_NAME = 'market-based-dynamics';

  /**
   * A streaming replica of DATABASE_URL for reads that may be a little stale (dashboards,
   * exports, read-only lists); unset: every read goes to the primary.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_READ_URL must be a postgres:// or postgresql:// URL',
  })
  DATABASE_READ_URL?: string;

  /** The replica serves reads only while it is at most this far behind the primary. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DATABASE_READ_MAX_LAG_MS = 5_000;

  /** How often each instance measures the replica's lag (and whether it answers at all). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  DATABASE_READ_CHECK_INTERVAL_MS = 1_000;

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

  /**
   * Days after a week ends during which the buyer may dispute its hours. At least 2: hours may
   * still be logged on the Monday after the week, and the buyer must see them before they pay.
   */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(60)
  TIMESHEET_REVIEW_DAYS = 5;

  /**
   * Which attribute of a SCIM user names their home team: an attribute of the enterprise
   * extension (department by default) or a core one such as title.
   */
  @IsIn(['department', 'division', 'organization', 'costCenter'])
  SCIM_HOME_TEAM_ATTRIBUTE: 'department' | 'division' | 'organization' | 'costCenter' =
    'department';

  /** The team (by name) a SCIM user joins when their home-team attribute is absent. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  SCIM_DEFAULT_TEAM?: string;

  /** smtp(s)://user:pass@host:port of the mail relay for e-mail digests; unset: no e-mail. */
  @IsOptional()
  @IsString()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must start with smtp:// or smtps://' })
  SMTP_URL?: string;

  /** The From of the service's e-mails. */
  @IsString()
  @MaxLength(200)
  MAIL_FROM = 'Market Based Dynamics <no-reply@localhost>';

  /** Where people reach the service, for links in e-mails (default: http://localhost:PORT). */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  /** When the daily digests go out (cron, UTC). */
  @IsString()
  @MaxLength(100)
  DIGEST_CRON = '0 7 * * *';

  /** How often the job queue pays weeks whose review window ended (0: never, e.g. in tests). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  TIMESHEET_SWEEP_SECONDS = 60;
  /** Run queued and scheduled jobs in this instance (every instance can still enqueue them). */
  @IsIn(['true', 'false'])
  JOBS_WORKERS: 'true' | 'false' = 'true';

  /** Connections of the job queue's own pool (polling, completion, maintenance). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  JOBS_POOL_SIZE = 2;

  /** How often an idle worker looks for due jobs (pg-boss refuses less than 500 ms). */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(600_000)
  JOBS_POLL_INTERVAL_MS = 2_000;

  /** How often expired jobs (a worker that died mid-job) are put back for retry. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600)
  JOBS_MAINTENANCE_INTERVAL_SECONDS = 60;

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

  /** Failed sign-ins to an account, from any address, before every attempt waits (doubling). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_FAILURES_PER_ACCOUNT = 50;

  /** Failed sign-ins to an account from one address before that address's attempts wait. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = 5;

  /** Failed sign-ins an hour per client address, whatever the accounts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LOGIN_FAILURES_PER_ADDRESS = 100;

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

  /**
   * Set: Prometheus metrics at /metrics on PORT, for requests bearing this token (or on
   * METRICS_PORT, where it is asked for too). Neither set: nothing is served or collected.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'METRICS_TOKEN must be at least 32 characters long' })
  @MaxLength(512)
  @Matches(/^\S+$/, { message: 'METRICS_TOKEN must not contain whitespace' })
  METRICS_TOKEN?: string;

  /** Set: /metrics is served on this port of its own (and not on PORT); 0 picks a free one. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  /** The interface METRICS_PORT listens on: this machine only unless told otherwise. */
  @IsString()
  @MinLength(1)
  METRICS_HOST = '127.0.0.1';

  /** Set (e.g. http://collector:4318): OpenTelemetry traces are sent there over OTLP/HTTP. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, {
    message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL',
  })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** `service.name` of the traces. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  OTEL_SERVICE_NAME = 'market-based-dynamics';

  /** The share of new traces sampled (0–1); a caller's `traceparent` decision is followed. */
  @Matches(/^(0(\.\d+)?|1(\.0+)?)$/, {
    message: 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1',
  })
  OTEL_TRACES_SAMPLER_ARG = '1';
}

export interface AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  readonly host: string;
  /** Seed the demo organisation (known passwords) into an empty database at start-up. */
  readonly seedDemo: boolean;
  /** Absent: the service runs its own embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly embeddedDatabasePort: number;
  readonly databasePoolSize: number;
  readonly databasePoolTimeoutMs: number;
  /** ACTOR_CACHE_MS: how long a query may reuse an actor read by an earlier request. */
  readonly actorCacheMs: number;
  readonly databaseApplicationName: string;
  /** Set: reads that may be stale go to this streaming replica while it keeps up (README). */
  readonly readReplica?: {
    readonly url: string;
    readonly maxLagMs: number;
    readonly checkIntervalMs: number;
  };
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
  /** Days after a week ends during which the buyer may dispute its hours (then they are paid). */
  readonly timesheetReviewDays: number;
  /** Seconds between runs of the timesheet sweep job (0: none). */
  readonly timesheetSweepSeconds: number;
  readonly mail: {
    /** The relay; undefined: e-mail is off (inboxes only). */
    readonly smtpUrl?: string;
    readonly from: string;
    /** Base of links in e-mails, without a trailing slash. */
    readonly publicUrl: string;
    readonly digestCron: string;
  };
  readonly scim: {
    /** The enterprise-extension attribute naming a provisioned person's home team. */
    readonly homeTeamAttribute: 'department' | 'division' | 'organization' | 'costCenter';
    /** The team (by name) for people whose home-team attribute is absent; none: refused. */
    readonly defaultTeam?: string;
  };
  readonly jobs: {
    /** This instance works jobs (polls, runs handlers, schedules, expires dead workers' jobs). */
    readonly workers: boolean;
    readonly poolSize: number;
    readonly pollIntervalMs: number;
    /** Also the longest an expired job waits, past its expiry, to be retried. */
    readonly maintenanceIntervalSeconds: number;
  };
  readonly graphql: {
    /** Introspection on, and field suggestions in validation errors. */
    readonly introspection: boolean;
    /** The most a query may cost: each field 1, list fields times their `first`. */
    readonly maxCost: number;
  };
  /**
   * Requests a minute per signed-in employee and per client address; failed sign-ins per
   * account (from any address, and from one) before attempts must wait, and an hour per
   * address.
   */
  readonly rateLimit: {
    readonly perUser: number;
    readonly perIp: number;
    readonly signInFailuresPerAccount: number;
    readonly signInFailuresPerAccountAddress: number;
    readonly signInFailuresPerAddress: number;
  };
  /** Express's `trust proxy` setting. */
  readonly trustProxy: boolean | number | string;
  /** Set: bearer tokens from this identity provider are accepted too, matched by e-mail. */
  readonly oidc?: { readonly issuer: string; readonly jwksUrl: string; readonly audience: string };
  /** Prometheus metrics: kept and served only when a token or a port of their own is set. */
  readonly metrics: {
    readonly enabled: boolean;
    /** Asked of every scrape as `Authorization: Bearer <token>`. */
    readonly token?: string;
    /** Served on this port (on `host`) rather than at PORT's /metrics. */
    readonly port?: number;
    readonly host: string;
  };
  /** OpenTelemetry tracing: on only with an OTLP endpoint. */
  readonly tracing?: {
    /** Where spans are sent (OTLP/HTTP; `/v1/traces` is appended). */
    readonly endpoint: string;
    readonly serviceName: string;
    /** The share of new traces sampled, 0–1. */
    readonly sampleRatio: number;
  };
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
    return `${e.property}=${shown(e.property, e.value)}: ${messages}`;
  });
  // Set but empty: a deployment that meant to say something (an empty NODE_ENV would quietly
  // run as development, introspection and all).
  if (env.NODE_ENV === '') problems.push('NODE_ENV="": set development, test or production');
  problems.push(...secretProblems(vars.JWT_SECRET, vars.NODE_ENV));
  const trustProxy = parseTrustProxy(vars.TRUST_PROXY, vars.NODE_ENV, problems);
  // The lag is measured once per interval: a limit below it could never be told apart.
  if (
    vars.DATABASE_READ_URL &&
    vars.DATABASE_READ_MAX_LAG_MS < vars.DATABASE_READ_CHECK_INTERVAL_MS
  ) {
    problems.push(
      `DATABASE_READ_MAX_LAG_MS=${vars.DATABASE_READ_MAX_LAG_MS}: must be at least ` +
        `DATABASE_READ_CHECK_INTERVAL_MS (${vars.DATABASE_READ_CHECK_INTERVAL_MS}), how often the lag is measured`,
    );
  }
  // In production, the identity provider's keys must come over TLS.
  for (const name of ['OIDC_ISSUER', 'OIDC_JWKS_URL'] as const) {
    const value = vars[name];
    if (vars.NODE_ENV === 'production' && value?.startsWith('http://')) {
      problems.push(`${name}=${JSON.stringify(value)}: must be an https URL in production`);
    }
  }
  if (
    vars.METRICS_PORT !== undefined &&
    vars.METRICS_PORT !== 0 &&
    vars.METRICS_PORT === vars.PORT
  ) {
    problems.push(`METRICS_PORT=${vars.METRICS_PORT}: must differ from PORT`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const seedDemo = vars.SEED_DEMO ? vars.SEED_DEMO === 'true' : !vars.DATABASE_URL;
  return {
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    // Demo people have published passwords: only this machine may reach them by default.
    host: vars.HOST ?? (seedDemo ? '127.0.0.1' : '0.0.0.0'),
    seedDemo,
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.DATA_DIR,
    embeddedDatabasePort: vars.EMBEDDED_DB_PORT,
    databasePoolSize: vars.DB_POOL_SIZE,
    databasePoolTimeoutMs: vars.DB_POOL_TIMEOUT_MS,
    actorCacheMs: vars.ACTOR_CACHE_MS,
    databaseApplicationName: vars.DB_APPLICATION_NAME,
    readReplica: vars.DATABASE_READ_URL
      ? {
          url: vars.DATABASE_READ_URL,
          maxLagMs: vars.DATABASE_READ_MAX_LAG_MS,
          checkIntervalMs: vars.DATABASE_READ_CHECK_INTERVAL_MS,
        }
      : undefined,
    jwt: {
      secret: vars.JWT_SECRET ?? developmentSigningSecret(vars.DATA_DIR),
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
    timesheetReviewDays: vars.TIMESHEET_REVIEW_DAYS,
    timesheetSweepSeconds: vars.TIMESHEET_SWEEP_SECONDS,
    mail: {
      smtpUrl: vars.SMTP_URL || undefined,
      from: vars.MAIL_FROM,
      publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
      digestCron: vars.DIGEST_CRON,
    },
    scim: {
      homeTeamAttribute: vars.SCIM_HOME_TEAM_ATTRIBUTE,
      defaultTeam: vars.SCIM_DEFAULT_TEAM?.trim() || undefined,
    },
    jobs: {
      workers: vars.JOBS_WORKERS === 'true',
      poolSize: vars.JOBS_POOL_SIZE,
      pollIntervalMs: vars.JOBS_POLL_INTERVAL_MS,
      maintenanceIntervalSeconds: vars.JOBS_MAINTENANCE_INTERVAL_SECONDS,
    },
    graphql: {
      introspection: vars.GRAPHQL_INTROSPECTION
        ? vars.GRAPHQL_INTROSPECTION === 'true'
        : vars.NODE_ENV !== 'production',
      maxCost: vars.GRAPHQL_MAX_COST,
    },
    rateLimit: {
      perUser: vars.RATE_LIMIT_PER_MINUTE,
      perIp: vars.RATE_LIMIT_IP_PER_MINUTE,
      signInFailuresPerAccount: vars.LOGIN_FAILURES_PER_ACCOUNT,
      signInFailuresPerAccountAddress: vars.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS,
      signInFailuresPerAddress: vars.LOGIN_FAILURES_PER_ADDRESS,
    },
    trustProxy,
    oidc:
      vars.OIDC_ISSUER && vars.OIDC_AUDIENCE
        ? {
            issuer: vars.OIDC_ISSUER,
            jwksUrl:
              vars.OIDC_JWKS_URL ?? `${vars.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`,
            audience: vars.OIDC_AUDIENCE,
          }
        : undefined,
    metrics: {
      enabled: vars.METRICS_TOKEN !== undefined || vars.METRICS_PORT !== undefined,
      token: vars.METRICS_TOKEN,
      port: vars.METRICS_PORT,
      host: vars.METRICS_HOST,
    },
    tracing: vars.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          endpoint: vars.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''),
          serviceName: vars.OTEL_SERVICE_NAME,
          sampleRatio: Number(vars.OTEL_TRACES_SAMPLER_ARG),
        }
      : undefined,
  };
}

/**
 * Outside production, without JWT_SECRET: a random secret generated once per data directory
 * and kept there (mode 0600), so tokens survive restarts and nobody else can sign them. Two
 * instances starting together agree on one: the file appears whole, by link, or not at all.
 */
function developmentSigningSecret(dataDir: string): string {
  const file = path.join(path.resolve(dataDir), SIGNING_SECRET_FILE);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const candidate = `${file}.${process.pid}.tmp`;
    writeFileSync(candidate, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 });
    try {
      linkSync(candidate, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(candidate);
    }
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error('it holds fewer than 32 characters');
    return secret;
  } catch (error) {
    throw new ConfigError([
      `JWT_SECRET is not set and the development secret in ${file} cannot be used: ` +
        (error instanceof Error ? error.message : String(error)),
    ]);
  }
}
