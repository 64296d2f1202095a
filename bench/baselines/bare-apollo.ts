/**
 * The hand-written baseline: a bare @apollo/server with `pg` and DataLoader, serving just the
 * nested-list shape the benchmark sends (needs → buyer, bids → bidder → skills → skill) over the
 * same tables. No authorisation, validation, rate limits or logging: what is left is the cost of
 * GraphQL, SQL and JSON, the floor the service is compared with.
 *
 *   DATABASE_URL=… PORT=… node dist/bench/baselines/bare-apollo.js
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import DataLoader from 'dataloader';
import pg from 'pg';

const typeDefs = /* GraphQL */ `
  type Query {
    needs(first: Int = 20, filter: NeedFilter): NeedConnection!
  }
  input NeedFilter {
    buyerTeamId: ID
  }
  type NeedConnection {
    nodes: [Need!]!
  }
  type Need {
    id: ID!
    title: String!
    status: String!
    hoursPerWeek: Int!
    ratePerHour: Int!
    buyer: NeedBuyer!
    bids(first: Int = 20): BidConnection!
  }
  union NeedBuyer = Team | Initiative
  type Team {
    id: ID!
    name: String!
  }
  type Initiative {
    id: ID!
    title: String!
  }
  type BidConnection {
    nodes: [Bid!]!
  }
  type Bid {
    id: ID!
    hoursPerWeek: Int!
    ratePerHour: Int!
    status: String!
    bidder: Employee!
  }
  type Employee {
    id: ID!
    name: String!
    skills: [EmployeeSkill!]!
  }
  type EmployeeSkill {
    level: Int!
    skill: Skill!
  }
  type Skill {
    name: String!
  }
`;

interface NeedRow {
  id: string;
  title: string;
  status: string;
  hoursPerWeek: number;
  ratePerHour: number;
  buyerKind: 'TEAM' | 'INITIATIVE';
  buyerId: string;
}
interface BidRow {
  id: string;
  needId: string;
  bidderId: string;
  hoursPerWeek: number;
  ratePerHour: number;
  status: string;
}
interface SkillRow {
  employeeId: string;
  level: number;
  skill: { name: string };
}

type Query = <T>(sql: string, values: unknown[]) => Promise<T[]>;

interface Context {
  /** Shared, not a number: Apollo hands resolvers a shallow copy of the context. */
  statements: { count: number };
  query: Query;
  teams: DataLoader<string, { id: string; name: string } | undefined>;
  initiatives: DataLoader<string, { id: string; title: string } | undefined>;
  bids: DataLoader<{ needId: string; first: number }, BidRow[], string>;
  employees: DataLoader<string, { id: string; name: string } | undefined>;
  skills: DataLoader<string, SkillRow[]>;
}

const byId = <T extends { id: string }>(keys: readonly string[], rows: T[]) => {
  const found = new Map(rows.map((row) => [row.id, row]));
  return keys.map((key) => found.get(key));
};
const grouped = <T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string) => {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
};

function createContext(pool: pg.Pool): Context {
  const context = { statements: { count: 0 } } as Context;
  context.query = async <T>(sql: string, values: unknown[]) => {
    context.statements.count++;
    return (await pool.query(sql, values)).rows as T[];
  };
  const q = context.query;
  context.teams = new DataLoader(async (ids) =>
    byId(ids, await q(`SELECT id, name FROM team WHERE id = ANY($1)`, [ids])),
  );
  context.initiatives = new DataLoader(async (ids) =>
    byId(ids, await q(`SELECT id, title FROM initiative WHERE id = ANY($1)`, [ids])),
  );
  context.bids = new DataLoader(
    async (pages) => {
      const needIds = pages.map((page) => page.needId);
      const rows = await q<BidRow>(
        `SELECT id, "needId", "bidderId", "hoursPerWeek", "ratePerHour", status FROM (
           SELECT b.id, b.need_id AS "needId", b.bidder_id AS "bidderId",
                  b.hours_per_week AS "hoursPerWeek", b.rate_per_hour AS "ratePerHour", b.status,
                  row_number() OVER (PARTITION BY b.need_id ORDER BY b.seq) AS position
             FROM bid b WHERE b.need_id = ANY($1)
         ) numbered WHERE position <= $2 ORDER BY position`,
        [needIds, pages[0].first],
      );
      return grouped(needIds, rows, (row) => row.needId);
    },
    { cacheKeyFn: (page) => `${page.needId}:${page.first}` },
  );
  context.employees = new DataLoader(async (ids) =>
    byId(ids, await q(`SELECT id, name FROM employee WHERE id = ANY($1)`, [ids])),
  );
  context.skills = new DataLoader(async (employeeIds) => {
    const rows = await q<{ employeeId: string; level: number; name: string }>(
      `SELECT s.employee_id AS "employeeId", s.level, k.name
         FROM employee_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.employee_id = ANY($1) ORDER BY s.level DESC, k.normalized_name`,
      [employeeIds],
    );
    return grouped(
      employeeIds,
      rows.map((row) => ({
        employeeId: row.employeeId,
        level: row.level,
        skill: { name: row.name },
      })),
      (row) => row.employeeId,
    );
  });
  return context;
}

const resolvers = {
  Query: {
    needs: async (
      _: unknown,
      args: { first: number; filter?: { buyerTeamId?: string } },
      context: Context,
    ) => {
      const team = args.filter?.buyerTeamId;
      const nodes = await context.query<NeedRow>(
        `SELECT id, title, status, hours_per_week AS "hoursPerWeek", rate_per_hour AS "ratePerHour",
                buyer_kind AS "buyerKind", buyer_id AS "buyerId"
           FROM need n WHERE ($1::uuid IS NULL OR (buyer_kind = 'TEAM' AND buyer_id = $1))
          ORDER BY seq DESC LIMIT $2`,
        [team ?? null, Math.min(Math.max(args.first, 0), 100)],
      );
      return { nodes };
    },
  },
  Need: {
    buyer: (need: NeedRow, _: unknown, context: Context) =>
      need.buyerKind === 'TEAM'
        ? context.teams.load(need.buyerId)
        : context.initiatives.load(need.buyerId),
    bids: async (need: NeedRow, args: { first: number }, context: Context) => ({
      nodes: await context.bids.load({ needId: need.id, first: args.first }),
    }),
  },
  NeedBuyer: {
    __resolveType: (buyer: { name?: string }) => (buyer.name === undefined ? 'Initiative' : 'Team'),
  },
  Bid: {
    bidder: (bid: BidRow, _: unknown, context: Context) => context.employees.load(bid.bidderId),
  },
  Employee: {
    skills: (employee: { id: string }, _: unknown, context: Context) =>
      context.skills.load(employee.id),
  },
};

/** Says how many statements each request sent, as the service does (x-sql-statements). */
const statementHeader: ApolloServerPlugin<Context> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ contextValue, response }) => {
      response.http.headers.set('x-sql-statements', String(contextValue.statements.count));
    },
  }),
};

async function main(): Promise<void> {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
  });
  const server = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    // As in the service: no per-field cache-control hints, which would wrap every resolver.
    plugins: [ApolloServerPluginCacheControlDisabled(), statementHeader],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
    context: async () => createContext(pool),
  });
  console.log(`bare Apollo baseline on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
