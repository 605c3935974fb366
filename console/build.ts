/**
 * Builds the console (SPEC §12) with esbuild: `console/src/main.tsx` and its styles into one script
 * and one stylesheet with content-hashed names, and an `index.html` that names them. Run by
 * `npm start` (local mode), by `cdk synth` (beside the console function's bundle) and by the
 * browser tests; never committed. `tsx console/build.ts [outDir]` builds into `console/dist/`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const sourceDir = fileURLToPath(new URL('./src/', import.meta.url));

/** SPEC §12: all the JavaScript a page loads, gzipped, stays within 250 KiB. */
export const scriptBudgetBytes = 250 * 1024;

export interface ConsoleBuild {
  readonly dir: string;
  /** Every file written, by name. */
  readonly files: readonly string[];
  /** All the JavaScript the page loads: raw and gzipped (level 9) bytes. */
  readonly scriptBytes: number;
  readonly scriptGzipBytes: number;
}

/** Builds the console into `outDir` (emptied first, so no stale hashed file is left to serve). */
export async function buildConsole(outDir: string): Promise<ConsoleBuild> {
  const dir = resolve(outDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(sourceDir, 'main.tsx') },
    outdir: dir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
  const script = outputs.find((name) => name.endsWith('.js'));
  const style = outputs.find((name) => name.endsWith('.css'));
  if (!script || !style) throw new Error(`The console build wrote ${outputs.join(', ')}`);
  writeFileSync(join(dir, 'index.html'), indexHtml(script, style));
  const scripts = outputs.filter((name) => name.endsWith('.js'));
  const bytes = scripts.map((name) => readFileSync(join(dir, name)));
  return {
    dir,
    files: [...outputs, 'index.html'],
    scriptBytes: bytes.reduce((sum, b) => sum + b.length, 0),
    scriptGzipBytes: bytes.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0),
  };
}

/** The page: no inline script or style, so the strict Content-Security-Policy holds. */
const indexHtml = (script: string, style: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flywheel console</title>
<link rel="stylesheet" href="/console/${style}">
<script type="module" src="/console/${script}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The Flywheel console needs JavaScript.</noscript>
</body>
</html>
`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? fileURLToPath(new URL('./dist/', import.meta.url));
  buildConsole(out).then(
    (built) =>
      console.log(
        `Console built in ${built.dir}: ${built.files.join(', ')}; JavaScript ` +
          `${(built.scriptGzipBytes / 1024).toFixed(1)} KiB gzipped (budget 250 KiB)`,
      ),
    (error: Error) => {
      console.error(`The console did not build: ${error.message}`);
      process.exit(1);
    },
  );
}
