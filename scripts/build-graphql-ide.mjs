// Bundles the GraphQL IDE (src/modules/graphql-ide/page: React, GraphiQL, graphql-ws) into
// dist/graphql-ide/, served by the service at /graphiql. Run by `npm run build`.
import { build } from 'esbuild';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const page = path.join(root, 'src/modules/graphql-ide/page');
const out = path.join(root, 'dist/graphql-ide');

const started = Date.now();
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(page, 'ide.js')],
  outdir: out,
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['chrome111', 'firefox111', 'safari16.4'],
  define: { 'process.env.NODE_ENV': '"production"' },
  // Licences of the bundled packages, at the end of the bundle.
  legalComments: 'eof',
  logLevel: 'warning',
});
await copyFile(path.join(page, 'index.html'), path.join(out, 'index.html'));

const size = async (name) => ((await stat(path.join(out, name))).size / 1024).toFixed(0);
console.log(
  `GraphQL IDE: dist/graphql-ide/ide.js ${await size('ide.js')} KiB, ide.css ${await size('ide.css')} KiB (${Date.now() - started} ms)`,
);
