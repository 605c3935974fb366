import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonChunks, writeJsonChunks } from '../../lambdas/store/json-chunks.js';
import { queryAll } from '../../lambdas/store/query.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system?.stop());

type Entry = [key: string, payload: string];
const partition = 'TESTCHUNKS';
// UTF-16 puts `😀` (a surrogate pair, D83D…) before U+E000 and U+FFFF; UTF-8, as DynamoDB
// orders keys, puts it after them: keys that differ only there must still be found.
const keysOf = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const key = `k${String(i).padStart(5, '0')}`;
    return i % 3 === 0
      ? key
      : `${key.slice(0, 4)}${['😀', '\uE000', '\uFFFF'][i % 3]}${key.slice(4)}`;
  });
const entries = (n: number): Entry[] => keysOf(n).map((key) => [key, 'x'.repeat(100)]);

describe('sorted JSON chunks (store/json-chunks.ts)', () => {
  it('finds every entry by its key reading a chunk or two, and reads all of them back in order', async () => {
    const written = entries(2000);
    await writeJsonChunks(partition, [...written].reverse(), ([key]) => key);
    const chunks = await queryAll(partition, { projection: ['sk'] });
    expect(chunks.length).toBeGreaterThan(10);
    const all = await readJsonChunks<Entry>(partition);
    expect(all.map(([key]) => key).sort()).toEqual(written.map(([key]) => key).sort());
    const utf8 = all.map(([key]) => Buffer.from(key));
    expect(utf8.every((key, i) => i === 0 || Buffer.compare(utf8[i - 1] as Buffer, key) < 0)).toBe(
      true,
    );
    for (const [key] of written.filter((_, i) => i % 37 === 0 || i % 97 === 0 || i % 89 === 0)) {
      const found = await readJsonChunks<Entry>(partition, [key, key]);
      expect(
        found.some(([k]) => k === key),
        key,
      ).toBe(true);
      // A chunk or two: chunks hold about the same number of entries (keys differ in length).
      expect(found.length).toBeLessThan(2.2 * (all.length / chunks.length));
    }
  });

  it('keeps its chunks: a list changed in two entries rewrites the chunks holding them', async () => {
    const written = entries(2000);
    await writeJsonChunks(partition, written, ([key]) => key);
    const before = new Map((await queryAll(partition)).map((item) => [item.sk, item.entries]));
    const changed: Entry[] = written.map(([key, payload], i) =>
      i === 700 ? [key, 'changed'] : [key, payload],
    );
    // A new key between two existing ones, and one before every other.
    const added: Entry[] = [
      [`${keysOf(2000)[1300]}+`, 'new'],
      ['a-first', 'new'],
    ];
    await writeJsonChunks(partition, [...changed, ...added], ([key]) => key);
    const after = await queryAll(partition);
    const rewritten = after.filter((item) => before.get(item.sk) !== item.entries);
    // The changed entry's chunk, the new head chunk, and the chunk taking the new key (split in
    // two should it outgrow the size): of dozens.
    expect(before.size).toBeGreaterThan(40);
    expect(rewritten.length).toBeGreaterThanOrEqual(3);
    expect(rewritten.length).toBeLessThanOrEqual(4);
    expect(after.length - before.size).toBeLessThanOrEqual(2);
    const all = await readJsonChunks<Entry>(partition);
    expect(all).toHaveLength(2002);
    for (const [key, payload] of [...added, changed[700] as Entry, changed[1999] as Entry]) {
      const found = await readJsonChunks<Entry>(partition, [key, key]);
      expect(found.find(([k]) => k === key)?.[1]).toBe(payload);
    }
  });

  it('removes the chunks a shorter list no longer needs', async () => {
    const chunks = (await queryAll(partition)).length;
    await writeJsonChunks(partition, entries(10), ([key]) => key);
    // The ten keys are spread over the list's order (see keysOf): a few of its chunks keep them.
    expect((await queryAll(partition)).length).toBeLessThanOrEqual(4);
    expect(chunks).toBeGreaterThan(40);
    expect((await readJsonChunks<Entry>(partition)).map(([key]) => key).sort()).toEqual(
      keysOf(10).sort(),
    );
    await writeJsonChunks(partition, [], ([key]: Entry) => key);
    expect(await readJsonChunks<Entry>(partition)).toEqual([]);
  });
});
