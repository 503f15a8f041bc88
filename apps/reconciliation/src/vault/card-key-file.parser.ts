/** One card key as read from an import file, with where it came from. */
export interface CardKeyRow {
  line: number;
  sku: unknown;
  secret: unknown;
  expiresAt?: unknown;
}

export class ImportFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ImportFormatError';
  }
}

/** Splits one CSV record (RFC 4180 quoting) into fields. */
function splitCsvLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) throw new ImportFormatError(line, 'unterminated quoted field');
  fields.push(field);
  return fields;
}

/**
 * Parses a CSV of card keys. The first line names the columns: `sku` and `secret` are
 * required, `expiresAt` is optional. Line numbers count from 1 at the header, as an
 * editor shows them. Blank lines are skipped.
 */
export function parseCardKeyCsv(text: string): CardKeyRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '', 1).map((h) => h.trim());
  for (const required of ['sku', 'secret']) {
    if (!header.includes(required)) throw new ImportFormatError(1, 'the header must name the columns sku and secret (and optionally expiresAt)');
  }
  const unknown = header.filter((h) => !['sku', 'secret', 'expiresAt'].includes(h));
  if (unknown.length > 0) throw new ImportFormatError(1, `${unknown.length} unknown column(s); only sku, secret and expiresAt are read`);
  const rows: CardKeyRow[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const fields = splitCsvLine(raw, i + 1);
    if (fields.length !== header.length) throw new ImportFormatError(i + 1, `expected ${header.length} fields, found ${fields.length}`);
    const record: Record<string, string> = {};
    header.forEach((name, index) => {
      record[name] = fields[index].trim();
    });
    rows.push({ line: i + 1, sku: record.sku, secret: record.secret, expiresAt: record.expiresAt || undefined });
  }
  return rows;
}

/** Reads `{ "keys": [ { sku, secret, expiresAt? }, ... ] }` or a bare array; item N is "line" N. */
export function parseCardKeyJson(value: unknown): CardKeyRow[] {
  const list = Array.isArray(value) ? value : (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new ImportFormatError(1, 'expected { "keys": [ { "sku", "secret", "expiresAt"? } ] }');
  return list.map((item, index) => {
    const o = (item ?? {}) as Record<string, unknown>;
    return { line: index + 1, sku: o.sku, secret: o.secret, expiresAt: o.expiresAt };
  });
}
