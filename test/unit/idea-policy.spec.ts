import type { Actor } from '../../src/common/auth/actor.js';
import {
  canBeRejected,
  canBeWithdrawn,
  isProposer,
  isVisibleIdea,
  leadsSponsorTeam,
  takesEndorsements,
  type IdeaRef,
} from '../../src/modules/idea/idea-policy.js';
import { IdeaStatus } from '../../src/modules/idea/idea.enums.js';

const PROPOSER = 'proposer';
const SPONSOR_TEAM = 'sponsor-team';

const actor = (id: string, leadOf: string[] = []): Actor => ({
  id,
  isAdmin: false,
  homeTeamId: 'home',
  leadOf: new Set(leadOf),
  memberOf: new Set(['home', ...leadOf]),
  ownsInitiatives: new Set(),
  memberOfInitiatives: new Set(),
});

const idea = (overrides: Partial<IdeaRef> = {}): IdeaRef => ({
  proposerId: PROPOSER,
  sponsorTeamId: SPONSOR_TEAM,
  submittedAt: null,
  status: IdeaStatus.DRAFT,
  ...overrides,
});

const submitted = (status: IdeaStatus): IdeaRef => idea({ status, submittedAt: new Date() });

describe(isVisibleIdea.name, () => {
  it("keeps a draft its proposer's alone", () => {
    expect(isVisibleIdea(idea(), actor(PROPOSER))).toBe(true);
    expect(isVisibleIdea(idea(), actor('someone else', [SPONSOR_TEAM]))).toBe(false);
  });

  it('keeps a draft withdrawn before submission hidden too', () => {
    expect(isVisibleIdea(idea({ status: IdeaStatus.WITHDRAWN }), actor('someone else'))).toBe(
      false,
    );
  });

  it('opens an idea to everyone once submitted, whatever becomes of it', () => {
    for (const status of [
      IdeaStatus.SUBMITTED,
      IdeaStatus.FUNDED,
      IdeaStatus.APPROVED,
      IdeaStatus.REJECTED,
      IdeaStatus.WITHDRAWN,
    ]) {
      expect(isVisibleIdea(submitted(status), actor('someone else'))).toBe(true);
    }
  });
});

describe(isProposer.name, () => {
  it('recognises the proposer, and only the proposer', () => {
    expect(isProposer(actor(PROPOSER), idea())).toBe(true);
    expect(isProposer(actor('a lead', [SPONSOR_TEAM]), idea())).toBe(false);
  });
});

describe(leadsSponsorTeam.name, () => {
  it("lets the sponsor team's leads decide, not other teams' leads", () => {
    expect(leadsSponsorTeam(actor('a lead', [SPONSOR_TEAM]), idea())).toBe(true);
    expect(leadsSponsorTeam(actor('another lead', ['other team']), idea())).toBe(false);
    expect(leadsSponsorTeam(actor(PROPOSER), idea())).toBe(false);
  });
});

describe('idea states', () => {
  const cases: [IdeaStatus, { endorse: boolean; reject: boolean; withdraw: boolean }][] = [
    [IdeaStatus.DRAFT, { endorse: false, reject: false, withdraw: true }],
    [IdeaStatus.SUBMITTED, { endorse: true, reject: true, withdraw: true }],
    [IdeaStatus.FUNDED, { endorse: true, reject: true, withdraw: true }],
    [IdeaStatus.APPROVED, { endorse: true, reject: false, withdraw: false }],
    [IdeaStatus.REJECTED, { endorse: false, reject: false, withdraw: false }],
    [IdeaStatus.WITHDRAWN, { endorse: false, reject: false, withdraw: false }],
  ];

  it.each(cases)(
    '%s: endorsements, rejection and withdrawal as the lifecycle allows',
    (status, may) => {
      expect({
        endorse: takesEndorsements({ status }),
        reject: canBeRejected({ status }),
        withdraw: canBeWithdrawn({ status }),
      }).toEqual(may);
    },
  );
});
