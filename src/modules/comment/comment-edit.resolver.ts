import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs, toConnection } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { RevisionConnection } from '../revision/models/revision.models.js';
import { RevisionService } from '../revision/revision.service.js';
import { CommentEditService } from './comment-edit.service.js';
import { showsBody } from './comment-policy.js';
import { CommentRefInput, EditCommentInput, HideCommentInput } from './dto/comment-on.input.js';
import { Comment, CommentPayload } from './models/comment.models.js';

@Resolver(() => Comment)
export class CommentEditResolver {
  constructor(
    private readonly commentEditService: CommentEditService,
    private readonly revisionService: RevisionService,
  ) {}

  @Mutation(() => CommentPayload, {
    description: 'Its author changes its body; the old one is kept as a revision.',
  })
  async editComment(
    @Args('input') input: EditCommentInput,
    @CurrentActor() actor: Actor,
  ): Promise<CommentPayload> {
    return { comment: await this.commentEditService.edit(input, actor) };
  }

  @Mutation(() => CommentPayload, {
    description: 'Its author deletes it: it stays in the thread as deleted, with no body.',
  })
  async deleteComment(
    @Args('input') input: CommentRefInput,
    @CurrentActor() actor: Actor,
  ): Promise<CommentPayload> {
    return { comment: await this.commentEditService.delete(input.commentId, actor) };
  }

  @Mutation(() => CommentPayload, {
    description: 'Admin only. Hides a comment with a reason: its body shows to admins only.',
  })
  @AdminOnly()
  async hideComment(
    @Args('input') input: HideCommentInput,
    @CurrentActor() actor: Actor,
  ): Promise<CommentPayload> {
    return { comment: await this.commentEditService.hide(input, actor) };
  }

  @ResolveField(() => String, {
    description: 'Empty once deleted; empty but to admins once hidden.',
  })
  body(@Parent() comment: Comment, @CurrentActor() actor: Actor): string {
    return showsBody(actor, comment) ? comment.body : '';
  }

  @ResolveField(() => RevisionConnection, {
    description: 'Its edits, newest first; none shown where its body is not.',
  })
  async revisions(
    @Parent() comment: Comment,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
    @CurrentActor() actor: Actor,
  ): Promise<RevisionConnection> {
    if (!showsBody(actor, comment))
      return toConnection(
        [],
        args.first,
        () => [],
        async () => 0,
      );
    return this.revisionService.page(loaders, 'Comment', comment.id, args);
  }
}
