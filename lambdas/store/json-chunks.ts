import { batchWrite, deleteRequest, putRequest } from './batch.js';
import { queryAll } from './query.js';

/**
 * Small enough that a reader wanting a few entries reads a few read units (16 KB is 2 units read
 * eventually consistent), large enough that thousands of entries are a handful of items.
 */
const chunkChars = 16_000;

/**
 * Stores a derived list that is written whole as items of compact JSON (`[entry, entry, …]`)
 * under one partition, each chunk's sort key made from its first entry (`skOf`), so that a reader
 * can query just the chunks holding the keys it wants when entries are sorted by that key.
 * Chunks of the previous list that the new one does not overwrite are removed.
 */
export async function writeJsonChunks<T>(
  partition: string,
  entries: readonly T[],
  skOf: (first: T) => string,
): Promise<void> {
  const chunks: { sk: string; json: string }[] = [];
  let current: string[] = [];
  let first: T | undefined;
  let size = 0;
  const flush = () => {
    if (first !== undefined) chunks.push({ sk: skOf(first), json: `[${current.join(',')}]` });
    current = [];
    first = undefined;
    size = 0;
  };
  for (const entry of entries) {
    const json = JSON.stringify(entry);
    if (size + json.length > chunkChars) flush();
    first ??= entry;
    current.push(json);
    size += json.length + 1;
  }
  flush();
  const written = new Set(chunks.map((chunk) => chunk.sk));
  const previous = await queryAll(partition, { projection: ['sk'] });
  await batchWrite([
    ...chunks.map(({ sk, json }) => putRequest({ pk: partition, sk, entries: json })),
    ...previous
      .filter((item) => !written.has(item.sk as string))
      .map((item) => deleteRequest({ pk: partition, sk: item.sk })),
  ]);
}

/** The entries of the chunks read (items `writeJsonChunks` stored), in sort-key order. */
export function entriesOf<T>(items: readonly Record<string, unknown>[]): T[] {
  return [...items]
    .sort((a, b) => ((a.sk as string) < (b.sk as string) ? -1 : 1))
    .flatMap((item) => JSON.parse(item.entries as string) as T[]);
}
