import { describe, expect, it } from 'vitest';
import { detectShell } from './shell.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('detectShell', () => {
  it('calls an empty root filled by scripts a shell', () => {
    const html = `<html><head><script src="/app.js"></script></head><body><div id="root"></div></body></html>`;
    expect(detectShell(html)).toMatchObject({ shell: true, why: 'little-text', scripts: 1, textChars: 0 });
  });

  it('calls a page with some chrome text but an empty root a shell', () => {
    const html = `<html><body><header><nav>${words(40)}</nav></header><main id="app"></main>
      <footer>${words(20)}</footer><script type="module" src="/main.js"></script></body></html>`;
    expect(detectShell(html)).toMatchObject({ shell: true, why: 'empty-root' });
  });

  it('calls a page whose noscript asks for JavaScript a shell', () => {
    const html = `<html><body><div class="wrap"><p>${words(45)}</p></div>
      <noscript>Please turn on JavaScript to use this site.</noscript><script>boot()</script></body></html>`;
    expect(detectShell(html)).toMatchObject({ shell: true, why: 'noscript-javascript' });
  });

  it('leaves a server-rendered article alone, scripts or not', () => {
    const article = `<html><head><script src="/ads.js"></script></head><body><div id="consent"></div>
      <article><h1>Title</h1>${Array.from({ length: 6 }, () => `<p>${words(30)}</p>`).join('')}</article></body></html>`;
    expect(detectShell(article)).toMatchObject({ shell: false, why: 'has-text' });
    expect(detectShell('<html><body><p>Short page, no scripts.</p></body></html>')).toMatchObject({
      shell: false,
      why: 'no-scripts',
    });
  });

  it('does not count script, style or JSON data as text', () => {
    const html = `<html><body><div id="app"></div><script>window.__DATA__ = ${JSON.stringify({ text: words(400) })}</script>
      <style>${'.a{color:red}'.repeat(100)}</style></body></html>`;
    expect(detectShell(html)).toMatchObject({ shell: true, textChars: 0 });
  });
});
