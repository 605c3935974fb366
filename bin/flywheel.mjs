#!/usr/bin/env node
// The `flywheel` command (SPEC §11), the package's bin: `npx --no -- flywheel …` in a checkout.
// It runs the TypeScript sources through tsx's loader (a devDependency: the command is a tool of
// the checkout, after `npm ci`), so nothing is built or committed.
let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch {
  process.stderr.write('flywheel: tsx is missing; run `npm ci` in the checkout first.\n');
  process.exit(2);
}
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
