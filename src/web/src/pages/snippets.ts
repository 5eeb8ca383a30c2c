/**
 * Ready-to-paste code for each SDK DataPulse speaks (docs/collect.md), with the source's write key
 * and this server's address filled in.
 */

export const SNIPPET_IDS = [
  'segmentNode',
  'segmentBrowser',
  'rudderstack',
  'posthog',
  'jitsu',
  'curl',
] as const;
export type SnippetId = (typeof SNIPPET_IDS)[number];

export interface Snippet {
  id: SnippetId;
  /** npm package(s) to install, or null (curl). */
  install: string | null;
  code: string;
}

/** A single-quoted JavaScript string literal. */
const js = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

export function snippets(origin: string, writeKey: string): Snippet[] {
  const url = new URL(origin);
  const host = url.origin;
  const apiHost = `${url.host}/v1`;
  const protocol = url.protocol.replace(':', '');
  const key = js(writeKey);
  return [
    {
      id: 'segmentNode',
      install: 'npm install @segment/analytics-node',
      code: `import { Analytics } from '@segment/analytics-node';

const analytics = new Analytics({ writeKey: ${key}, host: ${js(host)}, path: '/v1/batch' });
analytics.identify({ userId: 'u-42', traits: { email: 'ann@example.com', name: 'Ann' } });
analytics.track({ userId: 'u-42', event: 'Order Completed', properties: { revenue: 99.5, currency: 'RUB' } });
await analytics.closeAndFlush();`,
    },
    {
      id: 'segmentBrowser',
      install: 'npm install @segment/analytics-next',
      code: `import { AnalyticsBrowser } from '@segment/analytics-next';

const analytics = AnalyticsBrowser.load(
  { writeKey: ${key}, cdnURL: ${js(host)} },
  { integrations: { 'Segment.io': { apiHost: ${js(apiHost)}, protocol: ${js(protocol)} } } },
);
analytics.page();
analytics.track('Product Viewed', { sku: 'a1' });`,
    },
    {
      id: 'rudderstack',
      install: 'npm install @rudderstack/rudder-sdk-node',
      code: `import Analytics from '@rudderstack/rudder-sdk-node';

const client = new Analytics(${key}, { dataPlaneUrl: ${js(host)} });
client.track({ userId: 'u-42', event: 'Product Viewed', properties: { sku: 'a1' } });
await client.flush();

// Browser: rudderanalytics.load(${key}, ${js(host)}, { configUrl: ${js(host)} });`,
    },
    {
      id: 'posthog',
      install: 'npm install posthog-node',
      code: `import { PostHog } from 'posthog-node';

const posthog = new PostHog(${key}, { host: ${js(host)} });
posthog.capture({ distinctId: 'u-42', event: 'Video Playback Started', properties: { content_id: 'c1' } });
await posthog.shutdown();

// Browser: posthog.init(${key}, { api_host: ${js(host)} });`,
    },
    {
      id: 'jitsu',
      install: 'npm install @jitsu/js',
      code: `import { jitsuAnalytics } from '@jitsu/js';

const analytics = jitsuAnalytics({ host: ${js(host)}, writeKey: ${key} });
await analytics.identify('u-42', { email: 'ann@example.com' });
await analytics.track('Signed In', { method: 'password' });`,
    },
    {
      id: 'curl',
      install: null,
      code: `curl -s -u '${writeKey.replaceAll("'", "'\\''")}:' ${host}/v1/track \\
  -H 'Content-Type: application/json' \\
  -d '{"userId":"u-42","event":"Order Completed","properties":{"revenue":99.5}}'`,
    },
  ];
}
