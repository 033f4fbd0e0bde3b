import { describe, expect, it } from 'vitest';
import { SOURCE_ID_PATTERN } from '@gazette/sources';
import { htmlPattern } from './html-pattern.ts';

/** How a browser compiles a pattern attribute (HTML: `^(?:` + pattern + `)$` with the `v` flag). */
const asBrowser = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'v');

describe('htmlPattern', () => {
  it('turns the source id pattern into one the v flag accepts, matching the same ids', () => {
    // The plain source does not compile with the v flag: that is the bug this guards.
    expect(() => asBrowser(SOURCE_ID_PATTERN.source.slice(1, -1))).toThrow(SyntaxError);
    const browser = asBrowser(htmlPattern(SOURCE_ID_PATTERN));
    for (const id of ['demo-news', 'a', 'x_1-y', 'a'.repeat(64), '', '-lead', 'Upper', 'a b', 'a'.repeat(65), 'é'])
      expect(browser.test(id), id).toBe(SOURCE_ID_PATTERN.test(id));
  });

  it('escapes what a v-flag class reserves and keeps escapes and ranges', () => {
    expect(htmlPattern(/^[-a(b)|c{}]x$/)).toBe('[\\-a\\(b\\)\\|c\\{\\}]x');
    expect(htmlPattern(/^[^a-z\]]+\$$/)).toBe('[^a-z\\]]+\\$');
    expect(() => asBrowser(htmlPattern(/^[-a(b)|c{}]x$/))).not.toThrow();
  });
});
