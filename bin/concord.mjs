#!/usr/bin/env node
// The `concord` command. Short commands run a JavaScript bundle of src/cli (bin/cli-bundle.mjs), built
// on first use and after any source change, so no build step stands between a clone and a run and no
// TypeScript loader sits on the path of `concord plan --input`. `serve` runs for hours and keeps the
// TypeScript through tsx (a rebuild could otherwise remove chunks it has yet to load), as does every
// command when CONCORD_TSX=1 or when the bundle cannot be built.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
// A reader that stops early (`concord report gaps | head`) closes the pipe: stop quietly, as Unix tools do,
// instead of dying on the write with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
// Stack traces (CONCORD_DEBUG=1) name the TypeScript lines, through the bundle's source maps.
if (process.env.CONCORD_DEBUG) process.setSourceMapsEnabled(true);

/**
 * `plan --input FILE [--output FILE]` and nothing else (either flag also as --flag=value): the two
 * paths, else null. Anything more (--help, --db, a flag twice, a value that looks like a flag) goes to
 * the whole CLI, whose parser words the mistakes.
 */
function planFileArguments(args) {
  if (args[0] !== 'plan') return null;
  const flags = {};
  for (let i = 1; i < args.length; i++) {
    const match = /^--(input|output)(?:=(.*))?$/s.exec(args[i]);
    if (match === null || Object.hasOwn(flags, match[1])) return null;
    const value = match[2] ?? args[++i];
    if (!value || (match[2] === undefined && value.startsWith('-'))) return null;
    flags[match[1]] = value;
  }
  return flags.input === undefined ? null : flags;
}

let run;
const planFile = process.env.CONCORD_TSX ? null : planFileArguments(argv);
if (planFile) {
  // The fast path: one CommonJS file with the engine, no command framework (bin/cli-bundle.mjs).
  try {
    const { buildBundle, freshBundle } = await import('./cli-bundle.mjs');
    const { runPlanFile } = createRequire(import.meta.url)(fileURLToPath(freshBundle('planFile') ?? (await buildBundle('planFile'))));
    run = () => runPlanFile(planFile.input, planFile.output);
  } catch (error) {
    process.stderr.write(`concord: running the whole CLI, as the plan bundle could not be built: ${error?.message ?? error}\n`);
  }
}
if (!run && argv[0] !== 'serve' && !process.env.CONCORD_TSX) {
  try {
    const { buildBundle, freshBundle } = await import('./cli-bundle.mjs');
    const { main } = await import(freshBundle() ?? (await buildBundle()));
    run = () => main(argv);
  } catch (error) {
    process.stderr.write(`concord: running through tsx, as the CLI bundle could not be built: ${error?.message ?? error}\n`);
  }
}
if (!run) {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  run = () => main(argv);
}
process.exitCode = await run();
