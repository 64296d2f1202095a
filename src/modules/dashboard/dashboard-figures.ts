/** How the dashboards round what they show: pure, so the rules are unit-tested. */

/** One decimal place, as every dashboard percentage and score is shown; null stays null. */
export const round1 = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 10) / 10;

/** `part` as a percentage of `whole`, to one decimal; null when there is no whole to take it of. */
export const percentOf = (part: number, whole: number | null): number | null =>
  whole ? round1((part / whole) * 100) : null;
