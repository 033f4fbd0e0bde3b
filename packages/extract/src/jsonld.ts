/** JSON-LD: tolerant parsing, @graph flattening and picking the article node. */

export type LdNode = Record<string, unknown>;

const ARTICLE_TYPES =
  /^(NewsArticle|Article|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|ReviewNewsArticle|BackgroundNewsArticle|LiveBlogPosting|TechArticle|ScholarlyArticle|Report|SocialMediaPosting|AdvertiserContentArticle|SatiricalArticle|Review)$/;

function tolerantParse(raw: string): unknown {
  const text = raw
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '')
    .trim();
  try {
    return JSON.parse(text);
  } catch {
    // Raw control characters inside strings and trailing commas are the usual faults.
    // eslint-disable-next-line no-control-regex
    const fixed = text.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1');
    try {
      return JSON.parse(fixed);
    } catch {
      return undefined;
    }
  }
}

/** Every object node in the given JSON-LD script texts (arrays and @graph flattened). */
export function ldNodes(scripts: string[]): LdNode[] {
  const out: LdNode[] = [];
  for (const raw of scripts) {
    const stack: unknown[] = [tolerantParse(raw)];
    let guard = 0;
    while (stack.length && guard++ < 5000) {
      const v = stack.pop();
      if (Array.isArray(v)) stack.push(...v);
      else if (v && typeof v === 'object') {
        const node = v as LdNode;
        out.push(node);
        if (Array.isArray(node['@graph'])) stack.push(...(node['@graph'] as unknown[]));
      }
    }
  }
  return out;
}

export function types(node: LdNode): string[] {
  const t = node['@type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

export function isArticleNode(node: LdNode): boolean {
  return types(node).some((t) => ARTICLE_TYPES.test(t));
}

/** The article node: an article type first, the one with the longest articleBody among them. */
export function pickArticle(nodes: LdNode[]): LdNode | null {
  const articles = nodes.filter(isArticleNode);
  if (articles.length) {
    return articles.reduce((best, n) => (bodyLength(n) > bodyLength(best) ? n : best), articles[0]!);
  }
  return nodes.find((n) => types(n).some((t) => /WebPage$/.test(t))) ?? null;
}

function bodyLength(n: LdNode): number {
  const b = n.articleBody;
  return typeof b === 'string' ? b.length : 0;
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    for (const x of v) {
      const s = str(x);
      if (s) return s;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    const o = v as LdNode;
    return str(o.name) ?? str(o['@value']) ?? str(o.url) ?? str(o['@id']);
  }
  return null;
}

export function strList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(strList);
  const s = str(v);
  return s ? [s] : [];
}
