import { ConnectionArgs, toConnection } from '../../common/graphql/connection.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import type { CommentSubject } from './comment.enums.js';
import type { CommentRepository } from './comment.repository.js';
import type { CommentConnection } from './models/comment.models.js';

/**
 * A subject's comments as a connection, oldest first: the `comments` field of ideas, needs
 * and initiatives. Pages and counts go through loaders, so a list of subjects costs one
 * statement per page shape, not one per subject.
 */
export async function commentsOf(
  comments: CommentRepository,
  loaders: RequestLoaders,
  subjectType: CommentSubject,
  subjectId: string,
  args: ConnectionArgs,
): Promise<CommentConnection> {
  const page = await loaders
    .get(comments.page)
    .load({ subjectType, subjectId, first: args.first, after: args.after });
  return toConnection(
    page,
    args.first,
    (c) => [c.seq],
    () => loaders.get(comments.count).load(`${subjectType}:${subjectId}`),
  );
}
