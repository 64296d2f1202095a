import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The root fields an operation asks for, through fragments (each counted once): what the rate
 * limits count, and what a sign-in must be alone in.
 */
export function rootFieldCount(
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  seen = new Set<string>(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, fragments, seen);
    } else {
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      seen.add(fragment.name.value);
      count += rootFieldCount(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}
