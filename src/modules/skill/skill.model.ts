import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/graphql/connection.js';

@ObjectType({ description: 'A skill. Names are unique regardless of case and spacing.' })
export class Skill {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  /** Lower case, single spaces: what makes two spellings one skill (and the list's order). */
  normalizedName: string;
}

@ObjectType()
export class SkillConnection extends Connection(Skill) {}
