import { conflict, notFound, type DomainError } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { DirectoryIdentity } from './employee.repository.js';

/** The constraint a duplicate e-mail, user name or external id breaks, as the client's error. */
export function directoryConflict(
  error: unknown,
  person: { email?: string } & DirectoryIdentity,
): DomainError | undefined {
  if (isConstraintViolation(error, 'employee_email_key')) {
    return conflict(`Someone already uses ${person.email}`, 'email');
  }
  if (isConstraintViolation(error, 'employee_user_name_key')) {
    return conflict(`Someone already has the user name ${person.userName}`, 'userName');
  }
  if (isConstraintViolation(error, 'employee_external_id_key')) {
    return conflict(`Someone already has the external id ${person.externalId}`, 'externalId');
  }
  return undefined;
}

export const homeTeamMissing = (error: unknown): DomainError | undefined =>
  isConstraintViolation(error, 'employee_home_team_id_fkey')
    ? notFound('Team', 'homeTeamId')
    : undefined;
