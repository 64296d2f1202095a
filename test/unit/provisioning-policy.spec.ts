import {
  provisioningMayChange,
  provisioningMayRemove,
} from '../../src/modules/provisioning/provisioning-policy.js';
import { TeamRole } from '../../src/modules/team/team-role.js';

describe('provisioning policy', () => {
  it('keeps admins out of a provisioning client’s reach', () => {
    expect(provisioningMayChange({ isAdmin: true })).toBe(false);
    expect(provisioningMayChange({ isAdmin: false })).toBe(true);
  });

  it('takes members out of teams, never leads', () => {
    expect(provisioningMayRemove({ role: TeamRole.MEMBER })).toBe(true);
    expect(provisioningMayRemove({ role: TeamRole.LEAD })).toBe(false);
  });
});
