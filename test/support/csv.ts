import { parse } from 'csv-parse/sync';

/** An RFC 4180 CSV file's rows of cells. */
export const csvRows = (text: string): string[][] => parse(text) as string[][];

/**
 * The cells of a CSV line as a spreadsheet whose list separator is `separator` reads it when
 * it imports the file (Excel and LibreOffice use ';' in German, French, Dutch, Spanish,
 * Italian… locales): quotes honoured, text after a closing quote kept in the cell, spaces
 * around a cell trimmed. A model of what such a program does, which no CSV library mimics.
 */
export function cellsAsSpreadsheetReads(line: string, separator: ',' | ';'): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  return [...cells, cell.trim()];
}
