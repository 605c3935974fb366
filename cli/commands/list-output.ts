import type { CliContext } from '../cli-context.js';
import type { CollectedList } from '../list-pages.js';
import { type Column, formatTable } from '../table.js';

/**
 * Prints a collected list: with `--json` the route's own shape with every item read and the
 * `nextCursor` left over (null when complete); else a table and, when `--limit` stopped short,
 * a note on stderr saying so.
 */
export function printList<Item>(
  context: CliContext,
  key: string,
  list: CollectedList<Item>,
  columns: readonly Column<Item>[],
): void {
  if (context.json) {
    context.printJson({ ...list.page, [key]: list.items, nextCursor: list.nextCursor });
    return;
  }
  context.print(formatTable(list.items, columns));
  if (list.nextCursor !== null) {
    context.note(`Showing the first ${list.items.length}; there are more (raise --limit).`);
  }
}
