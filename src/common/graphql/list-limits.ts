import { Extensions } from '@nestjs/graphql';

/**
 * What the cost analysis (query-limits.ts) knows about a field that returns many items. Every
 * such field has a hard maximum: its `first` argument's cap, or a rule of the domain. The
 * maximum lives in one constant next to the rule that enforces it; the field carries it here
 * and says it in its description ("At most N."), so schema.gql documents what is priced
 * (test/list-limits.e2e.spec.ts keeps the two equal).
 */
export interface ListLimit {
  /** The most items the field returns: a domain rule's maximum, or the cap of its `first`. */
  maxItems?: number;
  /**
   * The items are the page that the parent field's `first` asked for (MarketStats.skills under
   * marketStats(first)): the parent's `first` prices them, not this field.
   */
  sizeFromParentFirst?: boolean;
}

/** Attaches a list's hard maximum (or the cap of its `first`) for the cost analysis. */
export const MaxItems = (maxItems: number, options: Omit<ListLimit, 'maxItems'> = {}) =>
  Extensions({ maxItems, ...options } satisfies ListLimit);

/** A list field's description with its maximum, as schema.gql states it. */
export const atMost = (maxItems: number, description?: string): string =>
  description ? `${description} At most ${maxItems}.` : `At most ${maxItems}.`;
