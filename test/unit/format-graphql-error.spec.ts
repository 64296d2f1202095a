import { ForbiddenException } from '@nestjs/common';
import { GraphQLError, parse, Source, visit, type StringValueNode } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { badInput, conflict } from '../../src/common/errors/domain-error.js';
import { createGraphQLErrorFormatter } from '../../src/common/errors/format-graphql-error.js';

/** What Apollo hands the formatter for an error thrown inside a resolver. */
function fromResolver(error: Error): [GraphQLError, GraphQLError] {
  const wrapped = new GraphQLError(error.message, { originalError: error, path: ['field'] });
  return [wrapped, wrapped];
}

describe(createGraphQLErrorFormatter.name, () => {
  const reported: unknown[] = [];
  const sut = createGraphQLErrorFormatter((error) => reported.push(error));

  beforeEach(() => (reported.length = 0));

  it('passes domain errors through with their code and field', () => {
    const [formatted, error] = fromResolver(conflict('Taken', 'input.name'));
    expect(sut(formatted.toJSON(), error)).toEqual({
      message: 'Taken',
      path: ['field'],
      extensions: { code: 'CONFLICT', field: 'input.name' },
    });
    expect(reported).toEqual([]);
  });

  /** What Apollo hands the formatter for a domain error raised by the root field of `query`. */
  function fromRootField(query: string, error: Error, path: string[] = ['act']) {
    const source = new Source(query);
    const document = parse(source);
    let field: import('graphql').FieldNode | undefined;
    visit(document, { Field: (node) => void (field ??= node) });
    const wrapped = new GraphQLError(error.message, {
      originalError: error,
      path,
      nodes: field ? [field] : [],
      source,
    });
    return sut(wrapped.toJSON(), wrapped).extensions;
  }

  it("places a service's field under a mutation's input, with the message that names it", () => {
    const mutation = 'mutation { act(input: { date: "2999-01-01" }) { id } }';
    expect(fromRootField(mutation, badInput('date', 'date: not in the future'))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.date',
    });
    const [formatted, error] = fromResolver(badInput('date', 'date: not in the future'));
    const rewritten = new GraphQLError(formatted.message, {
      originalError: error.originalError,
      path: ['act'],
      nodes: parse('mutation { act(input: {}) { id } }').definitions.flatMap((d) =>
        'selectionSet' in d && d.selectionSet ? [d.selectionSet.selections[0]] : [],
      ) as import('graphql').FieldNode[],
      source: new Source('mutation { act(input: {}) { id } }'),
    });
    expect(sut(rewritten.toJSON(), rewritten).message).toBe('input.date: not in the future');
  });

  it("leaves a query's argument, a payload field's argument and an input path as they are", () => {
    expect(fromRootField('query { act(id: "x") { id } }', badInput('id', 'bad'))?.field).toBe('id');
    expect(
      fromRootField('mutation { act(input: {}) { id } }', badInput('first', 'bad'), ['act', 'list'])
        ?.field,
    ).toBe('first');
    expect(
      fromRootField('mutation { act(input: {}) { id } }', badInput('input.title', 'bad'))?.field,
    ).toBe('input.title');
  });

  it('hides SQL and driver text behind a generic message', () => {
    const driverError = Object.assign(
      new Error('duplicate key value violates unique constraint "x"'),
      {
        code: '23505',
        severity: 'ERROR',
        constraint: 'x',
      },
    );
    const [formatted, error] = fromResolver(
      new QueryFailedError('INSERT INTO secret_table', [], driverError),
    );
    const result = sut(formatted.toJSON(), error);
    expect(result.extensions).toEqual({ code: 'CONFLICT' });
    expect(JSON.stringify(result)).not.toMatch(/secret_table|duplicate key|INSERT/);
  });

  it.each([
    ['22003', 'value "10000000000" is out of range for type integer'],
    ['22007', 'invalid input syntax for type timestamp with time zone: "not a time"'],
    ['22008', 'date/time field value out of range: "2026-02-30"'],
  ])(
    'answers a value PostgreSQL cannot hold (%s) as BAD_USER_INPUT, not as a fault',
    (code, text) => {
      const driverError = Object.assign(new Error(text), { code, severity: 'ERROR' });
      const [formatted, error] = fromResolver(
        new QueryFailedError('SELECT * FROM secret_table WHERE x > $1', [], driverError),
      );
      const result = sut(formatted.toJSON(), error);
      expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(JSON.stringify(result)).not.toMatch(
        /secret_table|out of range|invalid input|"not a time"/,
      );
      expect(reported).toEqual([]);
    },
  );

  it('turns anything unexpected into INTERNAL_SERVER_ERROR, reporting it to the log only', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const [formatted, error] = fromResolver(bug);
    const result = sut(formatted.toJSON(), error);
    expect(result).toEqual({
      message: 'Internal server error',
      path: ['field'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(reported).toEqual([bug]);
  });

  it('maps Nest HTTP exceptions to the API codes', () => {
    const [formatted, error] = fromResolver(new ForbiddenException('no'));
    expect(sut(formatted.toJSON(), error).extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('names the argument path of a literal a scalar refused', () => {
    const source = new Source(
      '{ ideaFunnel(filter: { proposedIn: { from: "2026-01-01", to: "2026-02-31" } }) { rejected } }',
    );
    let literal: StringValueNode | undefined;
    visit(parse(source), {
      StringValue(node) {
        if (node.value === '2026-02-31') literal = node;
      },
    });
    // graphql-scalars' own refusal, pointing at the literal, as validation reports it.
    const error = new GraphQLError('Value is not a valid LocalDate: 2026-02-31', {
      nodes: literal,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(sut(error.toJSON(), error).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.proposedIn.to',
    });
  });

  it('names the offending field of a variable graphql-js refused', () => {
    const message =
      'Variable "$input" got invalid value 7 at "input.skills[1].level"; Int cannot represent non-integer value: 7.5';
    const error = new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
    expect(sut(error.toJSON(), error).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.skills.1.level',
    });
  });
});
