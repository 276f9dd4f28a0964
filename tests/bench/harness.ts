/**
 * A tiny benchmark harness: each suite measures its subject beside a baseline measured in the same run on
 * the same machine, so the ratio means something even where absolute figures vary. Tests never assert times;
 * this prints them.
 */
import { performance } from 'node:perf_hooks';

export interface Measurement {
  name: string;
  unit: string;
  iterations: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** Operations per second over the whole run. */
  rate: number;
}

export interface BenchRow {
  suite: string;
  subject: Measurement;
  baseline?: Measurement;
  /** subject p50 / baseline p50 (lower is better); absent without a baseline. */
  ratio?: number;
  target?: string;
  note?: string;
}

export interface Suite {
  name: string;
  run(): Promise<BenchRow[]>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Times `fn` `iterations` times after a warm-up, in milliseconds per call. */
export async function measure(name: string, fn: () => unknown, options: { iterations?: number; warmup?: number } = {}): Promise<Measurement> {
  const iterations = options.iterations ?? 1000;
  const warmup = options.warmup ?? Math.min(100, iterations);
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = new Array(iterations);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples[i] = performance.now() - t0;
  }
  const total = performance.now() - started;
  samples.sort((a, b) => a - b);
  return {
    name,
    unit: 'ms',
    iterations,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    mean: samples.reduce((s, x) => s + x, 0) / iterations,
    rate: (iterations / total) * 1000,
  };
}

export function row(suite: string, subject: Measurement, baseline?: Measurement, extra: Pick<BenchRow, 'target' | 'note'> = {}): BenchRow {
  return { suite, subject, ...(baseline ? { baseline, ratio: subject.p50 / baseline.p50 } : {}), ...extra };
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3));

export function formatTable(rows: BenchRow[]): string {
  const header = ['suite', 'subject', 'p50 ms', 'p95 ms', 'p99 ms', 'ops/s', 'baseline', 'base p50', 'ratio', 'target'];
  const lines = rows.map((r) => [
    r.suite,
    r.subject.name,
    fmt(r.subject.p50),
    fmt(r.subject.p95),
    fmt(r.subject.p99),
    fmt(r.subject.rate),
    r.baseline?.name ?? '—',
    r.baseline ? fmt(r.baseline.p50) : '—',
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '—',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}
