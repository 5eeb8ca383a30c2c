import { describe, expect, it } from 'vitest';
import { SNIPPET_IDS, snippets } from './snippets.ts';

describe('SDK snippets', () => {
  const list = snippets('http://localhost:8080', 'wk_abc123');

  it('has one snippet per SDK, each with the write key and this server', () => {
    expect(list.map((s) => s.id)).toEqual([...SNIPPET_IDS]);
    for (const s of list) {
      expect(s.code, s.id).toContain('wk_abc123');
      expect(s.code, s.id).toContain('localhost:8080');
    }
  });

  it('points each SDK at the routes of docs/collect.md', () => {
    const code = Object.fromEntries(list.map((s) => [s.id, s.code]));
    expect(code.segmentNode).toContain("host: 'http://localhost:8080', path: '/v1/batch'");
    expect(code.segmentBrowser).toContain("apiHost: 'localhost:8080/v1', protocol: 'http'");
    expect(code.rudderstack).toContain("dataPlaneUrl: 'http://localhost:8080'");
    expect(code.posthog).toContain("host: 'http://localhost:8080'");
    expect(code.jitsu).toContain("host: 'http://localhost:8080', writeKey: 'wk_abc123'");
    expect(code.curl).toContain("-u 'wk_abc123:' http://localhost:8080/v1/track");
  });

  it('uses https and the port of the page it is shown on', () => {
    const [, browser] = snippets('https://cdp.example.com', 'k');
    expect(browser.code).toContain("apiHost: 'cdp.example.com/v1', protocol: 'https'");
  });

  it('quotes a key with quotes safely for JavaScript and the shell', () => {
    const odd = snippets('http://h', "a'b\\c");
    expect(odd[0].code).toContain("writeKey: 'a\\'b\\\\c'");
    expect(odd.find((s) => s.id === 'curl')?.code).toContain("-u 'a'\\''b\\c:'");
  });
});
