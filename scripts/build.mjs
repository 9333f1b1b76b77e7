// Bundles the extension client, the language server and the CLI with esbuild.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Whitespace and syntax only: identifiers keep their names, so stack traces and profiles stay readable
  // without keepNames, whose __name() wrapper ran again at every creation of a nested function (3 % of an
  // edit's re-check). Loading the unrenamed bundle measured no slower (12 alternating runs).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  define: { __HACONF_VERSION__: JSON.stringify(pkg.version) },
};

// `haconf lsp` loads the language server from its own bundle, so `haconf check` in a pipeline does not
// parse and compile the LSP library (about a quarter of the code) at every start.
const lspApart = {
  name: 'lsp-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/lsp\/stdio$/ }, () => ({ path: './lsp.js', external: true }));
  },
};

// The keyword data (server/data/*.json, ~250 KB) goes into the bundles as one JSON string each, parsed
// on first use: as object literals they were compiled with the rest of the bundle at every start, and
// JSON.parse reads the same data several times faster than the JavaScript parser.
const jsonAsText = {
  name: 'json-as-text',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]data[\\/][^\\/]+\.json$/ }, (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};
// esbuild gives every `import * as fs from 'node:fs'` its own copy of the module's properties (__toESM:
// one getter per property, ~100 for fs), 80-odd copies at every start. Each built-in module is instead
// imported once, by a one-line module that re-exports it, and the importers share that module's namespace.
const builtinsOnce = {
  name: 'builtins-once',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      if (args.namespace === 'builtin-once' || args.kind !== 'import-statement' || args.importer.includes('node_modules')) return { path: args.path, external: true };
      return { path: args.path, namespace: 'builtin-once' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-once' }, (args) => ({ contents: `export * from ${JSON.stringify(args.path)};`, loader: 'js' }));
  },
};
common.plugins = [jsonAsText, builtinsOnce];

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [jsonAsText, builtinsOnce, lspApart] }),
  build({ ...common, entryPoints: ['server/src/lsp/stdio.ts'], outfile: 'dist/lsp.js' }),
]);

// The CLI's code cache (see bin/haconf.js): one check of the examples compiles what a check needs, and
// the compiled code is saved beside the bundle for this Node.js. Its exit code is the check's verdict on
// the examples, not the build's; only a missing cache fails the build.
{
  const { spawnSync } = await import('node:child_process');
  const { existsSync, rmSync } = await import('node:fs');
  rmSync('dist/cli.codecache', { force: true });
  const run = spawnSync(process.execPath, ['bin/haconf.js', 'check', '--format', 'json', 'examples/as-written', 'examples/corrected'], {
    env: { ...process.env, HACONF_WRITE_CODE_CACHE: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (!existsSync('dist/cli.codecache')) {
    console.error(`build: the CLI code cache was not written (exit ${run.status}): ${run.stderr}`);
    process.exit(1);
  }
}
