import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Trim } from '../../../common/validation/string-transforms.js';
import { CommentSubject } from '../comment.enums.js';

@InputType()
export class CommentOnInput {
  @Field(() => CommentSubject)
  @IsEnum(CommentSubject)
  subjectType: CommentSubject;

  @Field(() => ID, { description: 'The idea, need or initiative.' })
  @IsUUID()
  subjectId: string;

  @Field()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  body: string;
}

@InputType()
export class CommentRefInput {
  @Field(() => ID)
  @IsUUID()
  commentId: string;
}

@InputType()
export class EditCommentInput extends CommentRefInput {
  @Field()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  body: string;
}

@InputType()
export class HideCommentInput extends CommentRefInput {
  @Field({ description: 'Shown with the hidden comment.' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}
