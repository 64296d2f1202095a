/**
 * An idea takes at most this many pledges. Closing it refunds them one by one, and approving
 * it makes the pledging teams its initiative's funders, so this bounds those lists too.
 */
export const MAX_PLEDGES_PER_IDEA = 100;
