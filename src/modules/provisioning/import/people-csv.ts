import { parse } from 'csv-parse/sync';
import { isEmail } from 'class-validator';
import { MAX_WEEKLY_CAPACITY_HOURS } from '../../employee/employee-limits.js';

/**
 * The people file `npm run import:people` reads (README, "People and provisioning"): a header
 * row, then one person a row. Only email, name and home_team are required.
 */
export const COLUMNS = [
  'email',
  'name',
  'title',
  'home_team',
  'weekly_capacity_hours',
  'member_of',
  'lead_of',
  'active',
  'external_id',
] as const;
const REQUIRED = ['email', 'name', 'home_team'] as const;

/** One row, checked: what the file says of a person. */
export interface PersonRow {
  /** The row's first line in the file (1 is the header). */
  line: number;
  email: string;
  name: string;
  /** undefined: left as it is (a new person gets ''). */
  title?: string;
  homeTeam: string;
  /** undefined: left as it is (a new person gets 8). */
  weeklyCapacityHours?: number;
  /** Teams (by name) they are a MEMBER of besides their home team. */
  memberOf: string[];
  /** Teams (by name) they LEAD (their home team may be one). */
  leadOf: string[];
  /** undefined: left as it is (a new person is active). */
  active?: boolean;
  /** undefined: left as it is. */
  externalId?: string;
}

export interface RowError {
  line: number;
  message: string;
}

/** The most rows one file holds: an organisation's people, not a data dump. */
export const MAX_ROWS = 20_000;

const teamsOf = (cell: string): string[] =>
  cell
    .split(';')
    .map((name) => name.trim())
    .filter(Boolean);

/**
 * Parses and checks the whole file. Every bad row is reported with its line number (nothing is
 * applied unless there are none): unknown or missing columns, missing values, a bad e-mail, a
 * capacity out of range, a team both led and only joined, an e-mail twice in the file.
 */
export function parsePeopleCsv(text: string): { rows: PersonRow[]; errors: RowError[] } {
  let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    // One line ending (Windows' CRLF and old Macs' CR become LF), so that lines count as an
    // editor shows them, inside quoted cells too.
    records = parse(text.replace(/\r\n?/g, '\n'), {
      columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      raw: true,
    }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows: [], errors: [{ line, message: (error as Error).message }] };
  }
  const errors: RowError[] = [];
  const header = records[0] ? Object.keys(records[0].record) : [];
  const unknown = header.filter((column) => !(COLUMNS as readonly string[]).includes(column));
  const missing = REQUIRED.filter((column) => records.length && !header.includes(column));
  if (unknown.length || missing.length) {
    const parts = [
      unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
      missing.length ? `missing column(s) ${missing.join(', ')}` : '',
    ].filter(Boolean);
    return {
      rows: [],
      errors: [{ line: 1, message: `${parts.join('; ')} (columns: ${COLUMNS.join(', ')})` }],
    };
  }
  if (records.length > MAX_ROWS) {
    return { rows: [], errors: [{ line: 1, message: `More than ${MAX_ROWS} rows` }] };
  }
  const rows: PersonRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info, raw } of records) {
    // info.lines is the line the record ended on; its raw text (after the empty lines skipped
    // before it, up to its line break) says how many lines it spans.
    const spans = raw.replace(/^\n+/, '').replace(/\n$/, '').match(/\n/g)?.length ?? 0;
    const line = info.lines - spans;
    const problems: string[] = [];
    // Quoted cells keep their spaces in csv-parse: " Sales " would be a team of its own.
    const cell = (column: string) => (record[column] ?? '').trim();
    for (const column of REQUIRED) if (!cell(column)) problems.push(`${column} is required`);
    const email = cell('email').toLowerCase();
    if (email && (!isEmail(email) || email.length > 254))
      problems.push(`${email} is not an e-mail address`);
    if (email && seen.has(email)) problems.push(`${email} is on line ${seen.get(email)} too`);
    if (cell('name').length > 200) problems.push('name is longer than 200 characters');
    if (cell('title').length > 200) problems.push('title is longer than 200 characters');
    if (cell('external_id').length > 255)
      problems.push('external_id is longer than 255 characters');
    let weeklyCapacityHours: number | undefined;
    if (cell('weekly_capacity_hours')) {
      weeklyCapacityHours = Number(cell('weekly_capacity_hours'));
      if (
        !Number.isInteger(weeklyCapacityHours) ||
        weeklyCapacityHours < 0 ||
        weeklyCapacityHours > MAX_WEEKLY_CAPACITY_HOURS
      ) {
        problems.push(
          `weekly_capacity_hours must be a whole number from 0 to ${MAX_WEEKLY_CAPACITY_HOURS}`,
        );
      }
    }
    let active: boolean | undefined;
    if (cell('active')) {
      if (/^(true|yes|1)$/i.test(cell('active'))) active = true;
      else if (/^(false|no|0)$/i.test(cell('active'))) active = false;
      else problems.push('active must be true or false');
    }
    const memberOf = teamsOf(cell('member_of'));
    const leadOf = teamsOf(cell('lead_of'));
    const both = memberOf.filter((team) =>
      leadOf.some((led) => led.toLowerCase() === team.toLowerCase()),
    );
    if (both.length) problems.push(`${both.join(', ')}: in both member_of and lead_of`);
    const teams = [cell('home_team'), ...memberOf, ...leadOf];
    if (teams.some((team) => team.length > 120))
      problems.push('a team name is longer than 120 characters');
    if (problems.length) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    seen.set(email, line);
    rows.push({
      line,
      email,
      name: cell('name'),
      ...(cell('title') ? { title: cell('title') } : {}),
      homeTeam: cell('home_team'),
      ...(weeklyCapacityHours === undefined ? {} : { weeklyCapacityHours }),
      memberOf,
      leadOf,
      ...(active === undefined ? {} : { active }),
      ...(cell('external_id') ? { externalId: cell('external_id') } : {}),
    });
  }
  return { rows, errors };
}
