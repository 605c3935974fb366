/**
 * What someone without a webhook's secret can send (SPEC §2): a real delivery's parts altered —
 * a header dropped, a signature byte changed, another key, a replay outside the 300 s window.
 */
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { hostileValue } from './fuzz.js';

export interface Signed {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
}

let deliveries = 0;

/** Standard Webhooks headers for `body`, as a sender's library makes them. */
export function sign(secret: string, body: string, at = new Date(), id?: string): Signed {
  const msgId = id ?? `msg_fuzz_${++deliveries}_${Date.now()}`;
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { id: msgId, timestamp, signature: new Webhook(secret).sign(msgId, at, body) };
}

export interface Keys {
  /** The webhook's own secret. */
  readonly own: string;
  /** The other webhook's secret: valid somewhere, but not here. */
  readonly other: string;
}

export interface Tampered {
  readonly what: string;
  readonly body: string;
  readonly headers: Partial<Signed>;
}

type Tamper = (keys: Keys, body: string) => Tampered;

const strangerSecret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const skewed = (seconds: number) => new Date(Date.now() + seconds * 1000);

/** One base64 character of the MAC changed: the signature of a nearby message. */
function changeChar(signature: string, at: number): string {
  const [version, mac = ''] = signature.split(',');
  const i = at % mac.length;
  return `${version},${mac.slice(0, i)}${mac[i] === 'A' ? 'B' : 'A'}${mac.slice(i + 1)}`;
}

/** Header values can only carry Latin-1 without controls. */
const asHeader = (value: unknown) =>
  (typeof value === 'string' ? value : JSON.stringify(value))
    .replace(/[^\x20-\x7e\xa0-\xff]/g, '')
    .slice(0, 500);

const tamper =
  (what: string, fn: (keys: Keys, body: string) => Omit<Tampered, 'what'>): Tamper =>
  (keys, body) => ({ what, ...fn(keys, body) });

export const tampering: fc.Arbitrary<Tamper> = fc.oneof(
  fc.constantFrom('id', 'timestamp', 'signature' as const).map((header) =>
    tamper(`without webhook-${header}`, ({ own }, body) => {
      const { [header as keyof Signed]: _gone, ...headers } = sign(own, body);
      return { body, headers };
    }),
  ),
  fc.nat().map((at) =>
    tamper(`signature char ${at} changed`, ({ own }, body) => {
      const signed = sign(own, body);
      return { body, headers: { ...signed, signature: changeChar(signed.signature, at) } };
    }),
  ),
  hostileValue.map((value) =>
    tamper('signature replaced', ({ own }, body) => ({
      body,
      headers: { ...sign(own, body), signature: asHeader(value) || 'v1,' },
    })),
  ),
  fc.constant(
    tamper('signed with a stranger secret', (_, body) => ({
      body,
      headers: sign(strangerSecret, body),
    })),
  ),
  fc.constant(
    tamper("signed with the other webhook's secret", ({ other }, body) => ({
      body,
      headers: sign(other, body),
    })),
  ),
  fc.constant(
    tamper('body changed after signing', ({ own }, body) => ({
      body: body.replace('}', ',"x":1}'),
      headers: sign(own, body),
    })),
  ),
  fc.constant(
    tamper('id changed after signing', ({ own }, body) => ({
      body,
      headers: { ...sign(own, body), id: 'msg_other' },
    })),
  ),
  fc.integer({ min: 1, max: 3600 }).map((delta) =>
    tamper(`timestamp moved ${delta} s after signing`, ({ own }, body) => {
      const signed = sign(own, body);
      return { body, headers: { ...signed, timestamp: String(Number(signed.timestamp) + delta) } };
    }),
  ),
  // Replays and clock attacks: correctly signed, but outside the 300 s window.
  fc
    .tuple(fc.integer({ min: 310, max: 10_000_000 }), fc.constantFrom(-1, 1))
    .map(([seconds, direction]) =>
      tamper(`signed ${seconds * direction} s from now`, ({ own }, body) => ({
        body,
        headers: sign(own, body, skewed(seconds * direction)),
      })),
    ),
  fc.constantFrom('', 'abc', '-1', '1e10', '9'.repeat(30)).map((timestamp) =>
    tamper(`timestamp ${JSON.stringify(timestamp)}`, ({ own }, body) => ({
      body,
      headers: { ...sign(own, body), timestamp },
    })),
  ),
);
