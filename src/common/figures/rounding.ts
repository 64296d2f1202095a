/**
 * How the API rounds what it computes (README, "Rounding"): every percentage and score to one
 * decimal place, so that the same figure reads the same on every type that shows it.
 */

/** One decimal place; null stays null. */
export const round1 = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 10) / 10;

/** The phrase descriptions end with, so that schema.gql says how each figure is rounded. */
export const ROUNDED_TO_ONE_DECIMAL = 'Rounded to one decimal place.';
