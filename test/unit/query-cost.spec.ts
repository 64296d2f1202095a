import {
  GraphQLInt,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import type { ListLimit } from '../../src/common/graphql/list-limits.js';
import { costOf } from '../../src/common/graphql/query-limits.js';

/** A schema with one list of each kind: documented, capped by `first`, and neither. */
const item = new GraphQLObjectType({
  name: 'Item',
  fields: { a: { type: GraphQLString }, b: { type: GraphQLString } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      bounded: {
        type: new GraphQLList(item),
        extensions: { maxItems: 7 } satisfies ListLimit,
      },
      ranked: {
        type: new GraphQLList(item),
        args: { first: { type: GraphQLInt, defaultValue: 3 } },
        extensions: { maxItems: 20 } satisfies ListLimit,
      },
      unbounded: { type: new GraphQLList(item) },
    },
  }),
});

const cost = (query: string) => costOf(schema, parse(query), undefined, {});

describe('Cost analysis', () => {
  it('prices a list at its documented maximum', () => {
    expect(cost('{ bounded { a b } }')).toBe(1 + 7 * 2);
  });

  it("prices a list taking first at first, default included, up to the field's own cap", () => {
    expect(cost('{ ranked { a b } }')).toBe(1 + 3 * 2);
    expect(cost('{ ranked(first: 500) { a b } }')).toBe(1 + 20 * 2);
  });

  it('refuses a list with no maximum rather than price it at a guess', () => {
    expect(() => cost('{ unbounded { a } }')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/Query\.unbounded has no documented maximum/),
        extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }),
      }),
    );
  });
});
