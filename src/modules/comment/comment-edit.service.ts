import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden, invalidTransition, notFound } from '../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import { RevisionService } from '../revision/revision.service.js';
import { isAuthor } from './comment-policy.js';
import { CommentRepository } from './comment.repository.js';
import { CommentService } from './comment.service.js';
import type { EditCommentInput, HideCommentInput } from './dto/comment-on.input.js';
import type { Comment } from './models/comment.models.js';

/**
 * Authors edit and delete their comments; admins hide one with a reason. Each keeps a
 * revision; a deleted or hidden comment keeps its row (its body is no longer shown).
 */
@Injectable()
export class CommentEditService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly commentService: CommentService,
    private readonly revisions: RevisionService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async edit(input: EditCommentInput, actor: Actor): Promise<Comment> {
    return this.change(input.commentId, actor, async (tx, comment) => {
      if (!isAuthor(actor, comment)) throw forbidden('Only its author edits a comment');
      this.refuseEnded(comment);
      if (comment.body === input.body) return comment;
      const edited = await this.comments.editBody(tx, comment.id, input.body);
      await this.revisions.record(tx, 'Comment', comment.id, actor.id, {
        body: { from: comment.body, to: input.body },
      });
      await this.record(tx, 'comment.edit', comment.id, { length: input.body.length });
      return edited;
    });
  }

  async delete(commentId: string, actor: Actor): Promise<Comment> {
    return this.change(commentId, actor, async (tx, comment) => {
      if (!isAuthor(actor, comment)) throw forbidden('Only its author deletes a comment');
      this.refuseEnded(comment);
      const deleted = await this.comments.markDeleted(tx, comment.id);
      await this.revisions.record(tx, 'Comment', comment.id, actor.id, {
        deleted: { from: null, to: 'yes' },
      });
      await this.record(tx, 'comment.delete', comment.id, {});
      return deleted;
    });
  }

  /** Admins only (the resolver's @AdminOnly). */
  async hide(input: HideCommentInput, actor: Actor): Promise<Comment> {
    return this.change(input.commentId, actor, async (tx, comment) => {
      if (comment.hiddenAt) throw invalidTransition('The comment is hidden already');
      const hidden = await this.comments.markHidden(tx, comment.id, input.reason);
      await this.revisions.record(tx, 'Comment', comment.id, actor.id, {
        hiddenReason: { from: null, to: input.reason },
      });
      await this.record(tx, 'comment.hide', comment.id, { reason: input.reason });
      return hidden;
    });
  }

  /** The locked comment, NOT_FOUND unless the actor can see what it is on. */
  private change(
    commentId: string,
    actor: Actor,
    work: (tx: Tx, comment: Comment) => Promise<Comment>,
  ): Promise<Comment> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const comment = await this.comments.lock(tx, commentId);
      if (!comment) throw notFound('Comment', 'commentId');
      await this.commentService.assertVisible(comment, actor, 'commentId');
      return work(tx, comment);
    });
  }

  private refuseEnded(comment: Comment): void {
    if (comment.deletedAt) throw invalidTransition('The comment is deleted');
    if (comment.hiddenAt) throw invalidTransition('The comment is hidden by an admin');
  }

  private record(
    tx: Tx,
    action: string,
    commentId: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    return tx.record({ action, subjectType: 'Comment', subjectId: commentId, payload });
  }
}
