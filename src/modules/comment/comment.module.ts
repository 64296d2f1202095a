import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EmployeeModule } from '../employee/employee.module.js';
import { IdeaModule } from '../idea/idea.module.js';
import { InitiativeModule } from '../initiative/initiative.module.js';
import { MarketModule } from '../market/market.module.js';
import { RevisionModule } from '../revision/revision.module.js';
import { CommentEditResolver } from './comment-edit.resolver.js';
import { CommentEditService } from './comment-edit.service.js';
import { CommentEntity } from './comment.entity.js';
import { CommentRepository } from './comment.repository.js';
import { CommentResolver } from './comment.resolver.js';
import { CommentService } from './comment.service.js';
import { IdeaCommentsResolver } from './idea-comments.resolver.js';
import { InitiativeCommentsResolver } from './initiative-comments.resolver.js';
import { NeedCommentsResolver } from './need-comments.resolver.js';

/** Comments on ideas, needs and initiatives (above all three). */
@Module({
  imports: [
    TypeOrmModule.forFeature([CommentEntity]),
    EmployeeModule,
    IdeaModule,
    InitiativeModule,
    MarketModule,
    RevisionModule,
  ],
  providers: [
    CommentRepository,
    CommentService,
    CommentResolver,
    CommentEditService,
    CommentEditResolver,
    IdeaCommentsResolver,
    NeedCommentsResolver,
    InitiativeCommentsResolver,
  ],
  exports: [CommentService],
})
export class CommentModule {}
