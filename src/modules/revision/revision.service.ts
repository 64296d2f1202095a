import { Injectable } from '@nestjs/common';
import {
  toConnection,
  type ConnectionArgs,
  type ConnectionResult,
} from '../../common/graphql/connection.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import type { Db } from '../../database/sql.js';
import type { Changes, FieldValue, Revision } from './models/revision.models.js';
import { RevisionRepository } from './revision.repository.js';

/** What an edited object's subject type is called in revisions (and the audit log). */
export type RevisedSubject = 'Idea' | 'Need' | 'Comment' | 'Milestone' | 'OutcomeMetric';

const same = (a: FieldValue, b: FieldValue): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((value, i) => value === b[i])
    : a === b;

/**
 * The fields of `proposed` (undefined: not asked to change) whose value differs from
 * `current`, as { field: { from, to } }. Empty when the edit changes nothing.
 */
export function changesBetween<T extends Record<string, FieldValue>>(
  current: T,
  proposed: { [K in keyof T]?: T[K] },
): Changes {
  const changes: Changes = {};
  for (const field of Object.keys(proposed) as (keyof T & string)[]) {
    const to = proposed[field];
    if (to === undefined || same(current[field], to)) continue;
    changes[field] = { from: current[field], to };
  }
  return changes;
}

/**
 * The history of edits. Modules record a revision inside the unit of work of their edit (so it
 * commits or rolls back with it) and page it for their objects' `revisions` field.
 */
@Injectable()
export class RevisionService {
  constructor(private readonly revisions: RevisionRepository) {}

  /** Records one edit by `editorId`; nothing when it changed nothing. */
  async record(
    tx: Db,
    subjectType: RevisedSubject,
    subjectId: string,
    editorId: string,
    changes: Changes,
  ): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await this.revisions.insert(tx, { subjectType, subjectId, editorId, changes });
  }

  /** The subject's revisions, newest first; pages and counts batched across the request. */
  async page(
    loaders: RequestLoaders,
    subjectType: RevisedSubject,
    subjectId: string,
    args: ConnectionArgs,
  ): Promise<ConnectionResult<Revision>> {
    const page = await loaders
      .get(this.revisions.page)
      .load({ subjectType, subjectId, first: args.first, after: args.after });
    return toConnection(
      page,
      args.first,
      (revision) => [revision.seq],
      () => loaders.get(this.revisions.count).load(`${subjectType}:${subjectId}`),
    );
  }
}
