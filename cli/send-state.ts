import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { UsageError } from './errors.js';
import { type Source, sources } from './send-sources.js';

const position = z.object({ offset: z.number().int().min(0), line: z.number().int().min(0) });

/**
 * What `flywheel send` keeps beside its input (`<file>.flywheel-progress`) while a file is being
 * sent, so that a failed run resumes where it stopped:
 * - `done`: where the delivered part of the file ends;
 * - `pending`: the batch being sent, with its `webhook-id`, written before it is posted — after a
 *   failure it is sent again, the same lines under the same id, a retry of the same delivery
 *   (SPEC §2: its items count once however often it arrives);
 * - `sha256` of the file's first `checkedBytes` bytes (the delivered and pending part), so a
 *   resume refuses a file that changed there;
 * - `totals` so far, for the closing summary.
 */
export const sendState = z.object({
  version: z.literal(1),
  source: z.enum(sources),
  done: position,
  pending: z.object({ webhookId: z.string().min(1), end: position }).nullable(),
  checkedBytes: z.number().int().min(0),
  sha256: z.string(),
  totals: z.object({
    batches: z.number().int().min(0),
    accepted: z.number().int().min(0),
    duplicates: z.number().int().min(0),
    rejected: z.number().int().min(0),
    unsendable: z.number().int().min(0),
  }),
  updatedAt: z.string(),
});
export type SendState = z.infer<typeof sendState>;

/** The fingerprint of the part of the file a state covers. */
export const prefixSha256 = (bytes: Buffer, length: number) =>
  createHash('sha256').update(bytes.subarray(0, length)).digest('hex');

/**
 * Why `state` cannot resume sending `bytes` as `source`, or `undefined` when it can: another
 * source's run, or a file that is shorter or different in the part already handled.
 */
export function resumeProblem(state: SendState, bytes: Buffer, source: Source): string | undefined {
  if (state.source !== source) return `it records a ${state.source} run, not ${source}`;
  if (bytes.length < state.checkedBytes)
    return 'the file is now shorter than the part already sent';
  if (prefixSha256(bytes, state.checkedBytes) !== state.sha256) {
    return 'the file changed in the part already sent';
  }
  return undefined;
}

/**
 * The state kept at `path`, or `undefined` when there is none.
 * @throws UsageError when the file is not a progress file this command wrote.
 */
export function readSendState(path: string): SendState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return sendState.parse(JSON.parse(text));
  } catch (error) {
    throw new UsageError(
      `${path} is not a progress file of flywheel send; delete it (or pass --restart) to send the file from its start`,
      { cause: error },
    );
  }
}

/** Replaces the state at `path` in one rename, so a crash never leaves half a file. */
export function writeSendState(path: string, state: SendState): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}

export const removeSendState = (path: string) => rmSync(path, { force: true });
