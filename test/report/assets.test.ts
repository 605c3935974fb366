import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadReportAssets,
  REPORT_ASSETS_DIR_ENV,
  ReportAssetsError,
  reportAssetFiles,
  reportAssetPaths,
} from '../../lambdas/report/assets.js';

const WOFF2_MAGIC = 'wOF2';
const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);

describe('report assets', () => {
  let bundleDir: string;

  beforeAll(async () => {
    // What the CDK stack does: copy the three files beside the bundle under fixed names.
    bundleDir = await mkdtemp(join(tmpdir(), 'flywheel-assets-'));
    const installed = reportAssetPaths({});
    await Promise.all(
      (Object.keys(reportAssetFiles) as (keyof typeof reportAssetFiles)[]).map((name) =>
        copyFile(installed[name], join(bundleDir, reportAssetFiles[name])),
      ),
    );
  });

  afterAll(() => rm(bundleDir, { recursive: true, force: true }));

  it('names the files a bundle must carry', () => {
    expect(reportAssetFiles).toEqual({
      wasm: 'resvg.wasm',
      regular: 'inter-400.woff2',
      bold: 'inter-700.woff2',
    });
  });

  it('finds the installed packages when nothing overrides them', async () => {
    const paths = reportAssetPaths({});
    expect(paths.wasm).toMatch(/@resvg[\\/]resvg-wasm[\\/]index_bg\.wasm$/);
    expect(paths.bold).toMatch(/inter-latin-700-normal\.woff2$/);
    const assets = await loadReportAssets(paths);
    expect(Buffer.from(assets.wasm.subarray(0, 4)).equals(WASM_MAGIC)).toBe(true);
    for (const font of assets.fonts) {
      expect(Buffer.from(font.subarray(0, 4)).toString('latin1')).toBe(WOFF2_MAGIC);
    }
  });

  it(`reads them from $${REPORT_ASSETS_DIR_ENV} when set`, async () => {
    const paths = reportAssetPaths({ [REPORT_ASSETS_DIR_ENV]: bundleDir });
    expect(paths).toEqual({
      wasm: join(bundleDir, 'resvg.wasm'),
      regular: join(bundleDir, 'inter-400.woff2'),
      bold: join(bundleDir, 'inter-700.woff2'),
    });
    const assets = await loadReportAssets(paths);
    expect(assets.fonts).toHaveLength(2);
  });

  it('fails loudly when a file is missing, rather than drawing charts without text', async () => {
    const paths = reportAssetPaths({ [REPORT_ASSETS_DIR_ENV]: join(bundleDir, 'nowhere') });
    await expect(loadReportAssets(paths)).rejects.toThrow(ReportAssetsError);
    await expect(loadReportAssets(paths)).rejects.toThrow(/cannot read chart asset .*resvg\.wasm/);
  });
});
