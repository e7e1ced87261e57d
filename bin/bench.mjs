#!/usr/bin/env node
// `npm run bench -- NAME [args]`: runs bench/NAME/run.ts's exported run(args) through tsx.
import { register } from 'tsx/esm/api';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

register();
const [name, ...rest] = process.argv.slice(2);
const benchDir = fileURLToPath(new URL('../bench/', import.meta.url));
const available = readdirSync(benchDir).filter((d) => existsSync(`${benchDir}${d}/run.ts`));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(2);
}
const { run } = await import(`../bench/${name}/run.ts`);
process.exitCode = (await run(rest)) ?? 0;
