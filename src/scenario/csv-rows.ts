/**
 * Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, newlines and doubled
 * quotes; CRLF or LF line ends). A small parser of its own so that loading a scenario does not
 * pull in d3, which costs a tenth of a second at every CLI start.
 */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const n = text.length;
  let quoted = false;
  let any = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34 /* " */) {
        if (text.charCodeAt(i + 1) === 34) {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      const next = text.indexOf('"', i);
      const end = next < 0 ? n : next;
      cell += text.slice(i, end);
      i = end;
      continue;
    }
    if (c === 34 && cell === '') {
      quoted = true;
      any = true;
      i++;
    } else if (c === 44 /* , */) {
      row.push(cell);
      cell = '';
      any = true;
      i++;
    } else if (c === 10 || c === 13) {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      any = false;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 10 || d === 13) break;
        j++;
      }
      cell += text.slice(i, j);
      any = true;
      i = j;
    }
  }
  if (any || cell !== '') {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
