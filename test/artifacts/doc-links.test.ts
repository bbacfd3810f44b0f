import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/root.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** README.md and every Markdown file under docs/, as paths from the repository's root. */
function documents(dir = 'docs'): string[] {
  const found = readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return documents(path);
    return e.name.endsWith('.md') ? [path] : [];
  });
  return dir === 'docs' ? ['README.md', ...found] : found;
}

/** The lines of a Markdown text outside fenced code blocks (``` or ~~~), with their line numbers. */
function prose(text: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((line, i) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) fence = marker;
    else if (fence !== null && marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
    else if (fence === null) out.push({ line, number: i + 1 });
  });
  return out;
}

/**
 * A heading's anchor as GitHub makes it: the text as rendered (link targets and
 * emphasis dropped), lowercase, without characters other than letters, digits,
 * spaces, hyphens and underscores, spaces as hyphens.
 */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown text's headings get; a repeated one gets -1, -2, … */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { line } of prose(text)) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Inline links and images `[text](target)` and reference definitions `[label]: target`, outside code. */
function links(text: string): { target: string; number: number }[] {
  const out: { target: string; number: number }[] = [];
  for (const { line, number } of prose(text)) {
    // A code span is not a link, but may be a link's text: keep a placeholder for it.
    const plain = line.replace(/(`+)(?:(?!\1).)+?\1/g, 'code');
    for (const m of plain.matchAll(/\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
      out.push({ target: m[1]!, number });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(plain);
    if (definition) out.push({ target: definition[1]!, number });
  }
  return out;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** What is wrong with one document's relative links: missing files, and anchors no heading makes. */
function brokenLinks(doc: string, text: string): string[] {
  const broken: string[] = [];
  for (const { target, number } of links(text)) {
    if (isExternal(target)) continue;
    const at = `${doc}:${number}: ${target}`;
    const hash = target.indexOf('#');
    const path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
    const fragment = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
    const file = path === '' ? join(ROOT, doc) : path.startsWith('/') ? join(ROOT, path) : join(ROOT, dirname(doc), path);
    if (!existsSync(file)) {
      broken.push(`${at}: no such file ${relative(ROOT, file)}`);
      continue;
    }
    if (fragment === null) continue;
    if (!file.endsWith('.md')) {
      // GitHub's line anchors are the only ones other files have.
      if (!/^L\d+(-L\d+)?$/.test(fragment)) broken.push(`${at}: ${relative(ROOT, file)} is not Markdown, so it has no #${fragment}`);
      continue;
    }
    const heads = anchors(file === join(ROOT, doc) ? text : readFileSync(file, 'utf8'));
    if (!heads.has(fragment)) broken.push(`${at}: no heading makes #${fragment} in ${relative(ROOT, file)}`);
  }
  return broken;
}

describe('documentation links', () => {
  it('points every relative link of README.md and docs/ at a file that exists, and every anchor at a heading', () => {
    const docs = documents();
    expect(docs).toContain('docs/architecture.md');
    expect(docs.flatMap((doc) => brokenLinks(doc, read(doc)))).toEqual([]);
  });

  it('keeps README.md a front door of at most 400 lines', () => {
    expect(read('README.md').replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(400);
  });

  it('catches a broken link', () => {
    // The check above is only as good as its parsing: known slugs, fences and broken links must be seen as such.
    expect(slug('Groups, direct chats, blocks, notifications and editing')).toBe('groups-direct-chats-blocks-notifications-and-editing');
    expect(slug("Signing in your app's users")).toBe('signing-in-your-apps-users');
    expect(slug('`WORKERS` and __proto__: 2 × N')).toBe('workers-and-__proto__-2--n');
    const text = [
      '# Top',
      '## Same',
      '## Same',
      '```sh',
      '# not a heading',
      '[inside a fence](nowhere.md)',
      '```',
      '[ok](#same-1) [external](https://example.com/x#y) [mail](mailto:a@b.c) `[code](nowhere.md)`',
      '[bad anchor](#not-a-heading) [missing](nowhere.md) [file anchor](README.md#no-such-heading) [dir](docs/)',
    ].join('\n');
    expect(brokenLinks('README.md', text).map((b) => b.replace(/:[^:]*$/, ''))).toEqual([
      'README.md:9: #not-a-heading',
      'README.md:9: nowhere.md',
      'README.md:9: README.md#no-such-heading',
    ]);
  });
});
