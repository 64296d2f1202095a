/** What a comment is on. */
export enum CommentSubject {
  IDEA = 'IDEA',
  NEED = 'NEED',
  INITIATIVE = 'INITIATIVE',
}
