// The CLI as plain JavaScript: src/cli bundled by esbuild (our own code only; every package stays an
// import from node_modules), built on first use and rebuilt when a source file changes, so a clone
// needs no build step and a run needs no TypeScript loader. The build lives in a git-ignored cache.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, 'node_modules/.cache/concord-cli');
/**
 * The bundles: the whole CLI (ESM, a chunk per command, loaded as each command is run), and the one
 * command `concord plan --input FILE` as one CommonJS file, for bin/concord.mjs's fast path: it loads
 * no command framework and checks a dozen source files for changes instead of every one (~70 ms sooner
 * to start than through the whole CLI, measured on this project's machine).
 */
const BUNDLES = {
  cli: { entry: 'src/cli/main.ts', manifest: 'current.json', prefix: 'build-', file: 'main.js' },
  planFile: { entry: 'src/cli/plan-file.ts', manifest: 'plan-file.json', prefix: 'plan-file-', file: 'plan-file.cjs' },
};
/** Files that change the build without being bundled themselves. */
const SETTINGS = ['bin/cli-bundle.mjs', 'package.json', 'tsconfig.json'];
/** Builds other than the current one are removed after this long (a command started on one still loads its lazy chunks). */
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/** [mtimeMs, size] of a file, or null when it is gone. */
function stamp(file) {
  try {
    const s = statSync(join(ROOT, file));
    return [s.mtimeMs, s.size];
  } catch {
    return null;
  }
}

/** The URL of the current build of bundle `name` (BUNDLES) when every file it was built from is unchanged, else null. One stat per source file. */
export function freshBundle(name = 'cli') {
  const bundle = BUNDLES[name];
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(CACHE, bundle.manifest), 'utf8'));
  } catch {
    return null;
  }
  if (manifest.root !== ROOT) return null;
  for (const [file, mtimeMs, size] of manifest.inputs) {
    const now = stamp(file);
    if (now === null || now[0] !== mtimeMs || now[1] !== size) return null;
  }
  const entry = join(CACHE, manifest.dir, bundle.file);
  return existsSync(entry) ? pathToFileURL(entry).href : null;
}

/**
 * `import.meta.url` and `import.meta.dirname` of a source file, written into its code, so that files
 * found next to the source (web/dist, data/) are found from the bundle too.
 */
const sourceLocation = {
  name: 'source-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes('import.meta')) return undefined;
      return {
        loader: 'ts',
        contents: code
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path)),
      };
    });
  },
};

/** Builds bundle `name` (BUNDLES) into a new directory and makes it current; returns its entry's URL. */
export async function buildBundle(name = 'cli') {
  const bundle = BUNDLES[name];
  const { build } = await import('esbuild');
  const started = Date.now();
  const dir = `${bundle.prefix}${started.toString(36)}-${process.pid}`;
  const outdir = join(CACHE, dir);
  mkdirSync(CACHE, { recursive: true });
  const shape =
    name === 'cli'
      ? { entryPoints: { main: bundle.entry }, outdir, splitting: true, format: 'esm' }
      : // One file; CommonJS, so that a package imported lazily (zod, to word a refused file) stays a require() run only then.
        { entryPoints: [bundle.entry], outfile: join(outdir, bundle.file), format: 'cjs' };
  const result = await build({
    absWorkingDir: ROOT,
    ...shape,
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceLocation],
  });
  const files = [...Object.keys(result.metafile.inputs).map((f) => relative(ROOT, join(ROOT, f))), ...SETTINGS];
  // A file written during the build may not be in it: record it as changed, so the next run rebuilds.
  const inputs = files.map((file) => {
    const s = stamp(file) ?? [-1, -1];
    return [file, s[0] >= started ? -1 : s[0], s[1]];
  });
  const manifest = join(CACHE, bundle.manifest);
  const temp = `${manifest}.${process.pid}`;
  writeFileSync(temp, JSON.stringify({ root: ROOT, dir, builtAt: new Date(started).toISOString(), inputs }));
  renameSync(temp, manifest);
  removeOldBuilds(bundle.prefix, dir);
  return pathToFileURL(join(outdir, bundle.file)).href;
}

function removeOldBuilds(prefix, keep) {
  for (const name of readdirSync(CACHE)) {
    if (!name.startsWith(prefix) || name === keep) continue;
    const path = join(CACHE, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}
