import { describe, expect, it } from 'vitest';
import { DEFAULT_RELATED_TUNING } from './queries.ts';
import { durationMs, rerankCandidates, type RerankInput } from './rerank.ts';

const w = DEFAULT_RELATED_TUNING;
const coach = 'coach:3 team:2 season:2 philadelphia:2 sixer:2 basketball nba';

describe('rerankCandidates', () => {
  const source: RerankInput = {
    id: 's',
    signature: `${coach} fired loss`,
    entities: ['cheeks', 'sixers', 'philadelphia'],
    years: ['2008'],
  };

  it('puts the report of the same time above the same kind of story at another time', () => {
    const sameEvent = { id: 'same', signature: `${coach} fired`, entities: ['cheeks', 'sixers'], years: ['2008'] };
    const otherEvent = {
      id: 'other',
      signature: `${coach} fired loss`,
      entities: ['cheeks', 'sixers'],
      years: ['2005'],
    };
    const unrelated = { id: 'far', signature: 'volcano:3 ash flight', entities: ['iceland'], years: ['2008'] };
    const ranked = rerankCandidates(source, [otherEvent, unrelated, sameEvent], w);
    expect(ranked.map((r) => r.candidate.id)).toEqual(['same', 'other', 'far']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it('favours candidates that resemble the closest candidates too', () => {
    const a = { id: 'a', signature: 'coach:2 fired sixer loss streak', entities: ['cheeks'] };
    const b = { id: 'b', signature: 'coach:2 fired sixer loss streak', entities: ['cheeks'] };
    const c = { id: 'c', signature: 'coach:2 hired sixer contract', entities: ['cheeks'] };
    const s = { id: 's', signature: 'coach:2 fired hired sixer loss contract streak', entities: ['cheeks'] };
    const alone = rerankCandidates(s, [c, a, b], { ...w, neighbourWeight: 0 });
    const voted = rerankCandidates(s, [c, a, b], { ...w, neighbourWeight: 1 });
    expect(voted.map((r) => r.candidate.id).slice(-1)).toEqual(['c']);
    expect(voted[0]!.score).toBeGreaterThan(alone[0]!.score);
  });

  it('applies the date factor around a dated source and keeps order when nothing differs', () => {
    const dated = { ...source, publishedAt: '2025-03-01T00:00:00Z' };
    const near = { id: 'near', signature: coach, publishedAt: '2025-03-02T00:00:00Z' };
    const far = { id: 'far', signature: coach, publishedAt: '2025-06-01T00:00:00Z' };
    const undated = { id: 'undated', signature: coach };
    expect(rerankCandidates(dated, [far, undated, near], w).map((r) => r.candidate.id)).toEqual([
      'near',
      'undated',
      'far',
    ]);
    const twins = [{ id: 'x' }, { id: 'y' }];
    expect(rerankCandidates({ id: 's' }, twins, w).map((r) => r.candidate.id)).toEqual(['x', 'y']);
  });

  it('adds rare shared names, title agreement and shared numbers only when weighted', () => {
    const s = { id: 's', signature: 'quake:2 killed 43 2010', title: 'Quake kills 43 in Chile' };
    const a = {
      id: 'a',
      signature: 'quake:2 killed 12 2010',
      title: 'Strong quake shakes Peru',
      nameScore: 1,
    };
    const b = { id: 'b', signature: 'quake:2 killed 43 2011', title: 'Chile quake kills 43', nameScore: 4 };
    const base = rerankCandidates(s, [a, b], w);
    expect(base[0]!.score).toBeCloseTo(base[1]!.score, 10);
    const names = rerankCandidates(s, [a, b], { ...w, rareNameWeight: 1 });
    expect(names.map((r) => r.candidate.id)).toEqual(['b', 'a']);
    // Scaled to the best candidate: the best gets the whole weight, the other a quarter of it.
    expect(names[0]!.score - base[0]!.score).toBeCloseTo(1, 10);
    expect(names[1]!.score - base[1]!.score).toBeCloseTo(0.25, 10);
    const titles = rerankCandidates(s, [a, b], { ...w, titleWeight: 1 });
    expect(titles.map((r) => r.candidate.id)).toEqual(['b', 'a']);
    // Numbers: 43 shared with b; the years (2010 shared with a) do not count.
    const numbers = rerankCandidates(s, [a, b], { ...w, numberWeight: 1 });
    expect(numbers[0]!.candidate.id).toBe('b');
    expect(numbers[0]!.score - base[0]!.score).toBeCloseTo(1, 10);
    expect(numbers[1]!.score).toBeCloseTo(base[1]!.score, 10);
  });

  it('reads Elasticsearch time values', () => {
    expect(durationMs('7d')).toBe(7 * 86_400_000);
    expect(durationMs('12h')).toBe(12 * 3_600_000);
    expect(durationMs('nonsense')).toBe(7 * 86_400_000);
  });
});
