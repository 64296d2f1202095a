// The dashboard page: signs in, then draws everything from the public GraphQL API with the
// user's token. No build step; Chart.js is served by the service at /dashboard/chart.js.

const TOKEN_KEY = 'mbd.token';
const number = new Intl.NumberFormat('en');
const $ = (selector) => document.querySelector(selector);

/** Charts by name, so they can be replaced on reload (and inspected by the browser test). */
const charts = {};
window.dashboardCharts = charts;

const TEAM_PAGE = `teams(first: 100, after: $after) {
  nodes { name allocated earned spent pledged refunded net balance hoursPending hoursDisputed hoursPaid hoursRefunded }
  pageInfo { hasNextPage endCursor }
}`;

const DASHBOARD_QUERY = `
  query Dashboard($period: DateRange, $after: String) {
    me { name }
    initiativeOutcomes {
      totals { initiativeCount funded spent averageOutcomeScore byStatus { status count } }
      initiatives(first: 20) {
        nodes {
          title status budget spent remaining hoursCommittedPerWeek hoursLogged allTimeMemberCount
          milestonesDone milestonesTotal milestoneProgressPercent outcomeScore
          sponsorTeam { name } memberTeams { name }
          metrics { name unit direction baseline latestValue target progressPercent series }
        }
      }
    }
    marketStats(first: 12, filter: { period: $period }) {
      asOf
      skills {
        skill { name } openDemandHoursPerWeek supplyHoursPerWeek openNeeds holders
        needsPosted needsFilled fillRatePercent medianHoursToFill acceptedBids
        acceptedRate { p25 median p75 }
      }
    }
    ideaFunnel { steps { stage reached conversionPercent medianHoursInStage } rejected withdrawn }
    teamPnl(period: $period) {
      period { from to }
      totals { allocated earned spent pledged refunded net hoursPending hoursDisputed hoursPaid hoursRefunded }
      weekly { week earned spent pledged }
      ${TEAM_PAGE}
    }
  }`;

const MORE_TEAMS_QUERY = `
  query MoreTeams($period: DateRange, $after: String) { teamPnl(period: $period) { ${TEAM_PAGE} } }`;

async function graphql(query, variables = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    showSignIn();
    throw new Error('Please sign in');
  }
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

function showSignIn() {
  sessionStorage.removeItem(TOKEN_KEY);
  $('#dashboard').hidden = true;
  $('#sign-out').hidden = true;
  $('#who').textContent = '';
  $('#sign-in').hidden = false;
}

function period() {
  const weeks = $('#period').value;
  if (weeks === 'all') return null;
  const from = new Date(Date.now() - (Number(weeks) * 7 - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) };
}

/** Every team's P&L: the first page comes with the dashboard, the rest a page at a time. */
async function allTeams(firstPage, variables) {
  const teams = [...firstPage.nodes];
  let pageInfo = firstPage.pageInfo;
  while (pageInfo.hasNextPage) {
    const data = await graphql(MORE_TEAMS_QUERY, { ...variables, after: pageInfo.endCursor });
    teams.push(...data.teamPnl.teams.nodes);
    pageInfo = data.teamPnl.teams.pageInfo;
  }
  return teams;
}

async function load() {
  const variables = { period: period() };
  const data = await graphql(DASHBOARD_QUERY, variables);
  const teams = await allTeams(data.teamPnl.teams, variables);
  $('#sign-in').hidden = true;
  $('#dashboard').hidden = false;
  $('#sign-out').hidden = false;
  $('#who').textContent = `Signed in as ${data.me.name}`;
  renderTotals(data.initiativeOutcomes.totals);
  renderOutcomes(data.initiativeOutcomes.initiatives.nodes);
  renderMarket(data.marketStats);
  renderFunnel(data.ideaFunnel);
  renderPnl({ ...data.teamPnl, teams });
  document.body.dataset.loaded = 'true';
}

function renderTotals(totals) {
  $('#total-funded').textContent = number.format(totals.funded);
  $('#total-spent').textContent = number.format(totals.spent);
  const byStatus = totals.byStatus.map((s) => `${s.count} ${s.status.toLowerCase()}`).join(' · ');
  $('#total-initiatives').textContent = `${totals.initiativeCount}`;
  $('#total-initiatives').title = byStatus;
  $('#average-score').textContent =
    totals.averageOutcomeScore === null ? '–' : `${totals.averageOutcomeScore}`;
}

function bar(label, percent, kind, detail) {
  const shown = percent === null || percent === undefined ? 0 : Math.max(0, Math.min(100, percent));
  const text = percent === null || percent === undefined ? '–' : `${percent} %`;
  return `<div class="bar ${kind}"><span>${label}: ${text}${detail ? ` <span class="muted">${detail}</span>` : ''}</span>
    <div class="track"><div class="fill" data-percent="${shown}"></div></div></div>`;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderOutcomes(outcomes) {
  const container = $('#outcomes');
  for (const key of Object.keys(charts).filter((k) => k.startsWith('sparkline:'))) {
    charts[key].destroy();
    delete charts[key];
  }
  if (outcomes.length === 0) {
    container.innerHTML = '<p class="muted">No initiatives yet.</p>';
    return;
  }
  container.innerHTML = outcomes
    .map((o, i) => {
      const spentPercent = o.budget ? Math.round((o.spent / o.budget) * 1000) / 10 : 0;
      const metrics = o.metrics
        .map(
          (m, j) => `<div class="metric" data-metric="${escape(m.name)}">
            <span><strong>${escape(m.name)}</strong> ${m.latestValue ?? '–'} → ${m.target} ${escape(m.unit)}
              <span class="muted">(${m.progressPercent ?? '–'} %)</span></span>
            <canvas id="spark-${i}-${j}" width="120" height="32"></canvas></div>`,
        )
        .join('');
      return `<article class="initiative" data-testid="initiative">
        <div><h3>${escape(o.title)}</h3><span class="badge">${o.status}</span>
          <p class="muted">Sponsor ${escape(o.sponsorTeam.name)} · ${o.allTimeMemberCount} members from
            ${o.memberTeams.map((t) => escape(t.name)).join(', ') || 'no team yet'} ·
            ${o.hoursCommittedPerWeek} h/week · ${o.hoursLogged} h logged</p></div>
        <div>${bar('Outcome score', o.outcomeScore, 'score')}
          ${bar('Milestones', o.milestoneProgressPercent, '', `${o.milestonesDone} of ${o.milestonesTotal}`)}
          ${bar('Budget spent', spentPercent, 'money', `${number.format(o.spent)} of ${number.format(o.budget)}`)}</div>
        <div>${metrics || '<p class="muted">No outcome metrics yet.</p>'}</div>
      </article>`;
    })
    .join('');
  // Widths are set here, not in markup: the page's Content-Security-Policy allows no inline styles.
  for (const fill of container.querySelectorAll('.fill'))
    fill.style.width = `${fill.dataset.percent}%`;
  outcomes.forEach((o, i) =>
    o.metrics.forEach((m, j) => {
      charts[`sparkline:${o.title}:${m.name}`] = new Chart($(`#spark-${i}-${j}`), {
        type: 'line',
        data: {
          labels: m.series.map((_, k) => k + 1),
          datasets: [{ data: m.series, borderWidth: 1.5, pointRadius: 0 }],
        },
        options: {
          responsive: false,
          animation: false,
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
          scales: { x: { display: false }, y: { display: false } },
        },
      });
    }),
  );
}

function replaceChart(name, canvas, config) {
  charts[name]?.destroy();
  charts[name] = new Chart(canvas, { ...config, options: { animation: false, ...config.options } });
}

function renderMarket(market) {
  $('#as-of').textContent = `Market figures as of ${new Date(market.asOf).toLocaleTimeString()}`;
  const skills = market.skills;
  replaceChart('market', $('#market-chart'), {
    type: 'bar',
    data: {
      labels: skills.map((s) => s.skill.name),
      datasets: [
        { label: 'Open demand (h/week)', data: skills.map((s) => s.openDemandHoursPerWeek) },
        { label: 'Spare supply (h/week)', data: skills.map((s) => s.supplyHoursPerWeek) },
      ],
    },
  });
  $('#market-table').innerHTML =
    '<tr><th>Skill</th><th>Demand</th><th>Supply</th><th>Rate p25 · median · p75</th><th>Fill rate</th><th>Hours to fill</th></tr>' +
    skills
      .map(
        (
          s,
        ) => `<tr><td>${escape(s.skill.name)}</td><td>${s.openDemandHoursPerWeek}</td><td>${s.supplyHoursPerWeek}</td>
          <td>${s.acceptedRate ? `${s.acceptedRate.p25} · ${s.acceptedRate.median} · ${s.acceptedRate.p75}` : '–'}</td>
          <td>${s.fillRatePercent === null ? '–' : `${s.fillRatePercent} %`}</td><td>${s.medianHoursToFill ?? '–'}</td></tr>`,
      )
      .join('');
}

function renderFunnel(funnel) {
  replaceChart('funnel', $('#funnel-chart'), {
    type: 'bar',
    data: {
      labels: funnel.steps.map((s) => s.stage),
      datasets: [{ label: 'Ideas', data: funnel.steps.map((s) => s.reached) }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } } },
  });
  $('#funnel-table').innerHTML =
    '<tr><th>Stage</th><th>Reached</th><th>Conversion</th><th>Median hours in stage</th></tr>' +
    funnel.steps
      .map(
        (s) => `<tr><td>${s.stage}</td><td>${s.reached}</td>
          <td>${s.conversionPercent === null ? '–' : `${s.conversionPercent} %`}</td><td>${s.medianHoursInStage ?? '–'}</td></tr>`,
      )
      .join('') +
    `<tr><td colspan="4" class="muted">${funnel.rejected} rejected · ${funnel.withdrawn} withdrawn</td></tr>`;
}

function renderPnl(pnl) {
  replaceChart('pnl', $('#pnl-chart'), {
    type: 'bar',
    data: {
      labels: pnl.weekly.map((w) => w.week),
      datasets: [
        { label: 'Earned', data: pnl.weekly.map((w) => w.earned) },
        { label: 'Spent on needs', data: pnl.weekly.map((w) => w.spent) },
        { label: 'Pledged', data: pnl.weekly.map((w) => w.pledged) },
      ],
    },
  });
  const row = (
    name,
    f,
    balance,
  ) => `<tr><td>${escape(name)}</td><td>${number.format(f.allocated)}</td>
    <td>${number.format(f.earned)}</td><td>${number.format(f.spent)}</td><td>${number.format(f.pledged)}</td>
    <td>${number.format(f.refunded)}</td><td>${number.format(f.net)}</td><td>${balance}</td>
    <td>${number.format(f.hoursPending)}</td><td>${number.format(f.hoursDisputed)}</td>
    <td>${number.format(f.hoursPaid)}</td><td>${number.format(f.hoursRefunded)}</td></tr>`;
  $('#pnl-table').innerHTML =
    '<tr><th>Team</th><th>Allocated</th><th>Earned</th><th>Spent</th><th>Pledged</th><th>Refunded</th><th>Net</th><th>Balance</th>' +
    '<th title="Hours worked, waiting for the buyer’s review: not earned yet">Hours pending</th>' +
    '<th title="Hours the buyer disputes: not earned yet">Hours disputed</th>' +
    '<th title="Hours approved and paid: what Earned counts">Hours paid</th>' +
    '<th title="Disputed hours refunded to the buyer">Hours refunded</th></tr>' +
    pnl.teams.map((t) => row(t.name, t, number.format(t.balance))).join('') +
    row('All teams', pnl.totals, '');
}

async function download(path, filename) {
  const p = period();
  const query = p ? `?from=${p.from}&to=${p.to}` : '';
  const response = await fetch(`${path}${query}`, {
    headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` },
  });
  if (!response.ok) return alert(`Export failed (${response.status})`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = filename;
  link.click();
  URL.revokeObjectURL(link.href);
}

$('#sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('#sign-in-error').textContent = '';
  try {
    const data = await graphql(
      'mutation Login($input: LoginInput!) { login(input: $input) { token } }',
      { input: { email: form.get('email'), password: form.get('password') } },
    );
    sessionStorage.setItem(TOKEN_KEY, data.login.token);
    await load();
  } catch (error) {
    $('#sign-in-error').textContent = error.message;
  }
});
$('#sign-out').addEventListener('click', showSignIn);
$('#period').addEventListener('change', () => load().catch((e) => alert(e.message)));
$('#export-outcomes').addEventListener('click', () =>
  download('/export/initiative-outcomes.csv', 'initiative-outcomes.csv'),
);
$('#export-pnl').addEventListener('click', () => download('/export/team-pnl.csv', 'team-pnl.csv'));

if (sessionStorage.getItem(TOKEN_KEY)) load().catch(() => showSignIn());
else showSignIn();
