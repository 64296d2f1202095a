import { Extensions } from '@nestjs/graphql';
import { Kind, type FieldNode, type SelectionSetNode } from 'graphql';

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
  /**
   * The field's `first` is a deprecated way of paging this child connection (initiativeOutcomes
   * and InitiativeOutcomes.initiatives): it sizes the child only where the child is selected
   * without paging arguments of its own (`pagesItself`); the child then has `sizeFromParentFirst`.
   */
  firstPagesChild?: string;
}

/**
 * Whether a selection of a field pages it with its own `first` or `after`. A connection that
 * can also be paged by its parent's deprecated arguments (ListLimit.firstPagesChild) takes its
 * own as soon as either is written: the resolver and the cost analysis both decide by this.
 */
export const pagesItself = (field: FieldNode): boolean =>
  (field.arguments ?? []).some((arg) => arg.name.value === 'first' || arg.name.value === 'after');

/**
 * Whether every selection of `child` under `field` pages itself. A fragment spread is not
 * looked into: it counts as a child paged by the parent (priced that way, never lower).
 */
export function everyChildPagesItself(field: FieldNode, child: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).every((selection) => {
      if (selection.kind === Kind.FIELD)
        return selection.name.value !== child || pagesItself(selection);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return false;
    });
  return visit(field.selectionSet);
}

/** Attaches a list's hard maximum (or the cap of its `first`) for the cost analysis. */
export const MaxItems = (maxItems: number, options: Omit<ListLimit, 'maxItems'> = {}) =>
  Extensions({ maxItems, ...options } satisfies ListLimit);

/** Marks a field whose deprecated `first` pages the named child connection (see ListLimit). */
export const FirstPagesChild = (child: string) =>
  Extensions({ firstPagesChild: child } satisfies ListLimit);

/** A list field's description with its maximum, as schema.gql states it. */
export const atMost = (maxItems: number, description?: string): string =>
  description ? `${description} At most ${maxItems}.` : `At most ${maxItems}.`;
