import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { CorrectMeasurementInput, RecordMeasurementInput } from './dto/initiative.inputs.js';
import { MeasurementService } from './measurement.service.js';
import { MetricRepository } from './metric.repository.js';
import { Measurement, MeasurementCorrection } from './models/initiative.models.js';
import {
  CorrectMeasurementPayload,
  RecordMeasurementPayload,
} from './models/initiative.payloads.js';

/** Measurements: recording and correcting one, who recorded it, and its corrections. */
@Resolver(() => Measurement)
export class MeasurementResolver {
  constructor(
    private readonly measurementService: MeasurementService,
    private readonly metrics: MetricRepository,
    private readonly employeeService: EmployeeService,
  ) {}

  @Mutation(() => RecordMeasurementPayload, {
    description:
      "For the metric's reporter and the initiative's owner. Dated now or earlier (a few minutes " +
      'of clock skew allowed), not before the initiative started; not once it is cancelled.',
  })
  async recordMeasurement(
    @Args('input') input: RecordMeasurementInput,
    @CurrentActor() actor: Actor,
  ): Promise<RecordMeasurementPayload> {
    return { measurement: await this.measurementService.recordMeasurement(input, actor) };
  }

  @Mutation(() => CorrectMeasurementPayload, {
    description:
      "For the metric's reporter and the initiative's owner. Supersedes a current reading with a " +
      'new one at the same time; the original stays in the history with who corrected it, when ' +
      'and why. Latest values, progress and outcome scores use current readings only. The same ' +
      'correction sent again answers the first; correcting a superseded reading is a CONFLICT.',
  })
  async correctMeasurement(
    @Args('input') input: CorrectMeasurementInput,
    @CurrentActor() actor: Actor,
  ): Promise<CorrectMeasurementPayload> {
    return this.measurementService.correctMeasurement(input, actor);
  }

  @ResolveField(() => Employee)
  recordedBy(measurement: Measurement, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, measurement.recordedById, 'Employee');
  }

  @ResolveField(() => Measurement, {
    nullable: true,
    description: 'The correction that superseded this reading; null while it is current.',
  })
  supersededBy(
    measurement: Measurement,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Measurement | null> | null {
    return measurement.supersededById
      ? loaders.get(this.metrics.measurementById).load(measurement.supersededById)
      : null;
  }

  @ResolveField(() => Measurement, {
    nullable: true,
    description: 'The reading this one corrected (and superseded); null for a first reading.',
  })
  corrects(
    measurement: Measurement,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Measurement | null> {
    return loaders.get(this.metrics.originalOfCorrection).load(measurement.id);
  }

  @ResolveField(() => MeasurementCorrection, {
    nullable: true,
    description: 'How this reading was corrected (by whom, when, why); null while it is current.',
  })
  async correction(
    measurement: Measurement,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<MeasurementCorrection | null> {
    if (!measurement.supersededById || measurement.correctionReason === null) return null;
    const replacement = await loaders.loadRequired(
      this.metrics.measurementById,
      measurement.supersededById,
      'Measurement',
    );
    return {
      at: replacement.recordedAt,
      reason: measurement.correctionReason,
      byId: replacement.recordedById,
    };
  }
}
