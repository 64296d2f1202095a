import { Args, Float, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { DefineOutcomeMetricInput, MeasurementsArgs } from './dto/initiative.inputs.js';
import { MetricRepository } from './metric.repository.js';
import { metricProgressPercent } from './metric-progress.js';
import { Measurement, MeasurementConnection, OutcomeMetric } from './models/initiative.models.js';
import { OutcomeMetricPayload } from './models/initiative.payloads.js';
import { OutcomeMetricService } from './outcome-metric.service.js';

/** Outcome metrics: defining one, its latest reading, its progress and its time series. */
@Resolver(() => OutcomeMetric)
export class OutcomeMetricResolver {
  constructor(
    private readonly outcomeMetricService: OutcomeMetricService,
    private readonly metrics: MetricRepository,
  ) {}

  @Mutation(() => OutcomeMetricPayload, { description: "For the initiative's owner." })
  async defineOutcomeMetric(
    @Args('input') input: DefineOutcomeMetricInput,
    @CurrentActor() actor: Actor,
  ): Promise<OutcomeMetricPayload> {
    return { metric: await this.outcomeMetricService.defineMetric(input, actor) };
  }

  @ResolveField(() => Measurement, {
    nullable: true,
    description: 'The most recent reading (by when it was true).',
  })
  latest(
    metric: OutcomeMetric,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Measurement | null> {
    return loaders.get(this.metrics.latestMeasurement).load(metric.id);
  }

  @ResolveField(() => Float, {
    nullable: true,
    description:
      'How far the latest value has come from the baseline to the target, 0–100 whichever way is better; ' +
      'null before the first measurement.',
  })
  progressPercent(metric: OutcomeMetric): number | null {
    return metricProgressPercent(metric, metric.latestValue);
  }

  @ResolveField(() => MeasurementConnection, { description: 'The time series, oldest first.' })
  measurements(
    @Parent() metric: OutcomeMetric,
    @Args() args: MeasurementsArgs,
  ): Promise<MeasurementConnection> {
    return this.metrics.measurementPage(metric.id, args.first, args.after, args.since);
  }
}
