import { describe, expect, it } from 'vitest';
import { renderBenchTable, replaceBenchTable, TABLE_BEGIN, TABLE_END, type BenchRecord } from './bench-table.ts';

const base = {
  command: 'npm run bench:x',
  recordedAt: '2026-11-30T03:00:00Z',
  commit: 'abc1234',
  node: 'v20.20.2',
  cores: 2,
  loadAverage: [1.23, 2],
};
const record = (name: string, bench: string, result: unknown): BenchRecord => ({ ...base, name, bench, result });

/** The table's data rows (header and markers left out), split into cells. */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark'))
    .map((l) =>
      l
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

describe('renderBenchTable', () => {
  it('holds each run to its target', () => {
    const table = renderBenchTable([
      record('related-synthetic-100000', 'related-synthetic', {
        documents: 100_550,
        latencyMs: { p50: 10.4, p95: 15.4, p99: 20.9, segments: 5, cpuMsPerLookup: { elasticsearch: 8.6 } },
        latencyUnmergedMs: { p50: 31.7, p95: 43.4, p99: 51.7, segments: 29 },
      }),
      record('related-synthetic-10000', 'related-synthetic', {
        documents: 10_000,
        latencyMs: { p50: 11.9, p95: 17.1, p99: 25, segments: 1, cpuMsPerLookup: { elasticsearch: 9.2 } },
      }),
      record('extract-process', 'extract-process', {
        pages: 88,
        passes: 3,
        ratio: 3.27,
        ratioByCpu: 3.22,
        gazette: { seconds: 1.33, importMs: { wall: 53 } },
        readability: { seconds: 4.37 },
      }),
      record('extract', 'extract', {
        pages: 88,
        ratio: 4.27,
        gazette: { pagesPerSecond: 350.8, p50Ms: 2.6, p99Ms: 9.4, f1: 0.977, accuracy: 0.545 },
        readability: { pagesPerSecond: 82.2 },
      }),
      record('related', 'related', {
        rejected: 0,
        perFold: {
          A: { precisionAt5: 0.961, tfidfPrecisionAt5: 0.953 },
          B: { precisionAt5: 0.976, tfidfPrecisionAt5: 0.964 },
        },
        worstTopic: { topic: 5, delta: -0.043 },
        story: { all: { precision: 0.815, recall: 0.931 } },
      }),
    ]);
    const r = rows(table);
    // Extraction first, then related, synthetic sizes in numeric order.
    expect(r.map((c) => c[0])).toEqual([
      'extraction in process, 88 pages',
      'extraction as whole processes, 88 pages × 3',
      'related articles, same-event P@5 per fold (A / B)',
      'related lookup latency, 10,000 articles (1 segment)',
      'related lookup latency, 100,550 articles (5 segments)',
    ]);
    expect(r.map((c) => c[4])).toEqual(['yes', '**no**', '**no**', '–', 'yes']);
    expect(r[0]![3]).toContain('4.27× (350.8 vs 82.2 pages/s)');
    // A fresh import's figures before the force-merge stand next to those it is held to.
    expect(r[4]![3]).toBe(
      'p50 10.4 ms, p95 15.4 ms, p99 20.9 ms; Elasticsearch CPU 8.6 ms per lookup; before the force-merge (29 segments) p50 31.7 ms, p95 43.4 ms',
    );
    expect(r[3]![3]).not.toContain('before the force-merge');
    expect(r[2]![3]).toBe(
      '0.961 / 0.976 (TF-IDF 0.953 / 0.964); worst topic 5 at -0.043 against TF-IDF; rejected 0; story grouping precision 0.815, recall 0.931',
    );
    expect(r[0]![2]).toBe('`npm run bench:x`, 2026-11-30 03:00 UTC, abc1234; Node.js v20.20.2, 2 cores, load 1.2–2.0');
  });

  it('gives each pipeline run its row and fails a run that lost a page', () => {
    const run = {
      pages: 5000,
      crawlers: 1,
      parsers: 2,
      indexers: 1,
      pagesPerSecond: 300,
      ratioToExtractor: 1.2,
      fromCpu: { ratioToExtractor: 1.1 },
      extractorAlone: { pagesPerSecond: 250 },
      lost: 0,
      duplicated: 0,
      maxWorkerRssMb: 190,
      cpuMsPerPageWithoutSite: 14,
    };
    const r = rows(
      renderBenchTable([record('pipeline', 'pipeline', { runs: [run, { ...run, pages: 500, lost: 1 }] })]),
    );
    expect(r.map((c) => [c[0], c[4]])).toEqual([
      ['pipeline, 5,000 pages (1/2/1 workers)', 'yes'],
      ['pipeline, 500 pages (1/2/1 workers)', '**no**'],
    ]);
  });

  it('marks a figure the record lacks, and says nothing met without it', () => {
    const r = rows(renderBenchTable([record('extract', 'extract', { pages: 88 })]));
    expect(r[0]![3]).toContain('?× (? vs ? pages/s)');
    expect(r[0]![4]).toBe('–');
  });

  it('rejects a record of an unknown benchmark', () => {
    expect(() => renderBenchTable([record('x', 'nope', {})])).toThrow('unknown benchmark "nope"');
  });
});

describe('replaceBenchTable', () => {
  it('replaces what lies between the markers and nothing else', () => {
    const doc = `intro\n${TABLE_BEGIN}\nold\n${TABLE_END}\noutro\n`;
    expect(replaceBenchTable(doc, `${TABLE_BEGIN}\nnew\n${TABLE_END}`)).toBe(
      `intro\n${TABLE_BEGIN}\nnew\n${TABLE_END}\noutro\n`,
    );
    expect(() => replaceBenchTable('no markers', 'x')).toThrow('no bench-table markers');
  });
});
