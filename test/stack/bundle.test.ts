import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { reportAssetFiles } from '../../lambdas/report/assets.js';
import { functions } from '../../lambdas/system.js';
import { createRequireBanner } from '../../lib/functions.js';
import { synthesize } from './synth.js';

let dispose = () => {};
afterAll(() => dispose());

it('bundles every declared function as an ESM index.mjs that exports handler', () => {
  // The whole of `cdk synth`: bundling, cdk-nag and CloudFormation's template validation, any of
  // which fails the synth. Inside the test, so the timeout below covers esbuild's work.
  const synthesized = synthesize({ bundle: true, nag: true, cfnValidation: true });
  dispose = synthesized.dispose;
  const lambdas = Object.values(synthesized.template.findResources('AWS::Lambda::Function'));
  expect(lambdas).toHaveLength(Object.keys(functions).length);
  for (const lambda of lambdas) {
    const name = lambda.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME;
    // The staged asset directory is named after the hash that is also the S3 key.
    const hash = String(lambda.Properties.Code.S3Key).replace(/\.zip$/, '');
    const asset = join(synthesized.outdir, `asset.${hash}`);
    const code = readFileSync(join(asset, 'index.mjs'), 'utf8');
    // The banner comes first: the AWS SDK's CommonJS requires run at import time.
    expect(code.startsWith(createRequireBanner), name).toBe(true);
    expect(code, name).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b/);
    expect(code, name).not.toMatch(/\bmodule\.exports\b\s*=\s*__toCommonJS/);
    expect(statSync(join(asset, 'index.mjs.map')).size, name).toBeGreaterThan(0);
    // Chart rendering finds resvg's wasm and the fonts beside the bundle, or draws no text.
    if (functions[name as keyof typeof functions].rendersCharts) {
      for (const file of Object.values(reportAssetFiles)) {
        expect(statSync(join(asset, file)).size, `${name}: ${file}`).toBeGreaterThan(10_000);
      }
    }
  }
}, 120_000);
