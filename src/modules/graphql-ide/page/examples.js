// The operations a first visit opens with, one tab each (from the README's "Try the API").
// GraphiQL keeps the tabs in localStorage afterwards, so these only seed an empty browser.

const ME = `# Who am I? (Sign in above first.)
{
  me {
    name
  }
}
`;

const OPEN_NEEDS = `# Open needs in the market, for a skill
query OpenNeeds {
  needs(filter: { status: OPEN, skill: "phone support" }) {
    nodes {
      id
      title
      ratePerHour
      remainingHoursPerWeek
    }
  }
}
`;

const IDEAS = `# Ideas waiting for funding, most endorsed first
query IdeasToFund {
  ideas(filter: { status: SUBMITTED }, sort: MOST_ENDORSED) {
    nodes {
      title
      endorsementCount
      fundedPercent
    }
  }
}
`;

const TEAMS = `# Teams, their balances and leads
query Teams {
  teams {
    nodes {
      id
      name
      balance
      leads {
        name
      }
    }
  }
}
`;

const BIDS_LIVE = `# Bids on a need as they come, over WebSocket (graphql-ws),
# for leads of the buying team: put one of its needs' id below.
subscription BidsPlaced {
  bidPlaced(needId: "<need id>") {
    id
    hoursPerWeek
    ratePerHour
    message
    bidder {
      name
    }
  }
}
`;

/** GraphiQL's `defaultTabs`. */
export const EXAMPLE_TABS = [ME, OPEN_NEEDS, IDEAS, TEAMS, BIDS_LIVE].map((query) => ({ query }));
