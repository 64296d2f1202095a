import {
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
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
/** A report whose deprecated `first` pages its `rows`, which can also page themselves. */
const report = new GraphQLObjectType({
  name: 'Report',
  fields: {
    total: { type: GraphQLInt },
    rows: {
      type: new GraphQLList(item),
      args: {
        first: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 20 },
        after: { type: GraphQLString },
      },
      extensions: { maxItems: 100, sizeFromParentFirst: true } satisfies ListLimit,
    },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      report: {
        type: report,
        args: {
          first: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 20 },
          after: { type: GraphQLString },
        },
        extensions: { firstPagesChild: 'rows' } satisfies ListLimit,
      },
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

  describe('a connection paged by its parent’s deprecated first, or by its own', () => {
    it('prices it, as before, by the parent’s first when it has no paging arguments', () => {
      expect(cost('{ report(first: 50) { total rows { a } } }')).toBe(1 + 50 * (1 + 1 + 1));
      expect(cost('{ report { rows { a } } }')).toBe(1 + 20 * (1 + 1));
    });

    it('prices it by its own first once it takes first or after, and the parent once', () => {
      expect(cost('{ report(first: 100) { total rows(first: 5) { a b } } }')).toBe(
        1 + 1 + (1 + 5 * 2),
      );
      expect(cost('{ report { rows(after: "x") { a } } }')).toBe(1 + (1 + 20 * 1));
    });

    it('never prices lower when one selection pages itself and another does not', () => {
      expect(cost('{ report(first: 10) { mine: rows(first: 5) { a } rows { a } } }')).toBe(
        1 + 10 * (1 + 5 * 1 + (1 + 1)),
      );
    });

    it('assumes a fragment spread hides a selection paged by the parent', () => {
      expect(
        cost('{ report(first: 10) { ...R } } fragment R on Report { rows(first: 5) { a } }'),
      ).toBe(1 + 10 * (1 + 5 * 1));
    });
  });
});
