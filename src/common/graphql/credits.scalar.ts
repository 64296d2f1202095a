import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

function asCredits(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError(
      `Credits cannot represent ${JSON.stringify(value)}: whole credits only`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return value;
}

/**
 * Whole credits. A JSON number that is always an integer; unlike Int it is not limited to
 * 32 bits, so an organisation's total issuance cannot overflow it.
 */
export const CreditsScalar = new GraphQLScalarType<number, number>({
  name: 'Credits',
  description: 'Whole credits: an integer (at most 2^53 - 1 in magnitude), never a fraction.',
  serialize: (value) => asCredits(value),
  parseValue: (value) => asCredits(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) {
      throw new GraphQLError('Credits cannot represent a non-integer value', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return asCredits(Number(ast.value));
  },
});
