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
common.plugins = [jsonAsText];

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [jsonAsText, lspApart] }),
  build({ ...common, entryPoints: ['server/src/lsp/stdio.ts'], outfile: 'dist/lsp.js' }),
]);
