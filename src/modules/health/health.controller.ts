import { Controller, Get, Inject, Optional } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '../../common/auth/access.js';
import { DatabaseProbe } from '../../database/database-probe.js';
import { ReadReplica } from '../../database/read-replica.js';

/** However often load balancers and probes ask, PostgreSQL is asked at most once a second. */
const DATABASE_CHECK_REUSED_FOR_MS = 1_000;
const DATABASE_CHECK_TIMEOUT_MS = 2_000;

@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseProbe,
    @Optional() @Inject(ReadReplica) private readonly replica?: ReadReplica | null,
  ) {}

  /**
   * 200 with `status: ok` when the process is up and PostgreSQL answers; 503 otherwise. With a
   * read replica, `replica` reports its last measurement (no statement of its own): `up` while
   * it serves reads, `degraded` (still 200: the primary answers its reads) otherwise.
   */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    const replica = this.replica;
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            try {
              await this.database.ping();
            } catch {
              // The driver's words (database names, addresses) are not for an unauthenticated caller.
              throw new Error('PostgreSQL does not answer');
            }
          })
          .withTimeout(DATABASE_CHECK_TIMEOUT_MS)
          // Concurrent requests share the check in flight; its answer serves for a second.
          .cacheFor(DATABASE_CHECK_REUSED_FOR_MS),
      ...(replica ? [() => this.replicaHealth(replica)] : []),
    ]);
  }

  private replicaHealth(replica: ReadReplica) {
    const { state, lagMs, maxLagMs } = replica.current();
    const indicator = this.indicators.check('replica');
    return state === 'in-use'
      ? indicator.up({ state, lagMs, maxLagMs })
      : indicator.degraded({ state, lagMs, maxLagMs, message: 'reads go to the primary' });
  }
}
