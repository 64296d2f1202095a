import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { readFile } from 'node:fs/promises';
import { QUERY_LIMITS } from '../src/common/graphql/query-limits.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SCHEMA_FILE = new URL('../schema.gql', import.meta.url);

type Field = GraphQLField<unknown, unknown>;
interface OwnedField {
  owner: GraphQLNamedType;
  field: Field;
}

const nameOf = ({ owner, field }: OwnedField) => `${owner.name}.${field.name}`;

function fieldsOf(schema: GraphQLSchema): OwnedField[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((owner) =>
      isObjectType(owner) || isInterfaceType(owner)
        ? Object.values(owner.getFields()).map((field) => ({ owner, field }))
        : [],
    );
}

const isConnection = (type: GraphQLNamedType) =>
  isObjectType(type) && type.name.endsWith('Connection') && 'nodes' in type.getFields();

/**
 * Fields that return many items: lists and connections, but not a connection's own `edges`
 * and `nodes`, which hold the page its field's `first` asked for.
 */
const returnsMany = ({ owner, field }: OwnedField): boolean =>
  isConnection(owner) && (field.name === 'edges' || field.name === 'nodes')
    ? false
    : isListType(getNullableType(field.type)) || isConnection(getNamedType(field.type));

const firstOf = (field: Field) => field.args.find((arg) => arg.name === 'first');

/** "At most N" in the `first` argument's description or, without one, "At most N." in the field's. */
function documentedMaximum(field: Field): number | undefined {
  const first = firstOf(field);
  const match = first
    ? /\bat most (\d+)/i.exec(first.description ?? '')
    : /\bAt most (\d+)\./.exec(field.description ?? '');
  return match ? Number(match[1]) : undefined;
}

/** What the cost analysis prices the field's items at: its `maxItems` extension, or the page cap. */
function pricedMaximum(field: Field): number | undefined {
  const { maxItems } = field.extensions as { maxItems?: unknown };
  if (typeof maxItems === 'number') return maxItems;
  return firstOf(field) ? QUERY_LIMITS.maxPage : undefined;
}

describe('List fields and their maxima', () => {
  let sut: TestApp;
  let committed: GraphQLSchema;
  let running: GraphQLSchema;

  beforeAll(async () => {
    sut = await startTestApp();
    committed = buildSchema(await readFile(SCHEMA_FILE, 'utf8'));
    running = sut.app.get(GraphQLSchemaHost).schema;
  });
  afterAll(() => sut.close());

  const runningField = ({ owner, field }: OwnedField): Field => {
    const type = running.getType(owner.name);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) throw new Error(owner.name);
    return type.getFields()[field.name];
  };

  it('pages every list with a capped first, or documents its maximum in schema.gql', () => {
    const unbounded = fieldsOf(committed)
      .filter((f) => returnsMany(f) && documentedMaximum(f.field) === undefined)
      .map(nameOf);
    expect(unbounded).toEqual([]);
  });

  it('prices each list at the maximum schema.gql documents for it', () => {
    const drifted = fieldsOf(committed)
      .filter((f) => returnsMany(f) || firstOf(f.field))
      .flatMap((f) => {
        const documented = documentedMaximum(f.field);
        const priced = pricedMaximum(runningField(f));
        return documented === priced
          ? []
          : [`${nameOf(f)}: documented ${documented}, priced ${priced}`];
      });
    expect(drifted).toEqual([]);
  });

  it('sizes a list paged by its parent from a first capped at the same maximum', () => {
    const paged = fieldsOf(running).filter(
      ({ field }) => (field.extensions as { sizeFromParentFirst?: boolean }).sizeFromParentFirst,
    );
    const mismatched = paged.flatMap((list) => {
      const parents = fieldsOf(running).filter(
        ({ field }) => getNamedType(field.type) === list.owner,
      );
      return parents
        .filter(
          ({ field }) => !firstOf(field) || pricedMaximum(field) !== pricedMaximum(list.field),
        )
        .map((parent) => `${nameOf(list)} under ${nameOf(parent)}`);
    });
    expect(mismatched).toEqual([]);
  });
});
