import { describe, expect, it } from 'vitest';
import { DEFAULT_RELATED_TUNING } from './queries.ts';
import {
  durationMs,
  LEDE_MIN_CANDIDATES,
  ledeAgreement,
  rankerFeatures,
  rerankCandidates,
  rerankFeatures,
  type RerankInput,
} from './rerank.ts';

const w = DEFAULT_RELATED_TUNING;
/** The defaults without neighbour agreement and the hubness correction: a signal measured alone. */
const single = { ...w, neighbourWeight: 0, hubnessWeight: 0 };
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

  it('weighs terms by candidate-local idf: words every candidate shares count less', () => {
    // The topic's words are in the article and in most candidates; two words only in the article and b.
    const topic = 'quake killed rescue damage';
    const s = { id: 's', signature: `${topic} tsunami coast` };
    const a = { id: 'a', signature: `${topic} magnitude` };
    const b = { id: 'b', signature: 'quake tsunami coast' };
    const c = { id: 'c', signature: `${topic} rain` };
    const d = { id: 'd', signature: `${topic} flood` };
    const plain = rerankCandidates(s, [a, b, c, d], single);
    expect(plain[0]!.candidate.id).toBe('a');
    const local = rerankCandidates(s, [a, b, c, d], { ...single, localIdfWeight: 1 });
    expect(local[0]!.candidate.id).toBe('b');
    // ln((n + 1) / (df + 0.5)) with n = 5: b shares tsunami and coast (df 2) and quake (df 5).
    const idf = (df: number) => Math.log(6 / (df + 0.5));
    const sNorm = Math.sqrt(idf(5) ** 2 + 3 * idf(4) ** 2 + 2 * idf(2) ** 2);
    const bNorm = Math.sqrt(idf(5) ** 2 + 2 * idf(2) ** 2);
    expect(local[0]!.score).toBeCloseTo((idf(5) ** 2 + 2 * idf(2) ** 2) / (sNorm * bNorm), 10);
    // Blended: half of each cosine.
    const half = rerankCandidates(s, [a, b, c, d], { ...single, localIdfWeight: 0.5 });
    const scoreOf = (list: typeof plain, id: string) => list.find((r) => r.candidate.id === id)!.score;
    expect(scoreOf(half, 'b')).toBeCloseTo((scoreOf(plain, 'b') + scoreOf(local, 'b')) / 2, 10);
  });

  it('weighs names by candidate-local idf when asked', () => {
    const s = { id: 's', entities: ['chile', 'bachelet'] };
    const a = { id: 'a', entities: ['chile'] };
    const b = { id: 'b', entities: ['bachelet'] };
    const c = { id: 'c', entities: ['chile'] };
    const d = { id: 'd', entities: ['chile'] };
    expect(rerankCandidates(s, [a, b, c, d], w)[0]!.candidate.id).toBe('a');
    expect(rerankCandidates(s, [a, b, c, d], { ...w, localNameIdfWeight: 1 })[0]!.candidate.id).toBe('b');
  });

  it('fuses the first-stage rank with the re-ranked order by reciprocal rank when weighted', () => {
    const s = { id: 's', signature: 'quake tsunami coast' };
    // First-stage order: x, y, z; the re-ranking prefers z, then y, then x.
    const x = { id: 'x', signature: 'quake rain' };
    const y = { id: 'y', signature: 'quake tsunami' };
    const z = { id: 'z', signature: 'quake tsunami coast' };
    const ids = (list: Array<{ candidate: { id: string } }>) => list.map((r) => r.candidate.id);
    const reranked = rerankCandidates(s, [x, y, z], w);
    expect(ids(reranked)).toEqual(['z', 'y', 'x']);
    const first = rerankCandidates(s, [x, y, z], { ...w, rankFusionWeight: 1 });
    expect(ids(first)).toEqual(['x', 'y', 'z']);
    // The scores stay the re-ranking's.
    expect(first[0]!.score).toBeCloseTo(reranked[2]!.score, 10);
    // Equal weights: x and z tie (ranks 1 and 3 either way), the higher score goes first.
    expect(ids(rerankCandidates(s, [x, y, z], { ...w, rankFusionWeight: 0.5 }))).toEqual(['z', 'x', 'y']);
  });

  it('lowers candidates that resemble the other candidates more than the article (hubness) when weighted', () => {
    const s = { id: 's', signature: 'quake tsunami coast chile' };
    const a = { id: 'a', signature: 'quake tsunami coast' };
    const hub = { id: 'h', signature: 'quake tsunami coast chile peru' };
    const other = { id: 'p', signature: 'peru quake tsunami chile' };
    expect(rerankCandidates(s, [hub, a, other], single)[0]!.candidate.id).toBe('h');
    const corrected = rerankCandidates(s, [hub, a, other], { ...single, hubnessWeight: 1, neighbours: 1 });
    expect(corrected.map((r) => r.candidate.id)).toEqual(['a', 'h', 'p']);
    // a: cosine 3 / √12 with the article, less its closest other candidate (h, 3 / √15).
    expect(corrected[0]!.score).toBeCloseTo(3 / Math.sqrt(12) - 3 / Math.sqrt(15), 10);
  });

  it('adds reciprocity: more for a candidate whose closest article is the source than for one closer to others', () => {
    const s = { id: 's', signature: 'quake tsunami coast chile' };
    const a = { id: 'a', signature: 'quake tsunami coast' };
    const hub = { id: 'h', signature: 'quake tsunami coast chile peru' };
    const other = { id: 'p', signature: 'peru quake tsunami chile' };
    const scoreOf = (list: Array<{ candidate: { id: string }; score: number }>, id: string) =>
      list.find((r) => r.candidate.id === id)!.score;
    const plain = rerankCandidates(s, [hub, a, other], w);
    const mutual = rerankCandidates(s, [hub, a, other], { ...w, reciprocalWeight: 1 });
    // a and h resemble the article at least as much as any other candidate; p resembles h more.
    expect(scoreOf(mutual, 'a') - scoreOf(plain, 'a')).toBeCloseTo(1, 10);
    expect(scoreOf(mutual, 'h') - scoreOf(plain, 'h')).toBeCloseTo(1, 10);
    expect(scoreOf(mutual, 'p') - scoreOf(plain, 'p')).toBeCloseTo(0.5, 10);
  });

  it('reads Elasticsearch time values', () => {
    expect(durationMs('7d')).toBe(7 * 86_400_000);
    expect(durationMs('12h')).toBe(12 * 3_600_000);
    expect(durationMs('nonsense')).toBe(7 * 86_400_000);
  });

  it('lists the signals of each candidate in the order given', () => {
    const s = {
      id: 's',
      signature: 'quake tsunami coast chile 43',
      years: ['2010'],
      dates: ['2010-02-27'],
      title: 'Quake in Chile',
    };
    const a = {
      id: 'a',
      signature: 'quake tsunami coast 43',
      years: ['2010'],
      dates: ['2010-02-27'],
      title: 'Chile quake',
    };
    const b = { id: 'b', signature: 'volcano ash', years: ['2005'], nameScore: 2 };
    const [fa, fb] = rerankFeatures(s, [a, b], w);
    // a: 4 shared of 5 and 4 terms; b: nothing shared.
    expect(fa!.text).toBeCloseTo(4 / Math.sqrt(20), 10);
    expect(fb!.text).toBe(0);
    expect([fa!.sharedYear, fa!.yearConflict, fa!.sameLatestYear, fa!.sharedDate]).toEqual([1, 0, 1, 1]);
    expect([fb!.sharedYear, fb!.yearConflict, fb!.sameLatestYear, fb!.bothDates]).toEqual([0, 1, 0, 0]);
    expect(fa!.numbers).toBe(1);
    expect(fa!.title).toBeCloseTo(1, 10);
    expect([fa!.rareNames, fb!.rareNames]).toEqual([0, 1]);
    expect(fa!.dateDays).toBeNull();
    expect(fa!.reciprocity).toBe(1);
  });

  it('orders the candidates by a learned linear ranker when one is given, and not otherwise', () => {
    const s = { id: 's', signature: 'quake tsunami coast chile', entities: ['chile'] };
    const a = { id: 'a', signature: 'quake tsunami coast chile', firstScore: 2 };
    const b = { id: 'b', signature: 'quake peru', entities: ['chile'], firstScore: 8 };
    expect(rerankCandidates(s, [a, b], w).map((r) => r.candidate.id)).toEqual(['a', 'b']);
    const byFirstStage = { ...w, learnedRanker: { weights: { firstScore: 1 } } };
    const ranked = rerankCandidates(s, [a, b], byFirstStage);
    expect(ranked.map((r) => r.candidate.id)).toEqual(['b', 'a']);
    expect(ranked.map((r) => r.score)).toEqual([1, 0.25]);
    // A weighted sum: names (b 1, a 0) against text (a 1, b 1 / √8).
    const mixed = { ...w, learnedRanker: { weights: { names: 2, text: 1 } } };
    expect(rerankCandidates(s, [a, b], mixed)[0]!.score).toBeCloseTo(2 + 1 / Math.sqrt(8), 10);
    const features = rankerFeatures(s, [a, b], w);
    expect(features.map((f) => f.firstRankInverse)).toEqual([1, 0.5]);
    expect(features[0]!.rerankScoreBest).toBe(1);
    expect(features[1]!.rerankScore).toBeCloseTo(rerankCandidates(s, [a, b], w)[1]!.score, 12);
  });
});

describe('ledeAgreement', () => {
  // One lookup's candidates: reports of other coaches fired (the topic), one of the article's own
  // event and one of an earlier event on the same team. Who was fired is the event's word.
  const source = { id: 's', lede: 'sixer:2 fired:2 coach:2 cheeks maurice interim dileo' };
  const sameEvent = { id: 'same', lede: 'sixer:2 coach:2 fired cheeks maurice dileo' };
  const otherEvent = { id: 'other', lede: "sixer:2 coach:2 fired o'brien jim hired cheeks maurice" };
  const unrelated = { id: 'far', lede: 'volcano:2 ash:2 flight iceland' };
  const topic = ['knicks', 'bulls', 'nets', 'heat', 'suns', 'kings', 'jazz', 'hawks', 'magic'].map((team) => ({
    id: team,
    lede: `coach:2 fired:2 ${team}:2 season loss`,
  }));

  it("scores the candidate whose lede shares the article's event words above the one sharing only its topic", () => {
    const [same, other, far] = ledeAgreement(source, [sameEvent, otherEvent, unrelated, ...topic]);
    expect(same).toBeGreaterThan(other!);
    expect(other).toBeGreaterThan(far!);
    // Centred on the lookup's mean: the unrelated lede points away from the article's.
    expect(far).toBeLessThan(0);
  });

  it('is one of the signals a learned ranker reads', () => {
    const candidates = [sameEvent, otherEvent, unrelated, ...topic];
    const agreement = ledeAgreement(source, candidates);
    expect(rerankFeatures(source, candidates, w).map((f) => f.lede)).toEqual(agreement);
  });

  it('gives 0 without a lede, and to every candidate when too few candidates have one', () => {
    const agreement = ledeAgreement(source, [sameEvent, { id: 'old' }, otherEvent, ...topic]);
    expect(agreement[1]).toBe(0);
    expect(agreement[0]).toBeGreaterThan(0);
    expect(ledeAgreement({ id: 's' }, [sameEvent, otherEvent, ...topic])).toEqual(new Array(11).fill(0));
    const few = [sameEvent, otherEvent, ...topic].slice(0, LEDE_MIN_CANDIDATES - 1);
    expect(ledeAgreement(source, few)).toEqual(new Array(few.length).fill(0));
    expect(ledeAgreement(source, [...few, unrelated]).some((a) => a !== 0)).toBe(true);
  });

  it('moves a same-event candidate above a same-topic one in the re-ranking at the default weight', () => {
    // Whole-text signatures alike; only the ledes tell the two events apart.
    const text = `${coach} fired`;
    const s = { ...source, signature: text };
    const candidates = [{ ...otherEvent, signature: text }, { ...sameEvent, signature: text }, ...topic];
    const order = (weights: typeof w) =>
      rerankCandidates(s, candidates, weights)
        .map((r) => r.candidate.id)
        .filter((id) => id === 'same' || id === 'other');
    expect(order({ ...w, ledeWeight: 0 })).toEqual(['other', 'same']);
    expect(order(w)).toEqual(['same', 'other']);
  });
});

/** A lookup of 20 candidates with random signatures, names, years and ledes drawn from small pools. */
function randomLookup(seed: number): { source: RerankInput; candidates: RerankInput[] } {
  let state = seed;
  const next = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const pick = (pool: string[], n: number) =>
    Array.from({ length: n }, () => pool[Math.floor(next() * pool.length)]!).filter(
      (x, i, all) => all.indexOf(x) === i,
    );
  const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
  const names = Array.from({ length: 15 }, (_, i) => `n${i}`);
  const years = ['2005', '2006', '2008', '2011'];
  const doc = (id: string): RerankInput => ({
    id,
    signature: pick(words, 30)
      .map((t) => (next() < 0.3 ? `${t}:${2 + Math.floor(next() * 4)}` : t))
      .join(' '),
    lede: pick(words.slice(0, 25), 8).join(' '),
    entities: pick(names, 5),
    years: pick(years, Math.floor(next() * 3)),
    dates: next() < 0.3 ? ['2008-04-03'] : [],
    outLinks: next() < 0.2 ? ['https://example.org/a'] : [],
  });
  return { source: doc('s'), candidates: Array.from({ length: 20 }, (_, i) => doc(`c${i}`)) };
}

describe('the re-ranking, computed two ways', () => {
  it('scores each candidate as its similarity, neighbour agreement, hubness and lede agreement add up', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { source, candidates } = randomLookup(seed);
      const features = rerankFeatures(source, candidates, w);
      const scores = new Map(rerankCandidates(source, candidates, w).map((r) => [r.candidate.id, r.score]));
      candidates.forEach((c, i) => {
        const f = features[i]!;
        // The similarity's formula, from its parts: (text + names + links) × (1 + time agreement).
        const time =
          1 +
          w.sharedYearBonus * f.sharedYear -
          w.yearConflictPenalty * f.yearConflict +
          w.latestYearBonus * f.sameLatestYear +
          w.sharedDateBonus * f.sharedDate;
        const direct = (f.text + w.rerankEntityWeight * f.names + w.linkBoost * f.links) * Math.max(time, 0);
        const expected =
          direct * f.dateFactor +
          w.neighbourWeight * f.neighbourAgreement * f.dateFactor -
          w.hubnessWeight * f.hubness * f.dateFactor +
          w.ledeWeight * f.lede;
        expect(scores.get(c.id)).toBeCloseTo(expected, 10);
      });
    }
  });

  it('gives the lede agreement of the centred dense vectors', () => {
    const vector = (lede: string | undefined) => {
      const v = new Map<string, number>();
      for (const item of (lede ?? '').split(' ').filter(Boolean)) {
        const [term, count] = item.split(':');
        v.set(term!, 1 + Math.log(Number(count ?? 1)));
      }
      const norm = Math.sqrt([...v.values()].reduce((a, x) => a + x * x, 0));
      for (const [t, x] of v) v.set(t, x / norm);
      return v;
    };
    for (const seed of [6, 7, 8]) {
      const { source, candidates } = randomLookup(seed);
      const vectors = [source, ...candidates].map((d) => vector(d.lede));
      const terms = [...new Set(vectors.flatMap((v) => [...v.keys()]))];
      const mean = terms.map((t) => vectors.reduce((a, v) => a + (v.get(t) ?? 0), 0) / vectors.length);
      const centred = vectors.map((v) => {
        const c = terms.map((t, k) => (v.get(t) ?? 0) - mean[k]!);
        const norm = Math.sqrt(c.reduce((a, x) => a + x * x, 0));
        return c.map((x) => x / norm);
      });
      const expected = centred.slice(1).map((c) => c.reduce((a, x, k) => a + x * centred[0]![k]!, 0));
      ledeAgreement(source, candidates).forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 10));
    }
  });
});
