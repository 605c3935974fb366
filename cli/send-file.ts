import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import * as z from 'zod';
import type { ApiClient } from './api-client.js';
import type { CliContext } from './cli-context.js';
import { CliError, FailedError, UsageError } from './errors.js';
import { type BatchLimits, deliveryBody, type JsonlBatch, nextBatch } from './jsonl-batch.js';
import { maxBatchItems, type Source, secretVariable, statePathOf } from './send-sources.js';
import {
  prefixSha256,
  readSendState,
  removeSendState,
  resumeProblem,
  type SendState,
  writeSendState,
} from './send-state.js';

/** SPEC §2: at most 1 MiB per delivery. */
const maxBodyBytes = 1024 * 1024;

const envelopeKey: Record<Source, string> = { telemetry: 'events', community: 'activities' };

/** SPEC §2's `202` answer. */
const deliveryAnswer = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.array(z.object({ index: z.number().int(), error: z.string() })),
});
type DeliveryAnswer = z.infer<typeof deliveryAnswer>;

export interface SendFileOptions {
  readonly source: Source;
  readonly file: string;
  /** One `whsec_…` secret, or several space-separated (each signs: a rotation, SPEC §2). */
  readonly secret: string;
  readonly batchSize: number;
  /** Ignore a kept progress file and send from the start. */
  readonly restart: boolean;
}

/** A refused line: its number in the file and why (the API's error, or why it was not sent). */
export interface RefusedLine {
  readonly line: number;
  readonly error: string;
}

export interface SendSummary {
  readonly file: string;
  readonly source: Source;
  readonly lines: number;
  readonly totals: SendState['totals'];
  readonly resumedAtLine: number | null;
  /** Lines refused in this run (earlier runs printed theirs). */
  readonly refused: readonly RefusedLine[];
}

/**
 * `flywheel send` (SPEC §11): delivers a JSON Lines file in signed batches, keeping its position
 * beside the file so that a failed run resumes where it stopped and a batch that may have arrived
 * is sent again under its `webhook-id` (counted once, SPEC §2).
 * @throws UsageError for an unreadable file or a progress file that does not fit it; a `CliError`
 * (exit 1) saying how to resume when a delivery fails.
 */
export async function sendFile(
  context: CliContext,
  options: SendFileOptions,
): Promise<SendSummary> {
  const bytes = readInput(options.file);
  const sign = signer(options.secret, options.source);
  const statePath = statePathOf(options.file);
  const kept = keptState(options, bytes, statePath);
  if (kept) context.note(`Resuming ${options.file} at line ${kept.done.line + 1} (${statePath})`);
  let state = kept ?? freshState(options.source, bytes);
  const lines = lineCount(bytes);
  const bar = context.progress(`Sending ${options.source}`, lines, 'lines');
  bar.update(state.done.line);
  const refused: RefusedLine[] = [];
  const limits = { maxItems: options.batchSize, maxBodyBytes, key: envelopeKey[options.source] };
  try {
    for (let batch = batchAt(bytes, state, limits); batch; batch = batchAt(bytes, state, limits)) {
      // Recorded before it is posted: if no answer comes, the next run sends it again, same id.
      const webhookId = state.pending?.webhookId ?? `msg_${randomUUID()}`;
      state = { ...state, pending: { webhookId, end: batch.end }, ...fingerprint(bytes, batch) };
      writeSendState(statePath, state);
      const answer =
        batch.items.length === 0
          ? { accepted: 0, duplicates: 0, rejected: [] }
          : await deliver(context.client, options.source, sign, webhookId, batch, limits);
      refused.push(...refusedLines(batch, answer));
      state = advanced(state, batch, answer);
      writeSendState(statePath, state);
      bar.update(state.done.line);
    }
  } catch (error) {
    throw stoppedError(error, state, options.file, statePath);
  } finally {
    bar.stop();
  }
  removeSendState(statePath);
  return {
    file: options.file,
    source: options.source,
    lines,
    totals: state.totals,
    resumedAtLine: kept ? kept.done.line + 1 : null,
    refused: refused.sort((a, b) => a.line - b.line),
  };
}

/**
 * The progress kept by an earlier run, unless `--restart`.
 * @throws UsageError when it belongs to another source or the file changed under it.
 */
function keptState(options: SendFileOptions, bytes: Buffer, statePath: string) {
  const kept = options.restart ? undefined : readSendState(statePath);
  const problem = kept && resumeProblem(kept, bytes, options.source);
  if (problem) {
    throw new UsageError(
      `Cannot resume from ${statePath}: ${problem}. Delete it, or pass --restart to send ${options.file} from its start.`,
    );
  }
  return kept;
}

/** The next batch to send: the pending one again, rebuilt exactly, else the next lines. */
function batchAt(bytes: Buffer, state: SendState, limits: BatchLimits): JsonlBatch | undefined {
  if (!state.pending) return nextBatch(bytes, state.done, limits);
  // The same lines as when it was first sent, whatever --batch-size says now.
  const unlimited = { ...limits, maxItems: maxBatchItems };
  return nextBatch(bytes, state.done, unlimited, state.pending.end.offset);
}

/** A batch's refusals by line number: lines not sent, then the API's rejections by index. */
function refusedLines(batch: JsonlBatch, answer: DeliveryAnswer): RefusedLine[] {
  return [
    ...batch.unsendable,
    ...answer.rejected.map(({ index, error }) => ({ line: batch.items[index]?.line ?? 0, error })),
  ];
}

/** A failed delivery, told with where the run stopped and how to resume it. */
function stoppedError(error: unknown, state: SendState, file: string, statePath: string): unknown {
  if (!(error instanceof CliError) || error instanceof UsageError) return error;
  return new FailedError(
    `${error.message}\nStopped at line ${state.done.line + 1} of ${file}; its progress is kept in ${statePath}. Run the same command again to resume there (a batch that may have arrived is sent again under its webhook-id and counts once).`,
    { cause: error },
  );
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

type Sign = (webhookId: string, body: string) => Record<string, string>;

/** Signs per Standard Webhooks with each of the space-separated secrets. */
function signer(secret: string, source: Source): Sign {
  let webhooks: Webhook[];
  try {
    webhooks = secret
      .split(/\s+/)
      .filter((s) => s !== '')
      .map((s) => new Webhook(s));
  } catch (error) {
    throw new UsageError(
      `The signing secret (${secretVariable[source]} or --secret) is not a whsec_… secret: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return (webhookId, body) => {
    const at = new Date();
    return {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': webhooks.map((w) => w.sign(webhookId, at, body)).join(' '),
    };
  };
}

async function deliver(
  client: ApiClient,
  source: Source,
  sign: Sign,
  webhookId: string,
  batch: JsonlBatch,
  limits: BatchLimits,
): Promise<DeliveryAnswer> {
  const body = deliveryBody(limits.key, batch.items);
  const answer = await client.json('POST', `/webhooks/${source}`, {
    body,
    headers: sign(webhookId, body),
    auth: false,
    retry: true,
    errorHint: (status) =>
      status === 401
        ? `\nThe signature was refused: ${secretVariable[source]} (or --secret) must hold the secret the API runs with (\`npm start\` prints it), and this machine's clock must be within 5 minutes of the API's.`
        : undefined,
  });
  const parsed = deliveryAnswer.safeParse(answer);
  if (!parsed.success) {
    throw new FailedError(
      `The API's answer to a delivery is not SPEC §2's: ${JSON.stringify(answer)}`,
    );
  }
  return parsed.data;
}

function freshState(source: Source, bytes: Buffer): SendState {
  return {
    version: 1,
    source,
    done: { offset: 0, line: 0 },
    pending: null,
    checkedBytes: 0,
    sha256: prefixSha256(bytes, 0),
    totals: { batches: 0, accepted: 0, duplicates: 0, rejected: 0, unsendable: 0 },
    updatedAt: new Date().toISOString(),
  };
}

const fingerprint = (bytes: Buffer, batch: JsonlBatch) => ({
  checkedBytes: batch.end.offset,
  sha256: prefixSha256(bytes, batch.end.offset),
  updatedAt: new Date().toISOString(),
});

function advanced(state: SendState, batch: JsonlBatch, answer: DeliveryAnswer): SendState {
  const { totals } = state;
  return {
    ...state,
    done: batch.end,
    pending: null,
    totals: {
      batches: totals.batches + (batch.items.length > 0 ? 1 : 0),
      accepted: totals.accepted + answer.accepted,
      duplicates: totals.duplicates + answer.duplicates,
      rejected: totals.rejected + answer.rejected.length,
      unsendable: totals.unsendable + batch.unsendable.length,
    },
    updatedAt: new Date().toISOString(),
  };
}

/** Lines in the file, the last one counted even without a final newline. */
function lineCount(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) count++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? count + 1 : count;
}
