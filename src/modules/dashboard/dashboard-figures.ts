/** How the dashboards round what they show: pure, so the rules are unit-tested. */
import { round1 } from '../../common/figures/rounding.js';

/** One decimal place, as every dashboard percentage and score is shown; null stays null. */
export { round1 };

/** `part` as a percentage of `whole`, to one decimal; null when there is no whole to take it of. */
export const percentOf = (part: number, whole: number | null): number | null =>
  whole ? round1((part / whole) * 100) : null;
