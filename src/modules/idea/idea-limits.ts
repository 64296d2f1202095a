/**
 * An idea takes at most this many pledges. Closing it refunds them one by one, and approving
 * it makes the pledging teams its initiative's funders, so this bounds those lists too.
 */
export const MAX_PLEDGES_PER_IDEA = 100;

/** Skills an idea may name as needed. */
export const MAX_IDEA_SKILLS = 20;

/** The most look-alike ideas one similarIdeas call ranks. */
export const MAX_SIMILAR_IDEAS = 20;
