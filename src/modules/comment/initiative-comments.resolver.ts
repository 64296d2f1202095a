import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { CommentSubject } from './comment.enums.js';
import { CommentRepository } from './comment.repository.js';
import { commentsOf } from './comments-connection.js';
import { CommentConnection } from './models/comment.models.js';

@Resolver(() => Initiative)
export class InitiativeCommentsResolver {
  constructor(private readonly commentRepository: CommentRepository) {}

  @ResolveField(() => CommentConnection, { description: 'Oldest first.' })
  comments(
    @Parent() initiative: Initiative,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<CommentConnection> {
    return commentsOf(
      this.commentRepository,
      loaders,
      CommentSubject.INITIATIVE,
      initiative.id,
      args,
    );
  }
}
