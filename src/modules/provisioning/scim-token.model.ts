import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A bearer token an identity provider (Okta, Entra ID…) uses on /scim/v2. The secret itself is shown once, when it is created.',
})
export class ScimToken {
  @Field(() => ID)
  id: string;

  @Field({ description: 'What it is for, e.g. "Okta production".' })
  name: string;

  @Field(() => ID, { description: 'The admin who created it.' })
  createdById: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'Its last use, to the minute.' })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked; null while it works.' })
  revokedAt: Date | null;
}

@ObjectType()
export class CreateScimTokenPayload {
  @Field(() => ScimToken)
  scimToken: ScimToken;

  @Field({
    description:
      'The bearer token to paste into the identity provider. Shown only now: only its SHA-256 is kept.',
  })
  token: string;
}

@ObjectType()
export class RevokeScimTokenPayload {
  @Field(() => ScimToken)
  scimToken: ScimToken;
}
