import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { LoggerModule } from 'nestjs-pino';
import { DomainErrorHttpFilter, RefusalRecorder } from './common/errors/domain-error.filter.js';
import { PoolExhaustedHttpFilter } from './common/errors/pool-exhausted.filter.js';
import { RequestBodyErrorFilter } from './common/errors/request-body-error.filter.js';
import { graphqlOptions } from './common/graphql/graphql.options.js';
import { SubscriptionServer } from './common/graphql/subscription-server.js';
import { ClockModule } from './common/clock/clock.module.js';
import { GraphQLMetrics } from './common/observability/graphql-metrics.plugin.js';
import { graphqlTracingPlugin } from './common/observability/graphql-tracing.plugin.js';
import { ObservabilityModule } from './common/observability/observability.module.js';
import { Tracing } from './common/observability/tracing.js';
import { UnitOfWorkModule } from './common/unit-of-work/unit-of-work.module.js';
import { loggerOptions } from './common/logging/logger.options.js';
import { InputValidationPipe } from './common/validation/validation.pipe.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { AuditLogModule } from './modules/audit/audit-log.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { SecurityLog } from './modules/audit/security-log.js';
import { RateLimits } from './common/rate-limit/rate-limits.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { AuthService } from './modules/auth/auth.service.js';
import { BudgetModule } from './modules/budget/budget.module.js';
import { ActorGateModule } from './modules/employee/actor-gate.module.js';
import { NotificationModule } from './modules/notification/notification.module.js';
import { EmployeeModule } from './modules/employee/employee.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { JobsModule } from './modules/jobs/jobs.module.js';
import { MarketModule } from './modules/market/market.module.js';
import { TeamArchiveModule } from './modules/team-archive/team-archive.module.js';
import { LeaversModule } from './modules/leavers/leavers.module.js';
import { ProvisioningModule } from './modules/provisioning/provisioning.module.js';
import { InitiativeModule } from './modules/initiative/initiative.module.js';
import { IdeaModule } from './modules/idea/idea.module.js';
import { CommentModule } from './modules/comment/comment.module.js';
import { RevisionModule } from './modules/revision/revision.module.js';
import { DashboardModule } from './modules/dashboard/dashboard.module.js';
import { GraphqlIdeModule } from './modules/graphql-ide/graphql-ide.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { PubSubModule } from './common/pubsub/pubsub.module.js';
import { SeedModule } from './modules/seed/seed.module.js';
import { SkillModule } from './modules/skill/skill.module.js';
import { TeamModule } from './modules/team/team.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        // First, so that its guard refuses floods before the access guard reads the database.
        RateLimitModule,
        DatabaseModule.forRoot({
          url: databaseUrl,
          poolSize: config.databasePoolSize,
          poolTimeoutMs: config.databasePoolTimeoutMs,
          applicationName: config.databaseApplicationName,
          readReplica: config.readReplica,
        }),
        ObservabilityModule.forRoot(config),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule, AuditModule],
          inject: [RateLimits, AuthService, SecurityLog, GraphQLMetrics, Tracing],
          useFactory: (
            rateLimits: RateLimits,
            auth: AuthService,
            securityLog: SecurityLog,
            metrics: GraphQLMetrics,
            tracing: Tracing,
          ) =>
            graphqlOptions(config, {
              rateLimits,
              rateLimitSubject: (authorization) => auth.subjectOf(authorization),
              recordRefusal: (refusal) => securityLog.refused(refusal),
              observability: [
                ...(tracing.tracer ? [graphqlTracingPlugin(tracing.tracer)] : []),
                ...(config.metrics.enabled ? [metrics.plugin()] : []),
              ],
            }),
        }),
        ClockModule,
        UnitOfWorkModule,
        ActorGateModule,
        NotificationModule,
        JobsModule.forRoot(databaseUrl),
        PubSubModule,
        SkillModule,
        TeamModule,
        EmployeeModule,
        AuthModule,
        BudgetModule,
        MarketModule,
        TeamArchiveModule,
        LeaversModule,
        ProvisioningModule,
        InitiativeModule,
        IdeaModule,
        CommentModule,
        RevisionModule,
        DashboardModule,
        GraphqlIdeModule,
        AuditModule,
        AuditLogModule,
        HealthModule,
        SeedModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: InputValidationPipe },
        // First: global filters are tried last-registered first, and this one catches everything.
        { provide: APP_FILTER, useClass: PoolExhaustedHttpFilter },
        { provide: APP_FILTER, useClass: DomainErrorHttpFilter },
        { provide: RefusalRecorder, useExisting: SecurityLog },
        SubscriptionServer,
        { provide: APP_FILTER, useClass: RequestBodyErrorFilter },
      ],
    };
  }
}
