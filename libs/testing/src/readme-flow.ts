/**
 * Reads the shell blocks of the README as a reader would run them: one step per command
 * (lines joined at a trailing backslash), each with what the README says it answers (the
 * `# → …` comment under it and the comment lines that continue it).
 */
export interface ReadmeStep {
  /** The command as written, continuation lines joined. */
  command: string;
  /** The comment lines that say what it answers, without the leading `#`. */
  expected: string;
}

/** The first ```bash block after the heading or sentence `marker`. */
export function readmeBlock(readme: string, marker: string): string {
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`the README has no "${marker}"`);
  const open = readme.indexOf('```bash\n', at);
  if (open < 0) throw new Error(`no bash block after "${marker}" in the README`);
  const close = readme.indexOf('\n```', open + 8);
  return readme.slice(open + 8, close);
}

export function readmeSteps(block: string): ReadmeStep[] {
  const steps: ReadmeStep[] = [];
  const lines = block.split('\n');
  let pending = '';
  let expecting = false;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (pending) {
      pending += ` ${line.trim()}`;
      if (!line.endsWith('\\')) {
        steps.push({ command: pending.replace(/\s*\\\s+/g, ' ').trim(), expected: '' });
        pending = '';
      }
      continue;
    }
    if (line.trim() === '') {
      expecting = false;
      continue;
    }
    if (line.startsWith('#')) {
      const text = line.replace(/^#\s?/, '');
      if (text.startsWith('→')) expecting = true;
      else if (!/^\s/.test(text)) expecting = false;
      const last = steps[steps.length - 1];
      if (expecting && last) last.expected += `${text}\n`;
      continue;
    }
    if (line.endsWith('\\')) pending = line;
    else steps.push({ command: line.trim(), expected: '' });
  }
  return steps;
}

/** A field and value the README promises, `"status":"AUTO_RESOLVED"` → ['status', 'AUTO_RESOLVED']. */
export type Promised = [field: string, value: string | number | boolean | null];

/**
 * The fields the README shows with a literal value. Elided values (`"…"`) are left out;
 * digits in a shown string stand for any digits (a ticket number carries its day).
 */
export function promisedFields(expected: string): Promised[] {
  const out: Promised[] = [];
  for (const match of expected.matchAll(/"(\w+)":(?:"([^"]*)"|(true|false|null|-?\d+(?:\.\d+)?))/g)) {
    const [, field, text, literal] = match;
    if (text !== undefined) {
      if (!text.includes('…')) out.push([field, text]);
    } else out.push([field, literal === 'null' ? null : literal === 'true' ? true : literal === 'false' ? false : Number(literal)]);
  }
  return out;
}

function sameValue(actual: unknown, promised: Promised[1]): boolean {
  if (typeof promised === 'string') {
    if (typeof actual !== 'string') return false;
    const pattern = promised.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
    return new RegExp(`^${pattern}$`).test(actual);
  }
  return actual === promised;
}

/** Whether `field` holds `value` anywhere in the JSON answer (at any depth, in any array element). */
export function holds(answer: unknown, [field, value]: Promised): boolean {
  if (Array.isArray(answer)) return answer.some((item) => holds(item, [field, value]));
  if (answer && typeof answer === 'object') {
    for (const [key, inner] of Object.entries(answer)) {
      if (key === field && sameValue(inner, value)) return true;
      if (holds(inner, [field, value])) return true;
    }
  }
  return false;
}
