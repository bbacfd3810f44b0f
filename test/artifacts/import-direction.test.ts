import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/root.js';

// The layers of src/, lowest first: a file may import its own layer and the
// ones below it, never one above (type-only imports included).
// docs/architecture.md's Layout section draws the same picture.
const LAYERS: [rank: number, paths: string[]][] = [
  [0, ['lib/', 'generated/']],
  // The public hook API is written in domain types only, so operators' modules never depend on service internals.
  [1, ['domain/', 'config.ts', 'hooks/types.ts']],
  [2, ['db/', 'metrics/']],
  [3, ['pubsub/', 'realtime/', 'auth/', 'limits/']],
  [4, ['deps.ts']],
  [5, ['modules/']],
  [6, ['hooks/', 'schema/', 'plugins/', 'transport/', 'modules/*.schema.ts']],
  [7, ['compose.ts', 'app.ts', 'main.ts', 'workers.ts']],
];

const SRC = join(ROOT, 'src/');

function layerOf(file: string): number | undefined {
  let found: number | undefined;
  let longest = -1;
  for (const [rank, paths] of LAYERS) {
    for (const p of paths) {
      const matches =
        p === 'modules/*.schema.ts'
          ? file.startsWith('modules/') && file.endsWith('.schema.ts')
          : p.endsWith('/')
            ? file.startsWith(p)
            : file === p;
      // The most specific entry wins: hooks/types.ts over hooks/, a module's schema file over modules/.
      const weight = p === 'modules/*.schema.ts' ? 1000 : p.length;
      if (matches && weight > longest) [found, longest] = [rank, weight];
    }
  }
  return found;
}

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every relative import of a file, as paths under src/ (".js" specifiers name the ".ts" sources). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts'));
}

const files = sources();
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => !t.startsWith('..'))]));

describe('import direction', () => {
  it('puts every source file in a layer', () => {
    expect(files.filter((f) => layerOf(f) === undefined)).toEqual([]);
  });

  it('never imports a layer above', () => {
    const against: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const [a, b] = [layerOf(from), layerOf(to)];
        if (a !== undefined && b !== undefined && b > a) against.push(`${from} (layer ${a}) imports ${to} (layer ${b})`);
      }
    }
    expect(against).toEqual([]);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') return void cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('is drawn in docs/architecture.md, every top-level entry of src/ in its layer', () => {
    const architecture = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const start = architecture.indexOf('## Layout');
    const drawn = new Map<string, number>();
    let rank = -1;
    for (const line of architecture.slice(start, architecture.indexOf('\n## ', start + 1)).split('\n')) {
      // A group's first line starts with its layer's number; the lines under it belong to it.
      const number = /^(\d) /.exec(line);
      if (number) rank = Number(number[1]);
      for (const [entry] of line.matchAll(/src\/[\w.-]+\/?(?!\*)/g)) if (!drawn.has(entry)) drawn.set(entry, rank);
    }
    const entries = readdirSync(SRC, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    expect(
      entries
        .filter((e) => drawn.get(`src/${e}`) !== layerOf(e))
        .map((e) => `src/${e}: drawn in ${drawn.get(`src/${e}`)}, layer ${layerOf(e)}`),
    ).toEqual([]);
  });

  it('catches an import against the direction', () => {
    // The checks above are only as good as the parsing: a known upward import must be seen as one.
    expect(layerOf('db/index.ts')).toBeLessThan(layerOf('modules/messages/messages.service.ts')!);
    expect(layerOf('modules/messages/messages.schema.ts')).toBeGreaterThan(layerOf('modules/messages/messages.service.ts')!);
    expect(layerOf('hooks/types.ts')).toBeLessThan(layerOf('hooks/run.ts')!);
    expect([..."import type { Deps } from '../deps.js';\nconst m = await import('./x.js');".matchAll(SPECIFIER)].map((m) => m[1])).toEqual([
      '../deps.js',
      './x.js',
    ]);
  });
});
