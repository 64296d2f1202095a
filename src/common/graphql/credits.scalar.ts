import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** `node`: where a value written in the document is, so the error can name its field. */
function asCredits(value: unknown, node?: ValueNode): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError(
      `Credits cannot represent ${JSON.stringify(value)}: whole credits only`,
      { nodes: node, extensions: { code: 'BAD_USER_INPUT' } },
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
        nodes: ast,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return asCredits(Number(ast.value), ast);
  },
});
