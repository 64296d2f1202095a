import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Actor } from '../../common/auth/actor.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { ideaChangedTopic, IdeaService } from '../idea/idea.service.js';
import { initiativeChangedTopic, InitiativeService } from '../initiative/initiative.service.js';
import { NeedService } from '../market/need.service.js';
import { CommentSubject } from './comment.enums.js';
import { CommentRepository } from './comment.repository.js';
import type { CommentOnInput } from './dto/comment-on.input.js';
import type { Comment } from './models/comment.models.js';

/** Discussion on ideas, needs and initiatives. */
@Injectable()
export class CommentService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly ideas: IdeaService,
    private readonly needs: NeedService,
    private readonly initiatives: InitiativeService,
    private readonly unitOfWork: UnitOfWork,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /** Anyone who can see the subject may comment on it (a draft idea: only its proposer). */
  async commentOn(input: CommentOnInput, actor: Actor): Promise<Comment> {
    const subjectName = await this.assertVisible(input, actor, 'subjectId');
    return this.unitOfWork.run({ actor }, async (tx) => {
      const comment = await this.comments.insert(tx, {
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        authorId: actor.id,
        body: input.body,
      });
      await tx.record({
        action: 'comment.add',
        subjectType: subjectName,
        subjectId: input.subjectId,
        payload: { commentId: comment.id, length: input.body.length },
      });
      tx.afterCommit(() => this.announce(input));
      return comment;
    });
  }

  /** The subject's name in the audit log; NOT_FOUND (on `field`) if the actor cannot see it. */
  async assertVisible(
    input: Pick<CommentOnInput, 'subjectType' | 'subjectId'>,
    actor: Actor,
    field: string,
  ): Promise<string> {
    switch (input.subjectType) {
      case CommentSubject.IDEA:
        await this.ideas.findVisible(input.subjectId, actor, field);
        return 'Idea';
      case CommentSubject.NEED:
        await this.needs.findById(input.subjectId, field);
        return 'Need';
      case CommentSubject.INITIATIVE:
        await this.initiatives.findById(input.subjectId, field);
        return 'Initiative';
    }
  }

  /** Ideas and initiatives have subscriptions that show their comments; needs do not. */
  private async announce({ subjectType, subjectId }: CommentOnInput): Promise<void> {
    if (subjectType === CommentSubject.IDEA) {
      await this.pubSub.publish(ideaChangedTopic(subjectId), { ideaId: subjectId });
    }
    if (subjectType === CommentSubject.INITIATIVE) {
      await this.pubSub.publish(initiativeChangedTopic(subjectId), { initiativeId: subjectId });
    }
  }
}
