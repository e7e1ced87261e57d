#!/usr/bin/env node
// The `concord` command. Short commands run a JavaScript bundle of src/cli (bin/cli-bundle.mjs), built
// on first use and after any source change, so no build step stands between a clone and a run and no
// TypeScript loader sits on the path of `concord plan --input`. `serve` runs for hours and keeps the
// TypeScript through tsx (a rebuild could otherwise remove chunks it has yet to load), as does every
// command when CONCORD_TSX=1 or when the bundle cannot be built.
const argv = process.argv.slice(2);
// A reader that stops early (`concord report gaps | head`) closes the pipe: stop quietly, as Unix tools do,
// instead of dying on the write with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
// Stack traces (CONCORD_DEBUG=1) name the TypeScript lines, through the bundle's source maps.
if (process.env.CONCORD_DEBUG) process.setSourceMapsEnabled(true);
let main;
if (argv[0] !== 'serve' && !process.env.CONCORD_TSX) {
  try {
    const { buildBundle, freshBundle } = await import('./cli-bundle.mjs');
    ({ main } = await import(freshBundle() ?? (await buildBundle())));
  } catch (error) {
    process.stderr.write(`concord: running through tsx, as the CLI bundle could not be built: ${error?.message ?? error}\n`);
  }
}
if (!main) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(argv);
