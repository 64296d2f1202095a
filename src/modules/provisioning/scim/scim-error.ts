import { DomainError } from '../../../common/errors/domain-error.js';
import { ErrorCode } from '../../../common/errors/error-code.js';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_MEDIA_TYPE = 'application/scim+json';

/** RFC 7644 §3.12's detail error types. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** A SCIM error response: its HTTP status, detail and (for 400 and 409) scimType. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** RATE_LIMITED: seconds until a retry may succeed (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  get body(): Record<string, unknown> {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

export const invalidValue = (detail: string): ScimError =>
  new ScimError(400, detail, 'invalidValue');
export const invalidSyntax = (detail: string): ScimError =>
  new ScimError(400, detail, 'invalidSyntax');
export const invalidFilter = (detail: string): ScimError =>
  new ScimError(400, detail, 'invalidFilter');
export const invalidPath = (detail: string): ScimError => new ScimError(400, detail, 'invalidPath');
export const resourceNotFound = (resource: 'User' | 'Group', id: string): ScimError =>
  new ScimError(404, `${resource} ${id} not found`);

/** 403: the person is an admin, whom provisioning may not change (provisioning-policy.ts). */
export const adminOutOfReach = (): ScimError =>
  new ScimError(
    403,
    'This user is an admin: admins are changed, deactivated and reactivated in the app, not by provisioning',
  );

/** The fields whose CONFLICT means "someone else has this value already". */
const UNIQUE_FIELDS = new Set(['email', 'userName', 'externalId', 'name']);

/** A domain refusal as SCIM answers it (the message is written for clients already). */
export function scimErrorOf(error: DomainError): ScimError {
  switch (error.code) {
    case ErrorCode.BAD_USER_INPUT:
      return invalidValue(error.message);
    case ErrorCode.NOT_FOUND:
      return new ScimError(404, error.message);
    case ErrorCode.CONFLICT:
      // A duplicate e-mail, user name, external id or team name: Okta and Entra look the
      // existing resource up on 409 uniqueness. Any other CONFLICT is a rule of this service.
      return UNIQUE_FIELDS.has(error.details.field ?? '')
        ? new ScimError(409, error.message, 'uniqueness')
        : new ScimError(409, error.message);
    case ErrorCode.CAPACITY_EXCEEDED:
    case ErrorCode.INVALID_TRANSITION:
    case ErrorCode.INSUFFICIENT_FUNDS:
      return new ScimError(409, error.message);
    case ErrorCode.UNAUTHENTICATED:
      return new ScimError(401, error.message);
    case ErrorCode.FORBIDDEN:
      return new ScimError(403, error.message);
    case ErrorCode.RATE_LIMITED:
      return new ScimError(429, error.message, undefined, error.details.retryAfterSeconds);
    case ErrorCode.SERVICE_UNAVAILABLE:
      return new ScimError(503, error.message, undefined, error.details.retryAfterSeconds);
    default:
      return new ScimError(500, 'Something went wrong on our side');
  }
}
