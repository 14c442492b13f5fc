/** The benchmark table, its JSON and an SVG bar chart of ratio against target. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, spread } from './stats';

export interface Figure {
  scenario: string;
  unit: string;
  ours: number;
  oursSpread: number;
  reference: number;
  referenceSpread: number;
  referenceName: string;
  /** ours / reference */
  ratio: number;
  target: { op: '>=' | '<='; value: number };
}

/** A figure from the repetitions of both sides: medians, spreads and their ratio. */
export function makeFigure(scenario: string, unit: string, ours: number[], reference: number[], referenceName: string, target: Figure['target']): Figure {
  return {
    scenario,
    unit,
    ours: median(ours),
    oursSpread: spread(ours),
    reference: median(reference),
    referenceSpread: spread(reference),
    referenceName,
    ratio: median(ours) / median(reference),
    target,
  };
}

export function met(f: Figure): boolean {
  return f.target.op === '>=' ? f.ratio >= f.target.value : f.ratio <= f.target.value;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (n: number) => `±${(n * 50).toFixed(0)}%`;

export function table(figures: Figure[]): string {
  const header = '| scenario | ours | reference | ratio | target | met |\n|---|---|---|---|---|---|';
  const rows = figures.map(
    (f) =>
      `| ${f.scenario} | ${fmt(f.ours)} ${f.unit} (${pct(f.oursSpread)}) | ${fmt(f.reference)} ${f.unit} ${f.referenceName} (${pct(f.referenceSpread)}) | ${f.ratio.toFixed(2)} | ${f.target.op} ${f.target.value} | ${met(f) ? 'yes' : 'no'} |`,
  );
  return [header, ...rows].join('\n');
}

function svg(figures: Figure[]): string {
  const width = 760;
  const rowHeight = 34;
  const left = 330;
  const scale = (width - left - 60) / Math.max(3, ...figures.map((f) => Math.max(f.ratio, f.target.value)));
  const rows = figures.map((f, i) => {
    const y = 30 + i * rowHeight;
    const bar = Math.max(1, f.ratio * scale);
    const target = left + f.target.value * scale;
    return [
      `<text x="${left - 8}" y="${y + 16}" text-anchor="end" font-size="12">${f.scenario.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${bar.toFixed(1)}" height="18" fill="${met(f) ? '#3a7d44' : '#b33a3a'}"/>`,
      `<line x1="${target.toFixed(1)}" y1="${y}" x2="${target.toFixed(1)}" y2="${y + 26}" stroke="#222" stroke-dasharray="3,2"/>`,
      `<text x="${left + bar + 6}" y="${y + 17}" font-size="11">${f.ratio.toFixed(2)} (target ${f.target.op} ${f.target.value})</text>`,
    ].join('');
  });
  const height = 40 + figures.length * rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><text x="10" y="18" font-size="13">ours ÷ reference, measured in one run (dashed: target)</text>${rows.join('')}</svg>\n`;
}

export function save(figures: Figure[], dir: string): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const chart = path.join(dir, 'latest.svg');
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
  writeFileSync(json, JSON.stringify({ machine, figures }, null, 2));
  writeFileSync(chart, svg(figures));
  return { json, svg: chart };
}
