import { describe, expect, it } from 'vitest';
import { redact } from '../audit/index.ts';
import { graphqlAction, routeAction } from './audit.ts';

describe('audit naming', () => {
  it('names changes by route: resource, then verb or action', () => {
    expect(routeAction('POST', '/api/v1/segments')).toMatchObject({
      action: 'segments.create',
      targetType: 'segment',
      param: null,
      kind: 'change',
    });
    expect(routeAction('PATCH', '/api/v1/segments/:id')).toMatchObject({
      action: 'segments.update',
      targetType: 'segment',
      param: 'id',
    });
    expect(routeAction('POST', '/api/v1/segments/:id/recompute')?.action).toBe('segments.recompute');
    expect(routeAction('POST', '/api/v1/identity/candidates/:id/accept')).toMatchObject({
      action: 'identity.candidates.accept',
      targetType: 'candidate',
    });
    expect(routeAction('POST', '/api/v1/identity/merges/:id/undo')?.action).toBe('identity.merges.undo');
    expect(routeAction('DELETE', '/api/v1/profiles/:id')?.action).toBe('profiles.erase');
    expect(routeAction('PUT', '/api/v1/identity/settings')?.action).toBe('identity.settings.update');
    expect(routeAction('POST', '/api/v1/auth/login')).toMatchObject({ action: 'auth.login', kind: 'auth' });
    expect(routeAction('GET', '/api/v1/auth/me')).toBeNull();
  });

  it('records exports among reads, and no read-only POST', () => {
    expect(routeAction('GET', '/api/v1/segments/:id')).toBeNull();
    expect(routeAction('GET', '/api/v1/events/export')).toMatchObject({
      action: 'events.export',
      kind: 'export',
    });
    expect(routeAction('GET', '/api/v1/segments/:id/export')).toMatchObject({
      action: 'segments.export',
      targetType: 'segment',
    });
    for (const url of [
      '/reports/funnel',
      '/reports/saved/:id/run',
      '/segments/preview',
      '/identity/simulate',
    ])
      expect(routeAction('POST', `/api/v1${url}`), url).toBeNull();
    expect(routeAction('POST', '/api/v1/reports/saved')?.action).toBe('reports.saved.create');
  });

  it('names GraphQL mutations like REST', () => {
    expect(graphqlAction('updateSegment')).toBe('segments.update');
    expect(graphqlAction('recomputeSegment')).toBe('segments.recompute');
  });

  it('redacts secrets at any depth', () => {
    expect(
      redact({
        name: 'x',
        password: 'p',
        nested: { writeKey: 'k', apiKey: 'a', list: [{ token: 't', ok: 1 }] },
        newPassword: 'n',
      }),
    ).toEqual({
      name: 'x',
      password: '[redacted]',
      nested: { writeKey: '[redacted]', apiKey: '[redacted]', list: [{ token: '[redacted]', ok: 1 }] },
      newPassword: '[redacted]',
    });
  });
});
