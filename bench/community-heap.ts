/**
 * One run's community step (`communityOfRun`) in a process of its own, for `bench/members.ts` to
 * find the smallest heap it completes in: `node --max-old-space-size=MB --import tsx
 * bench/community-heap.ts <first|index>` with the table in `FLYWHEEL_TABLE` and DynamoDB Local's
 * endpoint in `AWS_ENDPOINT_URL_DYNAMODB`. `first` removes the member index's meta first, so the
 * run resolves every activity (a first run, or a zone change); `index` runs from the index.
 * Prints the heap the process held before the step (MB) and exits 0 when the step completed.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { loadAffiliationSources, staffAccountsOf } from '../lambdas/compute/affiliation-sources.js';
import { communityOfRun } from '../lambdas/compute/run-community.js';
import { db, tableName } from '../lambdas/store/client.js';
import { getConfig } from '../lambdas/store/config-store.js';
import { keys } from '../lambdas/store/keys.js';
import { listMonths } from '../lambdas/store/months-store.js';

const mode = process.argv[2];
const config = await getConfig();
const sources = await loadAffiliationSources(config);
const staffAccounts = staffAccountsOf(config, sources);
const states = await listMonths();
if (mode === 'first') {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.memberIndexMeta() }));
}
(globalThis as { gc?: () => void }).gc?.();
console.log(`baseline ${Math.round(process.memoryUsage().heapUsed / 1e6)}`);
await communityOfRun({ sources, staffAccounts, states });
