import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { MeasurementCorrection } from './models/initiative.models.js';

/** Who corrected a reading. */
@Resolver(() => MeasurementCorrection)
export class MeasurementCorrectionResolver {
  constructor(private readonly employeeService: EmployeeService) {}

  @ResolveField(() => Employee, { description: 'Who recorded the correction.' })
  by(
    correction: MeasurementCorrection,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, correction.byId, 'Employee');
  }
}
