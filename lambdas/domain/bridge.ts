/**
 * The node bridge (SPEC §10): how the production nodes of the key accounts got from M-1 to M —
 * what the new and reactivated brought, what the retained grew or shrank, what the churned took.
 */
import type { AccountStatus } from './ka.js';
import type { Month } from './month.js';
import { nodeQuickRatio } from './quick-ratio.js';

/** One month's bridge, in production nodes (SPEC §10 `GET /metrics/nodes/bridge`). */
export interface NodeBridge {
  readonly month: Month;
  /** Σ nodes(M-1) over the KAs of M-1. */
  readonly start: number;
  /** Σ nodes(M) over the new KAs. */
  readonly new: number;
  /** Σ nodes(M) over the reactivated KAs. */
  readonly reactivation: number;
  /** Σ max(0, nodes(M) − nodes(M-1)) over the retained KAs. */
  readonly expansion: number;
  /** Σ max(0, nodes(M-1) − nodes(M)) over the retained KAs. */
  readonly contraction: number;
  /** Σ nodes(M-1) over the churned. */
  readonly churn: number;
  /** Σ nodes(M) over the KAs of M. */
  readonly end: number;
  /** (new + reactivation + expansion) / (contraction + churn); `null` when that is 0. */
  readonly nodeQuickRatio: number | null;
}

/** What the bridge reads of an account-list row: its status and nodes in M and M-1. */
export interface BridgeAccount {
  readonly status: AccountStatus;
  readonly productionNodes: number;
  readonly previousNodes: number;
}

/**
 * The bridge of month M from M's account list (SPEC §3, §10). The KAs of M-1 are exactly M's
 * retained and churned accounts, so the list alone holds every term, and
 * `start + new + reactivation + expansion − contraction − churn = end` holds by construction.
 */
export function nodeBridge(month: Month, accounts: Iterable<BridgeAccount>): NodeBridge {
  const sums = { start: 0, new: 0, reactivation: 0, expansion: 0, contraction: 0, churn: 0 };
  let end = 0;
  for (const { status, productionNodes: now, previousNodes: before } of accounts) {
    if (status === 'new') sums.new += now;
    else if (status === 'reactivated') sums.reactivation += now;
    else if (status === 'retained') {
      sums.start += before;
      sums.expansion += Math.max(0, now - before);
      sums.contraction += Math.max(0, before - now);
    } else if (status === 'churned') {
      sums.start += before;
      sums.churn += before;
    }
    if (status === 'new' || status === 'reactivated' || status === 'retained') end += now;
  }
  return { month, ...sums, end, nodeQuickRatio: nodeQuickRatio(sums) };
}
