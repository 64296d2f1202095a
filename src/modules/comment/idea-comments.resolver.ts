import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { Idea } from '../idea/models/idea.models.js';
import { CommentSubject } from './comment.enums.js';
import { CommentRepository } from './comment.repository.js';
import { commentsOf } from './comments-connection.js';
import { CommentConnection } from './models/comment.models.js';

@Resolver(() => Idea)
export class IdeaCommentsResolver {
  constructor(private readonly commentRepository: CommentRepository) {}

  @ResolveField(() => CommentConnection, { description: 'Oldest first.' })
  comments(
    @Parent() idea: Idea,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<CommentConnection> {
    return commentsOf(this.commentRepository, loaders, CommentSubject.IDEA, idea.id, args);
  }
}
