import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs, toConnection } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { Idea } from '../idea/models/idea.models.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { Need } from '../market/models/market.models.js';
import { CommentSubject } from './comment.entity.js';
import { CommentService } from './comment.service.js';
import { CommentOnInput } from './dto/comment-on.input.js';
import { Comment, CommentConnection, CommentOnPayload } from './models/comment.models.js';

/** A subject's comments as a connection, oldest first. */
async function commentsOf(
  comments: CommentService,
  loaders: RequestLoaders,
  subjectType: CommentSubject,
  subjectId: string,
  args: ConnectionArgs,
): Promise<CommentConnection> {
  const rows = await loaders
    .get(comments.page)
    .load({ subjectType, subjectId, first: args.first, after: args.after });
  return toConnection(
    rows,
    args.first,
    (c) => [c.seq],
    () => loaders.get(comments.count).load(`${subjectType}:${subjectId}`),
  );
}

@Resolver(() => Comment)
export class CommentResolver {
  constructor(
    private readonly commentService: CommentService,
    private readonly employeeService: EmployeeService,
  ) {}

  @Mutation(() => CommentOnPayload, {
    description: 'Comments on an idea, a need or an initiative you can see.',
  })
  async commentOn(
    @Args('input') input: CommentOnInput,
    @CurrentActor() actor: Actor,
  ): Promise<CommentOnPayload> {
    return { comment: await this.commentService.commentOn(input, actor) };
  }

  @ResolveField(() => Employee)
  async author(comment: Comment, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(comment.authorId))!;
  }
}

@Resolver(() => Idea)
export class IdeaCommentsResolver {
  constructor(private readonly commentService: CommentService) {}

  @ResolveField(() => CommentConnection, { description: 'Oldest first.' })
  comments(@Parent() idea: Idea, @Args() args: ConnectionArgs, @Loaders() loaders: RequestLoaders) {
    return commentsOf(this.commentService, loaders, CommentSubject.IDEA, idea.id, args);
  }
}

@Resolver(() => Need)
export class NeedCommentsResolver {
  constructor(private readonly commentService: CommentService) {}

  @ResolveField(() => CommentConnection, { description: 'Oldest first.' })
  comments(@Parent() need: Need, @Args() args: ConnectionArgs, @Loaders() loaders: RequestLoaders) {
    return commentsOf(this.commentService, loaders, CommentSubject.NEED, need.id, args);
  }
}

@Resolver(() => Initiative)
export class InitiativeCommentsResolver {
  constructor(private readonly commentService: CommentService) {}

  @ResolveField(() => CommentConnection, { description: 'Oldest first.' })
  comments(
    @Parent() initiative: Initiative,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ) {
    return commentsOf(this.commentService, loaders, CommentSubject.INITIATIVE, initiative.id, args);
  }
}
