import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layers of reconciliation, bottom first. A folder may import only folders of lower
 * layers: never one above it, never a sibling of its own layer (so there can be no loop).
 * `(root)` is the files directly under src/ (the module that imports every feature module,
 * main, migrate and the command lines). A new folder must be placed here before it is used.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['config', 'migrations'],
  ['access'],
  ['ledger', 'clearing'],
  ['vault'],
  ['triage'],
  ['agents'],
  ['bulk-reconciliation'],
  ['(root)'],
];

const SRC = path.dirname(fileURLToPath(import.meta.url));

export interface ImportArrow {
  file: string;
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The top-level folder of src/ a file is in; `(root)` for files directly in src/, null outside src/. */
function folderOf(file: string): string | null {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep);
  return parts.length === 1 ? '(root)' : parts[0];
}

/** Relative module specifiers of a file: import/export ... from, side-effect imports and import(). */
export function relativeSpecifiers(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of withoutComments.matchAll(pattern)) if (match[1].startsWith('.')) found.push(match[1]);
  return found;
}

/** Every import arrow from one top-level folder to another, under `root`. */
export function importArrows(root: string = SRC): ImportArrow[] {
  const arrows: ImportArrow[] = [];
  for (const file of sourceFiles(root)) {
    const from = folderOf(file);
    if (from === null) continue;
    for (const specifier of relativeSpecifiers(fs.readFileSync(file, 'utf8'))) {
      const to = folderOf(path.resolve(path.dirname(file), specifier));
      if (to !== null && to !== from) arrows.push({ file: path.relative(SRC, file), from, to });
    }
  }
  return arrows;
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Arrows that point up or sideways, or from or to a folder no layer names. */
export function layerViolations(arrows: ImportArrow[]): string[] {
  const problems: string[] = [];
  for (const a of arrows) {
    const from = layerOf(a.from);
    const to = layerOf(a.to);
    if (from < 0) problems.push(`${a.file}: folder ${a.from}/ is in no layer; add it to LAYERS in module-layers.spec.ts`);
    else if (to < 0) problems.push(`${a.file} imports ${a.to}/, which is in no layer; add it to LAYERS in module-layers.spec.ts`);
    else if (to > from) problems.push(`${a.file} imports ${a.to}/, a layer above ${a.from}/`);
    else if (to === from) problems.push(`${a.file} imports ${a.to}/, a sibling of ${a.from}/ in the same layer`);
  }
  return problems;
}

/** Loops among folders, each as a path `a -> b -> a`; empty when there is none. */
export function folderLoops(arrows: ImportArrow[]): string[] {
  const edges = new Map<string, Set<string>>();
  for (const a of arrows) {
    if (!edges.has(a.from)) edges.set(a.from, new Set());
    edges.get(a.from)!.add(a.to);
  }
  const loops = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (folder: string): void => {
    state.set(folder, 'open');
    stack.push(folder);
    for (const next of [...(edges.get(folder) ?? [])].sort()) {
      if (state.get(next) === 'open') loops.add([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(folder, 'done');
  };
  for (const folder of [...edges.keys()].sort()) if (!state.has(folder)) visit(folder);
  return [...loops];
}

describe('reconciliation module layers', () => {
  const arrows = importArrows();

  it('finds the imports between folders (the parser works)', () => {
    expect(arrows.some((a) => a.from === '(root)' && a.to === 'triage')).toBe(true);
    expect(arrows.some((a) => a.from === 'triage' && a.to === 'ledger')).toBe(true);
    expect(
      relativeSpecifiers(
        `import type {\n  A,\n} from '../x/a.js';\nexport { b } from './b.js';\nimport '../c/c.js';\nconst d = await import('../d/d.js');\n// import { e } from '../e/e.js';`,
      ),
    ).toEqual(['../x/a.js', './b.js', '../c/c.js', '../d/d.js']);
  });

  it('places every folder of src/ in a layer', () => {
    const folders = new Set(sourceFiles(SRC).map((f) => folderOf(f)!));
    expect([...folders].filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('has no folder importing one above it or beside it', () => {
    expect(layerViolations(arrows)).toEqual([]);
  });

  it('has no loop between folders', () => {
    expect(folderLoops(arrows)).toEqual([]);
  });

  it('would catch an upward import and a loop', () => {
    const bad: ImportArrow[] = [
      { file: 'ledger/x.ts', from: 'ledger', to: 'triage' },
      { file: 'triage/y.ts', from: 'triage', to: 'ledger' },
    ];
    expect(layerViolations(bad)).toEqual(['ledger/x.ts imports triage/, a layer above ledger/']);
    expect(folderLoops(bad)).toEqual(['ledger -> triage -> ledger']);
  });
});
