import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { IdeaModule } from '../idea/idea.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { MarketModule } from '../market/market.module.js';
import { CommentEntity } from './comment.entity.js';
import {
  CommentResolver,
  IdeaCommentsResolver,
  InitiativeCommentsResolver,
  NeedCommentsResolver,
} from './comment.resolver.js';
import { CommentService } from './comment.service.js';

/** Comments on ideas, needs and initiatives (above all three). */
@Module({
  imports: [
    TypeOrmModule.forFeature([CommentEntity]),
    AuditModule,
    EmployeeModule,
    IdeaModule,
    InitiativeModule,
    MarketModule,
  ],
  providers: [
    CommentService,
    CommentResolver,
    IdeaCommentsResolver,
    NeedCommentsResolver,
    InitiativeCommentsResolver,
  ],
  exports: [CommentService],
})
export class CommentModule {}
