/** Current members of one initiative, its owner included. */
export const MAX_INITIATIVE_MEMBERS = 100;

export const MAX_MILESTONES_PER_INITIATIVE = 50;

/** Outcome metrics one initiative promises to move. */
export const MAX_METRICS_PER_INITIATIVE = 10;

/** Readings in a dashboard sparkline. */
export const SPARKLINE_POINTS = 12;

/** The fewest hours a week a member gives: joining is giving time (leaving is how one stops). */
export const MIN_MEMBER_HOURS_PER_WEEK = 1;
