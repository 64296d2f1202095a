import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { CommentService } from './comment.service.js';
import { CommentOnInput } from './dto/comment-on.input.js';
import { Comment, CommentOnPayload } from './models/comment.models.js';

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
  author(comment: Comment, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, comment.authorId, 'Employee');
  }
}
