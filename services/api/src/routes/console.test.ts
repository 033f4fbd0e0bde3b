import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { consolePage } from './console.ts';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

describe('console page', () => {
  it('is valid HTML, with and without the sign-out button', async () => {
    for (const signOut of [true, false]) {
      const report = await validator.validateString(consolePage({ signOut }));
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    }
  });

  it('shows "Sign out" only when an operator token is configured', () => {
    expect(consolePage({ signOut: true })).toContain('Sign out');
    expect(consolePage({ signOut: false })).not.toContain('Sign out');
  });

  it('labels every form field', () => {
    const html = consolePage({ signOut: false });
    const ids = [...html.matchAll(/<(?:input|textarea|select)[^>]* id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(8);
    for (const id of ids) expect(html, id).toContain(`<label for="${id}">`);
  });
});
