import { ApolloServer } from '@apollo/server';
import { conflict } from '../../src/common/errors/domain-error.js';
import type { GraphQLContext } from '../../src/common/graphql/graphql-context.js';
import { RequestLoaders } from '../../src/common/graphql/request-loaders.js';
import { unexpectedErrorLog } from '../../src/common/graphql/unexpected-error-log.plugin.js';

describe(unexpectedErrorLog.name, () => {
  const reported: [unknown, unknown][] = [];
  const server = new ApolloServer<GraphQLContext>({
    typeDefs: `type Query { broken: Int refused: Int fine: Int }`,
    resolvers: {
      Query: {
        broken: () => {
          throw new Error('the disk is on fire');
        },
        refused: () => {
          throw conflict('Taken');
        },
        fine: () => 1,
      },
    },
    plugins: [unexpectedErrorLog((error, requestId) => reported.push([error, requestId]))],
  });
  const contextValue = {
    req: { id: 'request-7' },
    loaders: new RequestLoaders(),
  } as unknown as GraphQLContext;

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => (reported.length = 0));

  it('reports an unexpected error once, with the id of the request it broke', async () => {
    await server.executeOperation({ query: '{ broken fine }' }, { contextValue });
    expect(reported).toHaveLength(1);
    expect((reported[0][0] as Error).message).toBe('the disk is on fire');
    expect(reported[0][1]).toBe('request-7');
  });

  it('leaves errors the client is told about (domain errors, bad queries) out of the log', async () => {
    await server.executeOperation({ query: '{ refused }' }, { contextValue });
    await server.executeOperation({ query: '{ nothing }' }, { contextValue });
    expect(reported).toEqual([]);
  });
});
