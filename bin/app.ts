/**
 * The CDK app (`cdk.json` runs it with tsx). Context: `timezone` (IANA, default UTC),
 * `reportSender` (default reports@example.com), `reportSenderIdentity` (default the sender's
 * domain). cdk-nag's AWS Solutions checks run at synth; an unacknowledged finding fails it.
 * Tests build the same app through `lib/app.ts` (`createApp`, `buildStack`), which this file only
 * runs: importing it would synthesize.
 */
import { createApp } from '../lib/app.js';

createApp().app.synth();
