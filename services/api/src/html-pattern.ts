/**
 * An HTML `pattern` attribute for a JavaScript regular expression. Browsers compile the attribute
 * as `^(?:pattern)$` with the `v` flag, where a character class may not hold an unescaped `-` at
 * its edges nor `( ) [ { } / |`: those are escaped, and the anchors dropped (the browser adds them).
 */
export function htmlPattern(re: RegExp): string {
  let src = re.source;
  if (src.startsWith('^')) src = src.slice(1);
  if (src.endsWith('$') && !src.endsWith('\\$')) src = src.slice(0, -1);
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (!inClass) {
      if (c === '[') {
        inClass = true;
        out += c;
        if (src[i + 1] === '^') {
          out += '^';
          i++;
        }
        if (src[i + 1] === '-') {
          out += '\\-';
          i++;
        }
        continue;
      }
      out += c;
      continue;
    }
    if (c === ']') {
      inClass = false;
      out += c;
    } else if (c === '-' && src[i + 1] === ']') out += '\\-';
    else if ('()[{}/|'.includes(c)) out += '\\' + c;
    else out += c;
  }
  return out;
}
