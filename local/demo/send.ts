/**
 * Delivers the story through the signed webhooks (SPEC §2) as a sender would: Standard Webhooks
 * signatures, batches of at most 500 items, a few in flight, a retry on a network error or a 5xx
 * (items carry their own ids, so a retried batch is only ever counted once).
 */
import pMap from 'p-map';
import { postSigned } from '../signed-delivery.js';
import { DemoError } from './api.js';
import { progressBar } from './progress.js';

export { postSigned };

export interface Delivery {
  readonly url: string;
  readonly secret: string;
  /** `events` or `activities`: the envelope's key. */
  readonly key: string;
  readonly items: readonly unknown[];
  readonly label: string;
  readonly unit: string;
  readonly batchSize?: number;
  readonly concurrency?: number;
}

export interface Delivered {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly { index: number; error: string }[];
  readonly seconds: number;
}

interface Outcome {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly { index: number; error: string }[];
}

const attempts = 4;

async function sendBatch(delivery: Delivery, batch: readonly unknown[]): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    let failure: string;
    try {
      const response = await postSigned(delivery.url, delivery.secret, { [delivery.key]: batch });
      if (response.status === 202) return (await response.json()) as Outcome;
      const text = await response.text();
      if (response.status === 401) {
        throw new DemoError(
          `${delivery.url} refused the signature`,
          'set FLYWHEEL_TELEMETRY_SECRET and FLYWHEEL_COMMUNITY_SECRET to the secrets the running Flywheel printed',
        );
      }
      if (response.status < 500) {
        throw new DemoError(
          `${delivery.url} answered ${response.status}: ${text}`,
          'this is a bug in the demo or the server; please report it',
        );
      }
      failure = `${response.status} ${text}`;
    } catch (error) {
      if (error instanceof DemoError) throw error;
      failure = (error as Error).message;
    }
    if (attempt === attempts) {
      throw new DemoError(
        `${delivery.url} failed ${attempts} times (${failure})`,
        'is Flywheel still running? Run the demo again: what arrived is reported as duplicates',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
}

/** Sends every item in batches, with a progress bar counting items and items per second. */
export async function deliverAll(delivery: Delivery): Promise<Delivered> {
  const size = delivery.batchSize ?? 500;
  const batches = Array.from({ length: Math.ceil(delivery.items.length / size) }, (_, k) =>
    delivery.items.slice(k * size, (k + 1) * size),
  );
  const bar = progressBar(delivery.label, delivery.unit, delivery.items.length);
  let done = 0;
  try {
    const outcomes = await pMap(
      batches,
      async (batch, k) => {
        const outcome = await sendBatch(delivery, batch);
        done += batch.length;
        bar.update(done);
        // Indexes are per batch on the wire; the caller wants them in the whole delivery.
        return {
          ...outcome,
          rejected: outcome.rejected.map((r) => ({ ...r, index: r.index + k * size })),
        };
      },
      { concurrency: delivery.concurrency ?? 3 },
    );
    const seconds = bar.stop();
    return {
      accepted: outcomes.reduce((sum, o) => sum + o.accepted, 0),
      duplicates: outcomes.reduce((sum, o) => sum + o.duplicates, 0),
      rejected: outcomes.flatMap((o) => o.rejected),
      seconds,
    };
  } finally {
    bar.stop();
  }
}
