/**
 * RFC 4180 records, as Go's encoding/csv reads them: quoted fields may hold
 * commas, doubled quotes and line breaks; records may differ in length.
 */

export interface CSVRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

export function parseCSV(text: string): CSVRecord[] {
  const records: CSVRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let atFieldStart = true;
  const endRecord = () => {
    fields.push(field);
    // A line with nothing on it is no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    atFieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (quoted) throw new Error(`line ${recordLine}: extraneous or missing " in quoted-field`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
