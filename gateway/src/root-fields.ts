import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';

/** How many times an operation calls `field` at its root (aliases and fragments included). */
export function rootFieldCalls(document: DocumentNode, operation: OperationDefinitionNode, field: string): number {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const count = (selections: readonly SelectionNode[], seen: Set<string>): number =>
    selections.reduce((sum, selection) => {
      if (selection.kind === Kind.FIELD) return sum + (selection.name.value === field ? 1 : 0);
      if (selection.kind === Kind.INLINE_FRAGMENT) return sum + count(selection.selectionSet.selections, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) return sum;
      return sum + count(fragment.selectionSet.selections, new Set([...seen, fragment.name.value]));
    }, 0);
  return count(operation.selectionSet.selections, new Set());
}
