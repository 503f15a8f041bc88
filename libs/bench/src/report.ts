import { round1, type Spread } from './stats.js';

export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  measured: Spread | null;
  baseline: Spread | null;
  /** measured / baseline (or baseline - measured for latency goals), with the goal it is held to. */
  ratio?: number;
  goal?: string;
  goalMet?: boolean;
  note?: string;
}

const fmt = (n: number) => (Number.isFinite(n) ? String(round1(n)) : '-');
const cell = (s: Spread | null) => (s ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '-');

/** The table printed at the end of a run: medians of the rounds with their range. */
export function renderTable(rows: Row[]): string {
  const header = ['scenario', 'metric', 'measured median (min–max)', 'baseline median (min–max)', 'ratio', 'goal', 'met'];
  const lines = rows.map((r) => [
    r.scenario,
    `${r.metric} [${r.unit}]`,
    r.note && !r.measured ? r.note : cell(r.measured),
    cell(r.baseline),
    r.ratio === undefined ? '' : Math.abs(r.ratio) < 10 ? r.ratio.toFixed(3) : fmt(r.ratio),
    r.goal ?? '',
    r.goalMet === undefined ? '' : r.goalMet ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
}
