import { Parser } from 'htmlparser2';

/** What the plain HTML of a page says about whether it needs a browser. */
export interface ShellVerdict {
  /** True when the page looks like an empty application shell that scripts fill in. */
  shell: boolean;
  /** Short reason code: `little-text`, `empty-root`, `noscript-javascript`, `has-text`, `no-scripts`. */
  why: string;
  /** Characters of visible body text (outside script, style, noscript, template). */
  textChars: number;
  scripts: number;
}

/** Below this many characters of visible text a page with scripts is a shell whatever else it holds. */
export const SHELL_MAX_TEXT_CHARS = 200;
/** A page with this little text is a shell when a root element is left empty or `<noscript>` asks for scripts. */
export const SHELL_HINTED_TEXT_CHARS = 600;

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'wbr']);
const JS_WORD = /java\s*script|\bjs\b/i;

/**
 * Decides from the plain HTML whether a page should be rendered (`render: auto`):
 * it is an application shell when it has scripts and little visible text, and
 * either a root element in the body that the markup leaves empty (`<div id="root"></div>`)
 * or a `<noscript>` that talks about JavaScript; or when it has scripts and
 * almost no text at all.
 */
export function detectShell(html: string): ShellVerdict {
  let textChars = 0;
  let scripts = 0;
  let skipDepth = 0;
  let inBody = false;
  let noscriptDepth = 0;
  let noscriptText = '';
  let emptyRoot = false;
  /** Open body elements with an id: how much text and how many child elements they got so far. */
  const stack: Array<{ name: string; id: boolean; content: number }> = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'body') inBody = true;
        if (name === 'script' && (!attrs['type'] || /javascript|module/i.test(attrs['type']))) scripts++;
        if (name === 'noscript') noscriptDepth++;
        if (SKIP.has(name)) skipDepth++;
        if (!inBody || VOID.has(name)) return;
        for (const open of stack) if (name !== 'script' && name !== 'noscript') open.content++;
        stack.push({ name, id: Boolean(attrs['id']), content: 0 });
      },
      ontext(text) {
        if (noscriptDepth > 0) noscriptText += text;
        if (skipDepth > 0) return;
        const trimmed = text.replace(/\s+/g, ' ').trim().length;
        if (!inBody) return;
        textChars += trimmed;
        for (const open of stack) open.content += trimmed;
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        if (name === 'noscript') noscriptDepth = Math.max(0, noscriptDepth - 1);
        if (!inBody || VOID.has(name)) return;
        const index = stack.findLastIndex((e) => e.name === name);
        if (index === -1) return;
        const [closed] = stack.splice(index);
        if (closed && closed.id && closed.content === 0 && closed.name !== 'script') emptyRoot = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const base = { textChars, scripts };
  if (scripts === 0) return { shell: false, why: 'no-scripts', ...base };
  if (textChars < SHELL_MAX_TEXT_CHARS) return { shell: true, why: 'little-text', ...base };
  if (textChars < SHELL_HINTED_TEXT_CHARS) {
    if (emptyRoot) return { shell: true, why: 'empty-root', ...base };
    if (JS_WORD.test(noscriptText)) return { shell: true, why: 'noscript-javascript', ...base };
  }
  return { shell: false, why: 'has-text', ...base };
}
