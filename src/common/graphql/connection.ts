import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RepeatedArguments } from '../validation/validation.pipe.js';
import { encodeCursor, type CursorValue } from './cursor.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A connection's page arguments: the same under every parent of a page (see RepeatedArguments). */
@ArgsType()
@RepeatedArguments()
export class ConnectionArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `At most ${MAX_PAGE_SIZE}.` })
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field({ description: 'Always false: lists are walked forwards with `first`/`after`.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

/** What a connection resolves to. `totalCount` is computed only when a client asks for it. */
export interface ConnectionResult<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number>;
}

/** A Relay connection type for `T`: `<T>Connection` with `<T>Edge`. */
export function Connection<T>(nodeType: Type<T>, name = nodeType.name): Type<ConnectionResult<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => nodeType)
    node: T;

    @Field()
    cursor: string;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [EdgeType])
    edges: Edge<T>[];

    @Field(() => [nodeType], {
      description: 'The nodes of `edges`, for clients that need no cursors.',
    })
    nodes: T[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'How many items the whole list holds.' })
    totalCount: Promise<number>;
  }
  return ConnectionType as unknown as Type<ConnectionResult<T>>;
}

/**
 * Builds a connection from rows fetched with `LIMIT first + 1` after the cursor: the extra
 * row, if any, only tells that there is a next page.
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  sortKey: (row: T) => readonly CursorValue[],
  countAll: () => Promise<number>,
): ConnectionResult<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(sortKey(node)) }));
  let total: Promise<number> | undefined;
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    // A getter: the count query runs only when a client selects the field.
    get totalCount() {
      total ??= countAll();
      return total;
    },
  };
}
