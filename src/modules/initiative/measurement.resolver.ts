import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { RecordMeasurementInput } from './dto/initiative.inputs.js';
import { Measurement } from './models/initiative.models.js';
import { RecordMeasurementPayload } from './models/initiative.payloads.js';
import { OutcomeMetricService } from './outcome-metric.service.js';

/** Measurements: recording one, and who recorded it. */
@Resolver(() => Measurement)
export class MeasurementResolver {
  constructor(
    private readonly outcomeMetricService: OutcomeMetricService,
    private readonly employeeService: EmployeeService,
  ) {}

  @Mutation(() => RecordMeasurementPayload, {
    description: "For the initiative's owner and members.",
  })
  async recordMeasurement(
    @Args('input') input: RecordMeasurementInput,
    @CurrentActor() actor: Actor,
  ): Promise<RecordMeasurementPayload> {
    return { measurement: await this.outcomeMetricService.recordMeasurement(input, actor) };
  }

  @ResolveField(() => Employee)
  recordedBy(measurement: Measurement, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, measurement.recordedById, 'Employee');
  }
}
