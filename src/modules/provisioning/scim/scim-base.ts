import type { Request } from 'express';

/** Where this SCIM service is, as the client reached it (behind TRUST_PROXY, its scheme and host). */
export const scimBase = (request: Request): string =>
  `${request.protocol}://${request.get('host') ?? 'localhost'}/scim/v2`;
