import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '@gazette/jobs';
import { createLogger } from '@gazette/logger';
import { SearchGate } from './search-gate.ts';

function setup() {
  let now = 0;
  let up = false;
  let probes = 0;
  const gate = new SearchGate({
    isUp: async () => {
      probes++;
      return up;
    },
    log: createLogger({ name: 'test', level: 'silent' }),
    probeMs: 1000,
    settleMs: 2000,
    now: () => now,
  });
  return {
    gate,
    advance: (ms: number) => (now += ms),
    setUp: (value: boolean) => (up = value),
    probes: () => probes,
  };
}

describe('SearchGate', () => {
  it('is open until Elasticsearch as a whole fails, and other failures leave it open', async () => {
    const { gate, probes } = setup();
    expect(await gate.available()).toBe(true);
    gate.noteFailure(new PermanentError('es-mapping', 'document refused'));
    gate.noteFailure(new RetryableError('timeout', 'not an Elasticsearch reason'));
    gate.noteFailure(new Error('plain'));
    expect(gate.open).toBe(true);
    gate.noteFailure(new RetryableError('es-unavailable', 'connection refused'));
    expect(gate.open).toBe(false);
    expect(await gate.available()).toBe(false);
    expect(probes()).toBe(0);
  });

  it('probes once per interval for all callers while closed, and opens when Elasticsearch is back', async () => {
    const t = setup();
    t.gate.noteFailure(new RetryableError('es-unavailable', 'connection refused'));
    t.advance(999);
    expect(await t.gate.available()).toBe(false);
    expect(t.probes()).toBe(0);
    t.advance(1);
    // Concurrent callers share one probe.
    expect(await Promise.all([t.gate.available(), t.gate.available(), t.gate.available()])).toEqual([
      false,
      false,
      false,
    ]);
    expect(t.probes()).toBe(1);
    expect(await t.gate.available()).toBe(false);
    expect(t.probes()).toBe(1);
    // Back, but it must keep answering for the settle time (a node shutting down still answers for a moment).
    t.setUp(true);
    t.advance(1000);
    expect(await t.gate.available()).toBe(false);
    t.setUp(false);
    t.advance(1000);
    expect(await t.gate.available()).toBe(false);
    t.setUp(true);
    for (const _ of [1, 2]) {
      t.advance(1000);
      expect(await t.gate.available()).toBe(false);
    }
    t.advance(1000);
    expect(await t.gate.available()).toBe(true);
    expect(t.gate.open).toBe(true);
    const probes = t.probes();
    expect(await t.gate.available()).toBe(true);
    expect(t.probes()).toBe(probes);
  });

  it('treats a probe that throws as down', async () => {
    let now = 0;
    let probes = 0;
    const gate = new SearchGate({
      isUp: async () => {
        probes++;
        throw new Error('socket hang up');
      },
      log: createLogger({ name: 'test', level: 'silent' }),
      now: () => now,
    });
    gate.noteFailure(new RetryableError('es-unavailable', 'gone'));
    now += 1000;
    expect(await gate.available()).toBe(false);
    expect(probes).toBe(1);
    expect(gate.open).toBe(false);
  });
});

describe('SearchGate under a write block', () => {
  it('stays shut while the cluster is healthy but a real write fails, and opens once writes succeed', async () => {
    let now = 0;
    let writable = false;
    let writes = 0;
    const gate = new SearchGate({
      isUp: async () => true,
      canWrite: async () => {
        writes++;
        return writable;
      },
      log: createLogger({ name: 'test', level: 'silent' }),
      probeMs: 1000,
      settleMs: 2000,
      now: () => now,
    });
    gate.noteFailure(new RetryableError('es-write-blocked', 'cluster_block_exception'));
    expect(gate.open).toBe(false);
    for (let i = 0; i < 5; i++) {
      now += 1000;
      expect(await gate.available()).toBe(false);
    }
    expect(writes).toBe(5);
    writable = true;
    now += 1000;
    expect(await gate.available()).toBe(false); // writes succeed from now: the settle time starts
    now += 2000;
    expect(await gate.available()).toBe(true);
  });
});
