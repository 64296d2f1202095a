import type { Actor } from '../../common/auth/actor.js';

/** What the comment rules look at. */
export interface CommentRef {
  authorId: string;
  deletedAt: Date | null;
  hiddenAt: Date | null;
}

/** Only its author edits or deletes a comment, and not once it is deleted or hidden. */
export const isAuthor = (
  actor: Pick<Actor, 'id'>,
  comment: Pick<CommentRef, 'authorId'>,
): boolean => comment.authorId === actor.id;

/** A deleted comment shows no body to anyone; a hidden one only to admins. */
export const showsBody = (actor: Pick<Actor, 'isAdmin'>, comment: CommentRef): boolean =>
  comment.deletedAt === null && (comment.hiddenAt === null || actor.isAdmin);
