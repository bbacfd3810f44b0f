// A plain SVG bar chart of one run: per scenario and subject, the share of the
// scenario's main reference (left) and the p99 latency (right).
import type { BenchRow } from './result.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chart(rows: BenchRow[], title: string): string {
  const W = 960,
    LABEL = 300,
    ROW = 22,
    TOP = 56;
  const share = { x: LABEL + 10, w: 300 };
  const p99 = { x: share.x + share.w + 40, w: W - (share.x + share.w + 40) - 20 };
  // Bars use 85% of a panel, leaving room for the value after the longest one;
  // the scale stops at 200% so one far-off row does not flatten the others (its bar is cut, its label true).
  const maxShare = Math.min(2, Math.max(1, ...rows.map((r) => r.share ?? 0))) / 0.85;
  const maxP99 = Math.max(1, ...rows.map((r) => r.p99Ms ?? 0));
  const out: string[] = [];
  let y = TOP;
  let scenario = '';
  for (const r of rows) {
    if (r.scenario !== scenario) {
      scenario = r.scenario;
      y += 6;
      out.push(`<text x="8" y="${y + 15}" font-weight="bold">${esc(scenario)}</text>`);
      y += ROW;
    }
    const fill = r.reference ? '#9aa5b1' : '#2f6fdf';
    out.push(`<text x="20" y="${y + 15}">${esc(r.subject)}</text>`);
    if (r.share !== undefined) {
      const w = (Math.min(r.share, maxShare * 0.85) / maxShare) * share.w;
      out.push(`<rect x="${share.x}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" fill="${fill}"/>`);
      out.push(`<text x="${(share.x + w + 4).toFixed(1)}" y="${y + 15}">${(r.share * 100).toFixed(1)}%</text>`);
    } else {
      out.push(`<text x="${share.x}" y="${y + 15}" fill="#777">${esc(r.note?.startsWith('failed') ? 'failed' : 'n/a')}</text>`);
    }
    if (r.p99Ms !== undefined) {
      const w = (r.p99Ms / maxP99) * p99.w * 0.8; // the value label needs the rest
      out.push(`<rect x="${p99.x}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" fill="${fill}"/>`);
      out.push(`<text x="${(p99.x + w + 4).toFixed(1)}" y="${y + 15}">${r.p99Ms.toFixed(1)} ms</text>`);
    }
    y += ROW;
  }
  const H = y + 30;
  const oneX = share.x + share.w / maxShare;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text x="${share.x}" y="${TOP - 6}" font-weight="bold">share of the reference (raw ws = 100%)</text>`,
    `<text x="${p99.x}" y="${TOP - 6}" font-weight="bold">p99 send→receive at half load</text>`,
    `<line x1="${oneX}" y1="${TOP}" x2="${oneX}" y2="${y}" stroke="#444" stroke-dasharray="3,3"/>`,
    ...out,
    `<text x="8" y="${H - 10}" fill="#555">grey: reference servers, blue: Parley. Shares are of the same run; absolute rates depend on the machine and its load.</text>`,
    '</svg>',
  ].join('\n');
}
