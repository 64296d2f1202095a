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

  /** Shown through CommentEditResolver.body: hidden once deleted, and from non-admins once hidden. */
  body: string;

  @Field(() => CommentSubject)
  subjectType: CommentSubject;

  @Field(() => ID)
  subjectId: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When its author last edited it.' })
  editedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When its author deleted it: its body is empty.',
  })
  deletedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When an admin hid it: its body is empty but to admins.',
  })
  hiddenAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why an admin hid it.' })
  hiddenReason: string | null;

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

@ObjectType()
export class CommentPayload {
  @Field(() => Comment)
  comment: Comment;
}
