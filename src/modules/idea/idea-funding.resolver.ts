import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Access, Allow, arg } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { IdeaDecisionInput, PledgeToIdeaInput, RejectIdeaInput } from './dto/idea.inputs.js';
import { IdeaFundingService } from './idea-funding.service.js';
import {
  ApproveIdeaPayload,
  CloseIdeaPayload,
  PledgeToIdeaPayload,
} from './models/idea.payloads.js';

/** An idea's money and its decision: pledges, approval, rejection, withdrawal. */
@Resolver()
export class IdeaFundingResolver {
  constructor(private readonly ideaFundingService: IdeaFundingService) {}

  @Mutation(() => PledgeToIdeaPayload, {
    description: "Commits your team's credits to a submitted idea. For the team's leads.",
  })
  @Access(Allow.leadOf(arg('input.teamId')))
  pledgeToIdea(
    @Args('input') input: PledgeToIdeaInput,
    @CurrentActor() actor: Actor,
  ): Promise<PledgeToIdeaPayload> {
    return this.ideaFundingService.pledge(input, actor);
  }

  @Mutation(() => ApproveIdeaPayload, {
    description:
      "Turns a FUNDED idea into an initiative. For the sponsor team's leads, except the proposer.",
  })
  approveIdea(
    @Args('input') input: IdeaDecisionInput,
    @CurrentActor() actor: Actor,
  ): Promise<ApproveIdeaPayload> {
    return this.ideaFundingService.approve(input, actor);
  }

  @Mutation(() => CloseIdeaPayload, {
    description: "Turns an idea down and refunds every pledge. For the sponsor team's leads.",
  })
  rejectIdea(
    @Args('input') input: RejectIdeaInput,
    @CurrentActor() actor: Actor,
  ): Promise<CloseIdeaPayload> {
    return this.ideaFundingService.reject(input, actor);
  }

  @Mutation(() => CloseIdeaPayload, {
    description: 'Takes your idea back before approval and refunds every pledge.',
  })
  withdrawIdea(
    @Args('input') input: IdeaDecisionInput,
    @CurrentActor() actor: Actor,
  ): Promise<CloseIdeaPayload> {
    return this.ideaFundingService.withdraw(input, actor);
  }
}
