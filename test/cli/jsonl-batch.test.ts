import { describe, expect, it } from 'vitest';
import { deliveryBody, nextBatch } from '../../cli/jsonl-batch.js';
import { prefixSha256, resumeProblem, type SendState } from '../../cli/send-state.js';

const limits = { maxItems: 2, maxBodyBytes: 1024 * 1024, key: 'events' };
const file = (...lines: string[]) => Buffer.from(lines.join('\n'));

describe('JSON Lines batches', () => {
  it('cuts the file into batches of at most maxItems, each line numbered as in the file', () => {
    const bytes = file('{"a":1}', '{"a":2}', '{"a":3}', '');
    const first = nextBatch(bytes, { offset: 0, line: 0 }, limits);
    expect(first?.items).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"a":2}' },
    ]);
    const second = nextBatch(bytes, first?.end ?? { offset: 0, line: 0 }, limits);
    expect(second?.items).toEqual([{ line: 3, text: '{"a":3}' }]);
    expect(second?.end).toEqual({ offset: bytes.length, line: 3 });
    expect(nextBatch(bytes, second?.end ?? { offset: 0, line: 0 }, limits)).toBeUndefined();
  });

  it('skips blank lines, a BOM and CRLF endings; keeps each line exactly as written', () => {
    const bytes = Buffer.from('\uFEFF{"t": "2026-11-15T10:00Z"}\r\n\r\n  \n{"b":2}\r\n');
    const batch = nextBatch(bytes, { offset: 0, line: 0 }, { ...limits, maxItems: 10 });
    expect(batch?.items).toEqual([
      { line: 1, text: '{"t": "2026-11-15T10:00Z"}' },
      { line: 4, text: '{"b":2}' },
    ]);
    expect(deliveryBody('events', batch?.items ?? [])).toBe(
      '{"events":[{"t": "2026-11-15T10:00Z"},{"b":2}]}',
    );
  });

  it('reports a line that is not JSON as unsendable and sends the others', () => {
    const batch = nextBatch(file('{"a":1}', 'oops', '{"a":3}'), { offset: 0, line: 0 }, limits);
    expect(batch?.items.map((item) => item.line)).toEqual([1, 3]);
    expect(batch?.unsendable).toEqual([{ line: 2, error: expect.stringMatching(/^not JSON/) }]);
  });

  it('ends a batch before the body would pass maxBodyBytes, and refuses a line too large alone', () => {
    const small = { ...limits, maxItems: 10, maxBodyBytes: 40 };
    const bytes = file('{"a":"0123456789"}', '{"a":"0123456789"}', `{"a":"${'x'.repeat(50)}"}`);
    const first = nextBatch(bytes, { offset: 0, line: 0 }, small);
    expect(first?.items.map((item) => item.line)).toEqual([1]);
    expect(Buffer.byteLength(deliveryBody('events', first?.items ?? []))).toBeLessThanOrEqual(40);
    const second = nextBatch(bytes, first?.end ?? { offset: 0, line: 0 }, small);
    expect(second?.items.map((item) => item.line)).toEqual([2]);
    expect(second?.unsendable).toEqual([{ line: 3, error: expect.stringMatching(/too large/) }]);
  });

  it('rebuilds a pending batch exactly up to its recorded end', () => {
    const bytes = file('{"a":1}', '{"a":2}', '{"a":3}');
    const first = nextBatch(bytes, { offset: 0, line: 0 }, limits);
    const again = nextBatch(
      bytes,
      { offset: 0, line: 0 },
      { ...limits, maxItems: 1000 },
      first?.end.offset,
    );
    expect(again).toEqual(first);
  });
});

describe('resuming from a progress file', () => {
  const bytes = file('{"a":1}', '{"a":2}', '{"a":3}');
  const state: SendState = {
    version: 1,
    source: 'telemetry',
    done: { offset: 8, line: 1 },
    pending: null,
    checkedBytes: 8,
    sha256: prefixSha256(bytes, 8),
    totals: { batches: 1, accepted: 1, duplicates: 0, rejected: 0, unsendable: 0 },
    updatedAt: '2026-11-30T12:00:00Z',
  };

  it('resumes the same file, also when lines were appended', () => {
    expect(resumeProblem(state, bytes, 'telemetry')).toBeUndefined();
    expect(
      resumeProblem(state, Buffer.concat([bytes, Buffer.from('\n{"a":4}')]), 'telemetry'),
    ).toBeUndefined();
  });

  it('refuses another source, a shorter file or one changed in the part already sent', () => {
    expect(resumeProblem(state, bytes, 'community')).toMatch(/telemetry run/);
    expect(resumeProblem(state, bytes.subarray(0, 4), 'telemetry')).toMatch(/shorter/);
    expect(resumeProblem(state, file('{"a":9}', '{"a":2}'), 'telemetry')).toMatch(/changed/);
  });
});
