import { Args, Float, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import {
  DefineOutcomeMetricInput,
  MeasurementsArgs,
  SetMetricReporterInput,
} from './dto/initiative.inputs.js';
import { MetricRepository } from './metric.repository.js';
import { metricProgressPercent } from './metric-progress.js';
import { Measurement, MeasurementConnection, OutcomeMetric } from './models/initiative.models.js';
import { OutcomeMetricPayload } from './models/initiative.payloads.js';
import { OutcomeMetricService } from './outcome-metric.service.js';

/** Outcome metrics: defining one, its reporter, its latest reading, progress and time series. */
@Resolver(() => OutcomeMetric)
export class OutcomeMetricResolver {
  constructor(
    private readonly outcomeMetricService: OutcomeMetricService,
    private readonly metrics: MetricRepository,
    private readonly employeeService: EmployeeService,
  ) {}

  @Mutation(() => OutcomeMetricPayload, { description: "For the initiative's owner." })
  async defineOutcomeMetric(
    @Args('input') input: DefineOutcomeMetricInput,
    @CurrentActor() actor: Actor,
  ): Promise<OutcomeMetricPayload> {
    return { metric: await this.outcomeMetricService.defineMetric(input, actor) };
  }

  @Mutation(() => OutcomeMetricPayload, {
    description:
      "For the initiative's owner: who records the metric's readings besides the owner (the owner " +
      'or a current member). Handing it to its reporter again changes nothing.',
  })
  async setMetricReporter(
    @Args('input') input: SetMetricReporterInput,
    @CurrentActor() actor: Actor,
  ): Promise<OutcomeMetricPayload> {
    return { metric: await this.outcomeMetricService.setReporter(input, actor) };
  }

  @ResolveField(() => Employee, {
    description:
      "Who records its readings, with the initiative's owner: the owner unless handed to a member. " +
      'A member who leaves hands it back to the owner.',
  })
  reporter(metric: OutcomeMetric, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, metric.reporterId, 'Employee');
  }

  @ResolveField(() => Measurement, {
    nullable: true,
    description: 'The most recent current reading (by when it was true).',
  })
  latest(
    metric: OutcomeMetric,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Measurement | null> {
    // Read with the metric when it came from its initiative's list.
    if (metric.latest !== undefined) return Promise.resolve(metric.latest);
    return loaders.get(this.metrics.latestMeasurement).load(metric.id);
  }

  @ResolveField(() => Float, {
    nullable: true,
    description:
      'How far the latest current value has come from the baseline to the target, 0–100 whichever way is better, ' +
      'rounded to one decimal place; null before the first measurement.',
  })
  progressPercent(metric: OutcomeMetric): number | null {
    return metricProgressPercent(metric, metric.latestValue);
  }

  @ResolveField(() => MeasurementConnection, {
    description:
      'The time series, oldest first: current readings (corrections in place of what they ' +
      'corrected), or the whole history with includeSuperseded.',
  })
  measurements(
    @Parent() metric: OutcomeMetric,
    @Args() args: MeasurementsArgs,
  ): Promise<MeasurementConnection> {
    return this.metrics.measurementPage(
      metric.id,
      args.first,
      args.after,
      args.since,
      args.includeSuperseded,
    );
  }
}
