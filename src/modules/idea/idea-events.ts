/** Where an idea's changes are published (the ideaChanged subscription listens there). */
export const ideaChangedTopic = (ideaId: string): string => `ideaChanged:${ideaId}`;

export interface IdeaChangedEvent {
  ideaId: string;
}
