import type autocannon from 'autocannon';
import type { Ledger, LoadShape } from './telemetry-requests.js';

/** What the table holds after the run, against what was sent. */
export interface Reconciliation {
  /** Requests written but not answered when autocannon stopped, and how they ended. */
  readonly inFlightAtStop: number;
  readonly inFlightStored: number;
  readonly inFlightPartial: number;
  /** Telemetry facts in the table: one per distinct eventId. */
  readonly stored: number;
}

export interface Figures {
  readonly seconds: number;
  readonly connections: number;
  readonly shape: LoadShape;
  readonly result: autocannon.Result;
  readonly ledger: Ledger;
  readonly reconciliation: Reconciliation;
}

const n = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => `${value.toLocaleString('en', { maximumFractionDigits: 1 })} ms`;

/** Prints the figures and the verdict as a table; the process exit code (0 only when all hold). */
export function printSummary(figures: Figures): number {
  const { result, ledger, reconciliation: r, shape } = figures;
  const per = shape.eventsPerRequest;
  const elapsed = result.duration;
  const expectedStored = ledger.accepted + r.inFlightStored * per;
  const checks: [string, boolean][] = [
    ['no connection errors or timeouts', result.errors === 0 && result.timeouts === 0],
    ['every answer 2xx', result.non2xx === 0 && ledger.answeredOther === 0],
    ['every event of a 2xx answer accepted once', ledger.accepted === ledger.answered2xx * per],
    ['no event reported a duplicate', ledger.duplicates === 0],
    ['in-flight requests stored whole or not at all', r.inFlightPartial === 0],
    ['stored facts = accepted + in flight at stop', r.stored === expectedStored],
    ['something was sent', ledger.answered2xx > 0],
  ];
  const rows: [string, string][] = [
    ['Duration', `${elapsed} s, ${figures.connections} connections, ${per} events/request`],
    ['Requests sent', n(ledger.sent)],
    ['Answered 2xx', n(ledger.answered2xx)],
    ['Non-2xx answers', n(result.non2xx)],
    ['Errors (timeouts)', `${n(result.errors)} (${n(result.timeouts)})`],
    ['Throughput, requests', `${(ledger.answered2xx / elapsed).toFixed(1)} /s`],
    ['Throughput, events', `${n((ledger.answered2xx * per) / elapsed)} /s`],
    ['Latency p50', ms(result.latency.p50)],
    ['Latency p90', ms(result.latency.p90)],
    ['Latency p99', ms(result.latency.p99)],
    ['Latency max', ms(result.latency.max)],
    ['Events sent', n(ledger.sent * per)],
    ['Events accepted (2xx)', n(ledger.accepted)],
    ['In flight at stop', `${r.inFlightAtStop} requests, ${r.inFlightStored} stored whole`],
    ['Facts stored', `${n(r.stored)} (expected ${n(expectedStored)})`],
    ...checks.map(([name, ok]): [string, string] => [name, ok ? 'ok' : 'FAILED']),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const line = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
  console.log(`\nFlywheel load: POST /webhooks/telemetry\n${line}`);
  for (const [name, value] of rows) {
    console.log(`| ${name.padEnd(width)} | ${value.padEnd(valueWidth)} |`);
  }
  console.log(line);
  for (const sample of ledger.otherSamples) console.log(`  a non-2xx answer: ${sample}`);
  const passed = checks.every(([, ok]) => ok);
  console.log(passed ? 'PASS' : 'FAIL');
  return passed ? 0 : 1;
}
