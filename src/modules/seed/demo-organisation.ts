/** A small Zappos-like organisation for `npm start` and demos. Every demo password is DEMO_PASSWORD. */
export const DEMO_PASSWORD = 'demo-password';

export interface DemoTeam {
  name: string;
  purpose: string;
  credits: number;
}

export interface DemoPerson {
  name: string;
  email: string;
  title: string;
  team: string;
  leads?: string[];
  alsoMemberOf?: string[];
  isAdmin?: boolean;
  weeklyCapacityHours?: number;
  skills: [name: string, level: number][];
}

export const DEMO_TEAMS: DemoTeam[] = [
  {
    name: 'Customer Loyalty',
    purpose: 'Deliver WOW through service, one call at a time.',
    credits: 20_000,
  },
  {
    name: 'Merchandising',
    purpose: 'Choose and present what customers love to buy.',
    credits: 15_000,
  },
  { name: 'Fulfillment', purpose: 'Get every order out the door fast and right.', credits: 12_000 },
  { name: 'Tech', purpose: 'Build and run the tools everyone else depends on.', credits: 25_000 },
  {
    name: 'People Ops',
    purpose: 'Hire, grow and care for the people who make the culture.',
    credits: 10_000,
  },
];

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    name: 'Avery Admin',
    email: 'admin@example.com',
    title: 'Marketplace Administrator',
    team: 'People Ops',
    isAdmin: true,
    skills: [['Facilitation', 4]],
  },
  {
    name: 'Maya Chen',
    email: 'maya@example.com',
    title: 'Customer Loyalty Team Lead',
    team: 'Customer Loyalty',
    leads: ['Customer Loyalty'],
    skills: [
      ['Phone Support', 5],
      ['Coaching', 4],
      ['Data Analysis', 2],
    ],
  },
  {
    name: 'Sam Rivera',
    email: 'sam@example.com',
    title: 'Customer Loyalty Agent',
    team: 'Customer Loyalty',
    skills: [
      ['Phone Support', 4],
      ['Copywriting', 3],
    ],
  },
  {
    name: 'Priya Nair',
    email: 'priya@example.com',
    title: 'Customer Loyalty Agent',
    team: 'Customer Loyalty',
    weeklyCapacityHours: 6,
    skills: [
      ['Phone Support', 3],
      ['Research', 3],
    ],
  },
  {
    name: 'Jordan Blake',
    email: 'jordan@example.com',
    title: 'Merchandising Lead',
    team: 'Merchandising',
    leads: ['Merchandising'],
    skills: [
      ['Merchandising', 5],
      ['Research', 4],
      ['Data Analysis', 3],
    ],
  },
  {
    name: 'Lena Fischer',
    email: 'lena@example.com',
    title: 'Copywriter',
    team: 'Merchandising',
    skills: [
      ['Copywriting', 5],
      ['Photography', 3],
    ],
  },
  {
    name: 'Marcus Lee',
    email: 'marcus@example.com',
    title: 'Fulfillment Lead',
    team: 'Fulfillment',
    leads: ['Fulfillment'],
    skills: [
      ['Logistics', 5],
      ['Data Analysis', 3],
    ],
  },
  {
    name: 'Ana Souza',
    email: 'ana@example.com',
    title: 'Warehouse Coordinator',
    team: 'Fulfillment',
    skills: [
      ['Logistics', 4],
      ['Phone Support', 2],
    ],
  },
  {
    name: 'Tom Okafor',
    email: 'tom@example.com',
    title: 'Engineering Lead',
    team: 'Tech',
    leads: ['Tech'],
    skills: [
      ['Software Engineering', 5],
      ['SQL', 4],
      ['Data Analysis', 4],
    ],
  },
  {
    name: 'Kim Park',
    email: 'kim@example.com',
    title: 'Data Analyst',
    team: 'Tech',
    alsoMemberOf: ['Customer Loyalty'],
    skills: [
      ['Data Analysis', 5],
      ['SQL', 5],
      ['Research', 3],
    ],
  },
  {
    name: 'Riley Quinn',
    email: 'riley@example.com',
    title: 'People Ops Lead',
    team: 'People Ops',
    leads: ['People Ops'],
    skills: [
      ['Facilitation', 5],
      ['Coaching', 4],
      ['Research', 2],
    ],
  },
  {
    name: 'Noah Patel',
    email: 'noah@example.com',
    title: 'Recruiter',
    team: 'People Ops',
    skills: [
      ['Research', 3],
      ['Copywriting', 2],
    ],
  },
  {
    name: 'Casey Morgan',
    email: 'casey@example.com',
    title: 'Picker',
    team: 'Fulfillment',
    skills: [
      ['Phone Support', 3],
      ['Data Analysis', 1],
    ],
  },
];

/**
 * People who have left: deactivated by the admin once the rest of the demo is in place (their
 * pending bid withdrawn, sign-in refused), so the demo shows a former employee and their history.
 */
export const DEMO_LEAVERS = ['casey@example.com'];

/** Sign-ins printed by `npm start` and listed in the README. */
export const DEMO_SIGN_INS = [
  { role: 'admin', email: 'admin@example.com' },
  { role: 'lead of Customer Loyalty', email: 'maya@example.com' },
  { role: 'member of Customer Loyalty', email: 'sam@example.com' },
];

export interface DemoNeed {
  key: string;
  buyer: string;
  postedBy: string;
  title: string;
  description: string;
  hoursPerWeek: number;
  weeks: number;
  ratePerHour: number;
  requiredSkills: [name: string, minLevel: number][];
}

export interface DemoBid {
  need: string;
  bidder: string;
  hoursPerWeek: number;
  ratePerHour: number;
  message: string;
  skills: string[];
  /** Accepted by the buyer's lead, and the work done since. */
  work?: DemoWork;
}

/**
 * An engagement's story, week by week up to the current one (times are real: the demo is
 * seeded as if each step had happened in its week).
 */
export interface DemoWork {
  /** Accepted this many weeks before the current one. */
  acceptedWeeksAgo: number;
  /** Hours logged in each week since (the last is the current week). */
  weeklyHours: number[];
  /** Weeks (indexes of weeklyHours) the buyer approved. */
  approvedWeeks: number[];
  /** The buyer disputes the current week's last hour, for this reason. */
  dispute?: string;
}

export const DEMO_NEEDS: DemoNeed[] = [
  {
    key: 'holiday-phones',
    buyer: 'Customer Loyalty',
    postedBy: 'maya@example.com',
    title: 'Weekend phone coverage for the holiday rush',
    description:
      'Take customer calls on Saturday mornings through the holidays. Training on day one.',
    hoursPerWeek: 6,
    weeks: 4,
    ratePerHour: 30,
    requiredSkills: [['Phone Support', 2]],
  },
  {
    key: 'spring-copy',
    buyer: 'Merchandising',
    postedBy: 'jordan@example.com',
    title: 'Product descriptions for the spring catalogue',
    description:
      'About 120 shoe and apparel descriptions in our voice: warm, honest, a little playful.',
    hoursPerWeek: 4,
    weeks: 3,
    ratePerHour: 25,
    requiredSkills: [['Copywriting', 3]],
  },
  {
    key: 'returns-dashboard',
    buyer: 'Tech',
    postedBy: 'tom@example.com',
    title: 'Dashboard of return reasons',
    description:
      'Find out why people send shoes back, by brand and size, and chart it for the buyers.',
    hoursPerWeek: 5,
    weeks: 6,
    ratePerHour: 40,
    requiredSkills: [
      ['Data Analysis', 3],
      ['SQL', 2],
    ],
  },
  {
    key: 'warehouse-research',
    buyer: 'Fulfillment',
    postedBy: 'marcus@example.com',
    title: 'Research: how other warehouses lay out fast movers',
    description: 'Interview three peers and summarise what we could copy before peak season.',
    hoursPerWeek: 3,
    weeks: 4,
    ratePerHour: 20,
    requiredSkills: [['Research', 2]],
  },
];

export const DEMO_BIDS: DemoBid[] = [
  {
    need: 'holiday-phones',
    bidder: 'ana@example.com',
    hoursPerWeek: 3,
    ratePerHour: 30,
    message: 'I cover returns calls at the warehouse already; happy to do Saturdays.',
    skills: ['Phone Support'],
  },
  {
    need: 'holiday-phones',
    bidder: 'casey@example.com',
    hoursPerWeek: 2,
    ratePerHour: 25,
    message: 'I did phones before I moved to the warehouse.',
    skills: ['Phone Support'],
  },
  {
    need: 'spring-copy',
    bidder: 'sam@example.com',
    hoursPerWeek: 4,
    ratePerHour: 25,
    message: 'I write our customer emails; I would love to try product copy.',
    skills: ['Copywriting'],
  },
  {
    need: 'spring-copy',
    bidder: 'noah@example.com',
    hoursPerWeek: 2,
    ratePerHour: 20,
    message: 'Job ads are my day job, so I know a bit about persuasive copy.',
    skills: ['Copywriting'],
  },
  {
    need: 'returns-dashboard',
    bidder: 'marcus@example.com',
    hoursPerWeek: 3,
    ratePerHour: 40,
    message: 'I know the returns data from the warehouse side.',
    skills: ['Data Analysis'],
    // Accepted this week; Tom disputes one of the three hours logged so far.
    work: {
      acceptedWeeksAgo: 0,
      weeklyHours: [3],
      approvedWeeks: [],
      dispute: 'That hour was the returns team’s stand-up, not work on the dashboard.',
    },
  },
  {
    need: 'warehouse-research',
    bidder: 'priya@example.com',
    hoursPerWeek: 3,
    ratePerHour: 20,
    message: 'Research is my favourite part of the job.',
    skills: ['Research'],
    // Two weeks in: the first week approved by Marcus, last week's hours approved
    // automatically once its review window passes, this week's waiting for review.
    work: { acceptedWeeksAgo: 2, weeklyHours: [3, 3, 2], approvedWeeks: [0] },
  },
];

export interface DemoIdea {
  key: string;
  proposer: string;
  sponsor: string;
  title: string;
  problem: string;
  proposal: string;
  expectedOutcomes: string;
  fundingGoal: number;
  skillsNeeded: string[];
  hoursPerWeekNeeded?: number;
  /** How far it gets: a draft stays a draft. */
  stage: 'DRAFT' | 'SUBMITTED' | 'FUNDED' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';
  endorsedBy?: string[];
  /** [lead's e-mail, team, credits] */
  pledges?: [lead: string, team: string, amount: number][];
  decidedBy?: string;
  reason?: string;
  comments?: [author: string, body: string][];
}

/** "Customer Service for Anything" and ideas in every other state. */
export const DEMO_IDEAS: DemoIdea[] = [
  {
    key: 'csfa',
    proposer: 'sam@example.com',
    sponsor: 'Customer Loyalty',
    title: 'Customer Service for Anything',
    problem:
      'Customers only call us about orders, so we miss every chance to help them with anything else, and to be remembered for it.',
    proposal:
      'Open the hotline to any topic: finding a pizza place that delivers late, checking movie times, reading a recipe aloud. ' +
      'Agents from other teams give a few hours a week at peak times.',
    expectedOutcomes:
      'More calls taken, warm unhurried conversations, and customers who tell their friends.',
    fundingGoal: 6_000,
    skillsNeeded: ['Phone Support'],
    hoursPerWeekNeeded: 12,
    stage: 'APPROVED',
    endorsedBy: ['ana@example.com', 'lena@example.com', 'kim@example.com', 'tom@example.com'],
    pledges: [
      ['maya@example.com', 'Customer Loyalty', 4_000],
      ['tom@example.com', 'Tech', 2_000],
    ],
    decidedBy: 'maya@example.com',
    comments: [
      ['kim@example.com', 'I can pull weekly call volumes from the phone system for the metrics.'],
      ['maya@example.com', 'Approved. Let us start with a pilot on Saturday mornings.'],
    ],
  },
  {
    key: 'return-labels',
    proposer: 'kim@example.com',
    sponsor: 'Tech',
    title: 'Self-serve return labels for international orders',
    problem: 'International customers email us for return labels and wait a day for an answer.',
    proposal: 'Let them print the label from their order page.',
    expectedOutcomes: 'Fewer emails, faster refunds.',
    fundingGoal: 4_000,
    skillsNeeded: ['Software Engineering'],
    stage: 'DRAFT',
  },
  {
    key: 'studio-swap',
    proposer: 'lena@example.com',
    sponsor: 'Merchandising',
    title: 'Share a photo studio with partner brands',
    problem: 'Our product photos are booked three weeks ahead.',
    proposal: 'Swap studio days with two partner brands in town.',
    expectedOutcomes: 'Photos within a week of a product arriving.',
    fundingGoal: 3_000,
    skillsNeeded: ['Photography'],
    stage: 'SUBMITTED',
    endorsedBy: ['sam@example.com', 'jordan@example.com'],
    pledges: [['jordan@example.com', 'Merchandising', 1_000]],
  },
  {
    key: 'night-shift',
    proposer: 'ana@example.com',
    sponsor: 'Fulfillment',
    title: 'Night shift pilot for peak season',
    problem: 'Orders placed after 6 pm wait until morning to be picked.',
    proposal: 'Pilot a volunteer night shift for the six busiest weeks.',
    expectedOutcomes: 'Next-day delivery for evening orders.',
    fundingGoal: 2_500,
    skillsNeeded: ['Logistics'],
    hoursPerWeekNeeded: 20,
    stage: 'FUNDED',
    endorsedBy: ['priya@example.com'],
    pledges: [
      ['marcus@example.com', 'Fulfillment', 1_500],
      ['riley@example.com', 'People Ops', 1_000],
    ],
  },
  {
    key: 'four-day-week',
    proposer: 'noah@example.com',
    sponsor: 'People Ops',
    title: 'Four-day week for recruiters',
    problem: 'Recruiters burn out during hiring sprees.',
    proposal: 'Try four ten-hour days.',
    expectedOutcomes: 'Lower turnover in recruiting.',
    fundingGoal: 1_500,
    skillsNeeded: [],
    stage: 'REJECTED',
    decidedBy: 'riley@example.com',
    reason: 'Not during the spring hiring push; let us revisit in the summer.',
  },
  {
    key: 'book-club',
    proposer: 'priya@example.com',
    sponsor: 'People Ops',
    title: 'Weekly culture book club',
    problem: 'New hires rarely read the culture book after onboarding.',
    proposal: 'A lunchtime reading club, one chapter a week.',
    expectedOutcomes: 'A culture people talk about, not just read about.',
    fundingGoal: 500,
    skillsNeeded: ['Facilitation'],
    stage: 'WITHDRAWN',
  },
];

/** The initiative "Customer Service for Anything" became. */
export const DEMO_INITIATIVE = {
  idea: 'csfa',
  members: [
    ['sam@example.com', 3],
    ['ana@example.com', 2],
    ['lena@example.com', 2],
  ] as [email: string, hours: number][],
  milestones: [
    ['Pilot with five agents on Saturday mornings', true, 28, null],
    ['Train every agent on off-topic calls', true, 14, null],
    ['Open the hotline to all callers, all week', false, -21, 'lena@example.com'],
  ] as [title: string, done: boolean, dueDaysAgo: number, assignee: string | null][],
  metrics: [
    {
      name: 'Calls taken',
      unit: 'calls/week',
      baseline: 1_200,
      target: 2_000,
      direction: 'HIGHER_IS_BETTER' as const,
      reporter: 'ana@example.com',
      weekly: [1_210, 1_290, 1_380, 1_450, 1_560, 1_640],
    },
    {
      name: 'Average minutes per call',
      unit: 'minutes',
      baseline: 9.5,
      target: 8,
      direction: 'LOWER_IS_BETTER' as const,
      reporter: 'ana@example.com',
      weekly: [9.6, 9.4, 9.1, 8.9, 8.8, 8.6],
    },
    {
      name: 'Satisfaction',
      unit: 'points of 5',
      baseline: 4.2,
      target: 4.7,
      direction: 'HIGHER_IS_BETTER' as const,
      reporter: 'lena@example.com',
      weekly: [4.2, 4.3, 4.3, 4.4, 4.5, 4.5],
      // The owner corrects one reading: the original stays in the metric's history.
      correction: {
        week: 4,
        value: 4.4,
        reason: 'The survey export counted Saturday twice; recounted: 4.4',
      },
    },
  ],
  need: {
    title: 'Scripts for off-topic calls',
    description: 'Short, friendly scripts for the twenty most common non-order questions.',
    hoursPerWeek: 2,
    weeks: 3,
    ratePerHour: 25,
    requiredSkills: [['Copywriting', 2]] as [string, number][],
    bidder: 'noah@example.com',
  },
};
