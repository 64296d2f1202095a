/**
 * What `npm start` and `npm run start:prod` run: the bundled service (dist/bundle/main.mjs,
 * scripts/bundle-service.mjs) with Node's on-disk compile cache on (Node 22.1 and later; a
 * no-op on Node 20). A start after the first one of the same build then skips compiling the
 * bundle's JavaScript (README, "Benchmark"). The cache lives in NODE_COMPILE_CACHE if set,
 * else in node_modules/.cache/compile-cache; if it cannot be written the service starts as
 * without it.
 */
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const cacheDirectory =
  process.env.NODE_COMPILE_CACHE ??
  fileURLToPath(new URL('../node_modules/.cache/compile-cache', import.meta.url));
module.enableCompileCache?.(cacheDirectory);
await import('../dist/bundle/main.mjs');
// The bundle is compiled by now: keep its cache even if this process is killed later.
module.flushCompileCache?.();
