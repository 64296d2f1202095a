import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../../common/graphql/connection.js';
import { CommentSubject } from '../comment.enums.js';

registerEnumType(CommentSubject, {
  name: 'CommentSubject',
  description: 'What a comment is about.',
});

@ObjectType()
export class Comment {
  @Field(() => ID)
  id: string;

  @Field()
  body: string;

  @Field(() => CommentSubject)
  subjectType: CommentSubject;

  @Field(() => ID)
  subjectId: string;

  @Field()
  createdAt: Date;

  seq: number;
  authorId: string;
}

@ObjectType()
export class CommentConnection extends Connection(Comment) {}

@ObjectType()
export class CommentOnPayload {
  @Field(() => Comment)
  comment: Comment;
}
