import { Global, Module } from '@nestjs/common';
import { ActorGate } from '../../common/unit-of-work/actor-gate.js';
import { ActiveActorGate } from './active-actor-gate.js';
import { EmployeeModule } from './employee.module.js';

/** The unit of work's ActorGate, from the employee module: global, like the unit of work. */
@Global()
@Module({
  imports: [EmployeeModule],
  providers: [{ provide: ActorGate, useExisting: ActiveActorGate }],
  exports: [ActorGate],
})
export class ActorGateModule {}
