import { TeamRole } from '../team/team-role.js';

/**
 * What a provisioning client (a SCIM token) may change. It acts for the admin who created it, but
 * its secret sits in an identity provider's configuration, so it gets less than an admin:
 *
 * - Admins are out of its reach. Changing an admin's e-mail or user name would hand the account
 *   to whoever the identity provider signs in under the new address (OIDC finds people by
 *   e-mail); deactivating, reactivating or moving an admin is another admin's decision, in the
 *   app. A request that would change nothing about them is still answered (identity providers
 *   re-send whole users on every sync).
 * - Leads are made in the app (SCIM adds members only), so SCIM never takes a lead out of a team
 *   either: a directory that sends an emptied group leaves the team its leads.
 */
export const provisioningMayChange = (person: { isAdmin: boolean }): boolean => !person.isAdmin;

export const provisioningMayRemove = (member: { role: TeamRole | string }): boolean =>
  member.role !== TeamRole.LEAD;
