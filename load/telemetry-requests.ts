/**
 * The load's requests: signed telemetry deliveries (SPEC §2), each built when autocannon is about
 * to send it, with events no other request carries, and a ledger of what was sent and answered so
 * that the stored count can be checked against it afterwards.
 */
import { randomUUID } from 'node:crypto';
import type autocannon from 'autocannon';
import { Webhook } from 'standardwebhooks';

export interface LoadShape {
  readonly eventsPerRequest: number;
  /** Distinct clusters the events report for (month values are updated per cluster and month). */
  readonly clusters: number;
  readonly accounts: number;
}

/** One delivery: its webhook-id and the first eventId it carried (they are numbered). */
interface Sent {
  readonly id: string;
  readonly firstEvent: number;
}

export interface Ledger {
  /** Requests autocannon wrote to a socket. */
  sent: number;
  /** Of those, answered 2xx, and the `accepted` and `duplicates` they reported. */
  answered2xx: number;
  accepted: number;
  duplicates: number;
  /** Answered, but not 2xx (with the first few bodies, to say why). */
  answeredOther: number;
  readonly otherSamples: string[];
  /** Requests written but never answered: in flight when autocannon stopped. */
  readonly unanswered: Map<string, Sent>;
}

/** The eventId of the `n`-th event of a run: `<run>-<n>`, unique across requests and runs. */
export const eventIdOf = (run: string, n: number) => `${run}-${n}`;

/**
 * The one request definition autocannon cycles through: `setupRequest` is called right before
 * each request is written (so the ledger counts what was sent), `onResponse` when its answer
 * arrives. With one request in flight per connection the context tells answers apart.
 */
export function telemetryRequests(secret: string, shape: LoadShape) {
  const run = `load-${randomUUID().slice(0, 8)}`;
  const webhook = new Webhook(secret);
  const ledger: Ledger = {
    sent: 0,
    answered2xx: 0,
    accepted: 0,
    duplicates: 0,
    answeredOther: 0,
    otherSamples: [],
    unanswered: new Map(),
  };
  let nextEvent = 0;
  const now = Date.now();

  const events = (first: number) =>
    Array.from({ length: shape.eventsPerRequest }, (_, k) => {
      const n = first + k;
      return {
        eventId: eventIdOf(run, n),
        clusterId: `${run}-c${n % shape.clusters}`,
        accountId: `${run}-a${n % shape.accounts}`,
        environment: 'production',
        nodes: (n * 7) % 90,
        // Spread over the last 60 days: two months of month values, in the past as SPEC §2 wants.
        reportedAt: new Date(now - (n % 86_400) * 60_000).toISOString(),
      };
    });

  const request: autocannon.Request = {
    method: 'POST',
    path: '/webhooks/telemetry',
    setupRequest: (req, context) => {
      const sent: Sent = { id: `msg_${run}_${ledger.sent}`, firstEvent: nextEvent };
      nextEvent += shape.eventsPerRequest;
      ledger.sent++;
      ledger.unanswered.set(sent.id, sent);
      (context as { sent?: Sent }).sent = sent;
      const body = JSON.stringify({ events: events(sent.firstEvent) });
      const at = new Date();
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          'webhook-id': sent.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': webhook.sign(sent.id, at, body),
        },
        body,
      };
    },
    onResponse: (status, body, context) => {
      const sent = (context as { sent?: Sent }).sent;
      if (sent) ledger.unanswered.delete(sent.id);
      if (status >= 200 && status < 300) {
        const result = JSON.parse(body) as { accepted: number; duplicates: number };
        ledger.answered2xx++;
        ledger.accepted += result.accepted;
        ledger.duplicates += result.duplicates;
      } else {
        ledger.answeredOther++;
        if (ledger.otherSamples.length < 3) ledger.otherSamples.push(`${status} ${body}`);
      }
    },
  };

  return {
    request,
    ledger,
    /** The events of a request that was never answered (each depends only on its number). */
    eventsOf: (sent: Sent) => events(sent.firstEvent),
  };
}
