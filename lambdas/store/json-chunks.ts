import { batchWrite, deleteRequest, putRequest } from './batch.js';
import { lastItemBefore, queryAll } from './query.js';

/**
 * Small enough that a chunk with its keys stays under 4 KB — a reader wanting a few entries reads
 * half a read unit (eventually consistent), and a changed entry rewrites ~4 write units of its
 * chunk, not 16 (a run's member index changes in a day's members: bench "an activity changed") —
 * large enough that thousands of entries are a few dozen items.
 */
const chunkChars = 3_500;

/** DynamoDB orders string keys by their UTF-8 bytes; JavaScript by UTF-16 units. */
const compareUtf8 = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Stores a derived list that is written whole as items of compact JSON (`[entry, entry, …]`)
 * under one partition, sorted by `keyOf` as DynamoDB sorts keys, each chunk's sort key at or
 * before its first entry's key: a reader fetches the one or two chunks holding a key range
 * (`readJsonChunks`), or all. The chunks keep the boundaries they had (an entry joins the chunk
 * whose key is the greatest at or before its own; a chunk that outgrows the size is split), so
 * a list that changed in a few entries rewrites a few chunks: only chunks whose JSON differs are
 * written, and chunks left empty are removed. Reading the old chunks whole costs the read units
 * that reading their keys alone would. Used for indexes a recalculation derives, so that a read of
 * one account, cluster or member costs a few read units instead of a scan.
 */
export async function writeJsonChunks<T>(
  partition: string,
  entries: readonly T[],
  keyOf: (entry: T) => string,
  stored?: JsonChunks<T>,
): Promise<void> {
  const sorted = entries
    .map((entry) => ({ key: keyOf(entry), json: JSON.stringify(entry) }))
    .sort((a, b) => compareUtf8(a.key, b.key));
  const items = stored?.items ?? (await queryAll(partition));
  const previous = new Map(items.map((item) => [item.sk as string, item.entries as string]));
  const bounds = [...previous.keys()].sort(compareUtf8);
  // Entries grouped by the chunk they fall in: the last bound at or before their key, if any.
  const groups: { sk: string | undefined; entries: { key: string; json: string }[] }[] = [
    { sk: undefined, entries: [] },
    ...bounds.map((sk) => ({ sk, entries: [] })),
  ];
  let group = 0;
  for (const entry of sorted) {
    while (group + 1 < groups.length && compareUtf8(groups[group + 1]?.sk ?? '', entry.key) <= 0) {
      group++;
    }
    groups[group]?.entries.push(entry);
  }
  const chunks: { sk: string; json: string }[] = [];
  for (const { sk, entries: inGroup } of groups) {
    // A group's first chunk keeps the group's key; a chunk split off starts at its first entry.
    let chunkKey = sk;
    let current: string[] = [];
    let first: string | undefined;
    let size = 0;
    const flush = () => {
      if (first !== undefined)
        chunks.push({ sk: chunkKey ?? first, json: `[${current.join(',')}]` });
      chunkKey = undefined;
      current = [];
      first = undefined;
      size = 0;
    };
    for (const { key, json } of inGroup) {
      if (current.length > 0 && size + json.length > chunkChars) flush();
      first ??= key;
      current.push(json);
      size += json.length + 1;
    }
    flush();
  }
  const kept = new Set(chunks.map((chunk) => chunk.sk));
  await batchWrite([
    ...chunks
      .filter(({ sk, json }) => previous.get(sk) !== json)
      .map(({ sk, json }) => putRequest({ pk: partition, sk, entries: json })),
    ...bounds.filter((sk) => !kept.has(sk)).map((sk) => deleteRequest({ pk: partition, sk })),
  ]);
}

/** A partition's chunks as read, with their entries: what `writeJsonChunks` replaces. */
export interface JsonChunks<T> {
  readonly entries: T[];
  readonly items: readonly Record<string, unknown>[];
}

/**
 * Every entry `writeJsonChunks` stored in the partition, in key order, with the chunks they were
 * read from: handing these back to `writeJsonChunks` saves it reading them again.
 */
export async function readAllJsonChunks<T>(partition: string): Promise<JsonChunks<T>> {
  const items = await queryAll(partition);
  return { entries: entriesOf<T>(items), items };
}

const entriesOf = <T>(items: readonly Record<string, unknown>[]): T[] =>
  [...items]
    .sort((a, b) => compareUtf8(a.sk as string, b.sk as string))
    .flatMap((item) => JSON.parse(item.entries as string) as T[]);

/**
 * The entries `writeJsonChunks` stored, in key order: all of them, or (given a key range, both
 * ends included) those of the chunks that may hold keys in it — the caller filters the entries.
 */
export async function readJsonChunks<T>(
  partition: string,
  range?: readonly [string, string],
): Promise<T[]> {
  const items = range
    ? await Promise.all([
        queryAll(partition, { between: range }),
        lastItemBefore(partition, range[0]),
      ]).then(([inside, before]) => [...(before ? [before] : []), ...inside])
    : await queryAll(partition);
  return entriesOf<T>(items);
}

/**
 * Looks entries up by their (unique) key in a list `writeJsonChunks` stored, reading each chunk at
 * most once per lookup function: one query of one item (≤ 16 KB, 2 read units) per chunk touched,
 * so a page of lookups costs at most the chunks it lands in. Call the function one key at a time
 * to profit from the chunks already read.
 */
export function chunkLookup<T>(
  partition: string,
  keyOf: (entry: T) => string,
): (key: string) => Promise<T | undefined> {
  const loaded: { first: string; last: string; entries: T[] }[] = [];
  return async (key) => {
    const covering = loaded.find(
      (chunk) => compareUtf8(chunk.first, key) <= 0 && compareUtf8(key, chunk.last) <= 0,
    );
    if (covering) return covering.entries.find((entry) => keyOf(entry) === key);
    const item = await lastItemBefore(partition, key, true);
    if (!item) return undefined;
    const entries = JSON.parse(item.entries as string) as T[];
    const last = entries.at(-1);
    loaded.push({ first: item.sk as string, last: last ? keyOf(last) : '', entries });
    return entries.find((entry) => keyOf(entry) === key);
  };
}
