/**
 * The generated alternative: PostGraphile v5 (amber preset) over the same tables, served by
 * grafserv on node:http. A need's buyer is polymorphic (a team or an initiative) and has no
 * foreign key; a smart tag declares the team side so that the same query shape can be asked.
 * Production mode: no GraphiQL, no explain, no watch.
 *
 *   DATABASE_URL=… PORT=… node dist/bench/baselines/postgraphile.js
 */
import './node20.js';
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';
import { countStatements } from './statement-counter.js';

const BuyerTeam = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      need: { tags: { foreignKey: '(buyer_id) references team (id)|@fieldName buyerTeam' } },
    },
  },
});

async function main(): Promise<void> {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
  });
  const statements = countStatements(pool);
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    plugins: [BuyerTeam],
    pgServices: [makePgService({ pool, schemas: ['public'] })],
    grafserv: { graphiql: false, watch: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  // createHandler rather than addTo: no WebSockets here, and /statements must be answered first.
  const handler = serv.createHandler();
  const server = createServer((req, res) => {
    // The benchmark reads how many statements one request sent, as x-sql-statements does.
    if (req.url === '/statements') {
      res.end(String(statements.count));
      return;
    }
    handler(req, res);
  });
  await serv.ready();
  server.listen(Number(process.env.PORT), '127.0.0.1', () =>
    console.log(`PostGraphile on http://127.0.0.1:${process.env.PORT}/graphql`),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
