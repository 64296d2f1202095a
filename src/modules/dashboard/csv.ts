import { stringify } from 'csv-stringify/sync';

/**
 * Rows as CSV with a header line, columns in this order. Anyone can name an idea (so an
 * initiative), owners name metrics: a text cell starting with =, +, -, @, tab or CR gets a
 * leading apostrophe so that spreadsheets show it instead of evaluating it (OWASP's CSV
 * injection advice). Every text cell is quoted too: a spreadsheet whose list separator is ';'
 * (Excel in most European locales) would otherwise split `X;=cmd|…` into cells, the second a
 * formula no apostrophe guards. Numbers are left alone, unquoted: a net of -50 must stay a
 * number, so numeric cells must be passed as numbers, never as strings.
 */
export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  return stringify(rows, { header: true, columns, escape_formulas: true, quoted_string: true });
}
