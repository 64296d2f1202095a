import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { RemoveTeamMemberInput } from './dto/remove-team-member.input.js';
import { SetTeamMemberRoleInput } from './dto/set-team-member-role.input.js';
import { TeamMembership } from './employee.model.js';
import { RemoveTeamMemberPayload, SetTeamMemberRolePayload } from './employee.payloads.js';
import { MembershipAdminService } from './membership-admin.service.js';

/** Admins' changes to existing memberships: roles, and leaving a team. */
@Resolver(() => TeamMembership)
export class TeamMembershipAdminResolver {
  constructor(private readonly memberships: MembershipAdminService) {}

  @Mutation(() => SetTeamMemberRolePayload, {
    description:
      "Admin only (promotions too: who leads spends the team's budget). The last lead of a team with open needs cannot be demoted (CONFLICT).",
  })
  @AdminOnly()
  async setTeamMemberRole(
    @Args('input') input: SetTeamMemberRoleInput,
    @CurrentActor() actor: Actor,
  ): Promise<SetTeamMemberRolePayload> {
    return { membership: await this.memberships.setRole(input, actor) };
  }

  @Mutation(() => RemoveTeamMemberPayload, {
    description:
      'Admin only. Not from their home team (BAD_USER_INPUT); not the last lead of a team with open needs (CONFLICT). What they decided for the team stays.',
  })
  @AdminOnly()
  async removeTeamMember(
    @Args('input') input: RemoveTeamMemberInput,
    @CurrentActor() actor: Actor,
  ): Promise<RemoveTeamMemberPayload> {
    return { employee: await this.memberships.remove(input, actor) };
  }
}
