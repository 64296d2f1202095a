import { parsePeopleCsv } from '../../src/modules/provisioning/import/people-csv.js';

const HEADER =
  'email,name,title,home_team,weekly_capacity_hours,member_of,lead_of,active,external_id';
const lineOf = (text: string) => {
  const { rows, errors } = parsePeopleCsv(text);
  return {
    rows: rows.map((row) => [row.line, row.email, row.name, row.homeTeam]),
    errors: errors.map((error) => error.line),
  };
};

describe('people CSV', () => {
  it('numbers lines as an editor shows them, whatever the line endings and quoted newlines', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = [
        '\ufeff' + HEADER,
        `a@x.example,"Ada${eol}Lovelace",,Sales,,,,,`,
        '',
        'not-an-email,B,,Sales,,,,,',
        `c@x.example,C,"two${eol}${eol}lines",Sales,,,,,`,
        'also-not-an-email,D,,Sales,,,,,',
      ].join(eol);
      expect({ eol, ...lineOf(text) }).toEqual({
        eol,
        rows: [
          [2, 'a@x.example', 'Ada\nLovelace', 'Sales'],
          [6, 'c@x.example', 'C', 'Sales'],
        ],
        errors: [5, 9],
      });
    }
  });

  it('trims quoted cells too, so " Sales " is the team Sales', () => {
    expect(lineOf(`${HEADER}\n"a@x.example","  Ada  ",,"  Sales  ",,,,,\n`).rows).toEqual([
      [2, 'a@x.example', 'Ada', 'Sales'],
    ]);
  });

  it('takes formula-like cells as text (exports escape them)', () => {
    expect(lineOf(`${HEADER}\na@x.example,"=HYPERLINK(""x"")",,Sales,,,,,\n`).rows).toEqual([
      [2, 'a@x.example', '=HYPERLINK("x")', 'Sales'],
    ]);
  });
});
