/** The limits an employee's record keeps (CHECK constraints in the entities, bounds in the inputs). */
export const MIN_SKILL_LEVEL = 1;
export const MAX_SKILL_LEVEL = 5;
export const MAX_WEEKLY_CAPACITY_HOURS = 80;
/** The most teams one person belongs to (their home team included). */
export const MAX_TEAMS_PER_EMPLOYEE = 25;
/** The most leads one team has. */
export const MAX_LEADS_PER_TEAM = 10;
