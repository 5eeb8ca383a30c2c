/**
 * The audit hook of the API layer: one `onSend` hook records every successful change (REST and
 * GraphQL mutations), every export, and every sign-in attempt, with the caller, the IP, the
 * target and the request body with secrets redacted. Routes add before/after with `auditChange`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { type AuditEntry, actorOf, redact } from '../audit/index.ts';
import type { Platform } from '../platform/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Before/after of a settings change, attached by the route for the audit hook. */
    auditChange?: { before: unknown; after: unknown };
    /** Set once the hook has looked at the request (hooks may be inherited twice). */
    audited?: boolean;
  }
}

/** Lets a route put the state before and after its change into the audit entry. */
export function auditChange(req: FastifyRequest, before: unknown, after: unknown): void {
  req.auditChange = { before, after };
}

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };
/** POST routes that change nothing: report runs, previews, simulations. */
const READ_ONLY_POST = [/^\/reports\/(?!saved$)[^/]+$/, /\/(preview|overlap|simulate|run)$/];
/** Names clearer than the generic ones. */
const ACTION_NAMES: Record<string, string> = {
  'DELETE /profiles/:id': 'profiles.erase',
  'POST /identity/match': 'identity.match.run',
};

const singular = (s: string) => (s === 'settings' || !s.endsWith('s') ? s : s.slice(0, -1));

export interface RouteAction {
  action: string;
  targetType: string | null;
  /** The route parameter naming the target, if any. */
  param: string | null;
  kind: 'change' | 'export' | 'auth';
}

/**
 * What a call of a route is, for the log: `POST /segments/:id/recompute` →
 * `segments.recompute` on a segment; GET routes are recorded only when they export.
 */
export function routeAction(method: string, url: string): RouteAction | null {
  const path = url.replace(/^\/api\/v1/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return null;
  const firstParam = parts.findIndex((p) => p.startsWith(':'));
  const statics = parts.filter((p) => !p.startsWith(':'));
  const param = firstParam >= 0 ? parts[firstParam].slice(1) : null;
  const targetType = firstParam > 0 ? singular(parts[firstParam - 1]) : singular(statics[statics.length - 1]);
  if (parts[0] === 'auth')
    return method === 'GET' ? null : { action: statics.join('.'), targetType: 'user', param, kind: 'auth' };
  if (method === 'GET') {
    if (parts[parts.length - 1] !== 'export') return null;
    return {
      action: statics.join('.'),
      targetType: firstParam > 0 ? targetType : null,
      param,
      kind: 'export',
    };
  }
  const verb = VERBS[method];
  if (!verb || (method === 'POST' && READ_ONLY_POST.some((re) => re.test(path)))) return null;
  const lastIsStatic = !parts[parts.length - 1].startsWith(':');
  const named = ACTION_NAMES[`${method} ${path}`];
  const action =
    named ?? (lastIsStatic && firstParam >= 0 ? statics.join('.') : [...statics, verb].join('.'));
  return { action, targetType, param, kind: 'change' };
}

/** The JSON body of a response, when small enough to look into. */
function jsonOf(payload: unknown): Record<string, unknown> | null {
  if (typeof payload !== 'string' || payload.length > 65_536 || payload[0] !== '{') return null;
  try {
    return JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const mutationFields = (query: string): string[] => {
  try {
    return parse(query)
      .definitions.filter(
        (d): d is OperationDefinitionNode =>
          d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation',
      )
      .flatMap((d) =>
        d.selectionSet.selections.flatMap((s) =>
          s.kind === Kind.FIELD ? [`${s.alias?.value ?? s.name.value}:${s.name.value}`] : [],
        ),
      );
  } catch {
    return [];
  }
};

/** `updateSegment` → `segments.update`. */
export function graphqlAction(field: string): string {
  const m = /^([a-z]+)([A-Z]\w*)$/.exec(field);
  if (!m) return `graphql.${field}`;
  const noun = m[2].charAt(0).toLowerCase() + m[2].slice(1);
  return `${noun}s.${m[1]}`;
}

export function auditHook(platform: Platform) {
  const { audit } = platform;
  // Per route (method and URL pattern, so bounded by the routes): most requests are reads.
  const actions = new Map<string, RouteAction | null>();
  const actionOf = (method: string, url: string): RouteAction | null => {
    const key = `${method} ${url}`;
    let what = actions.get(key);
    if (what === undefined) {
      what = routeAction(method, url);
      actions.set(key, what);
    }
    return what;
  };
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (req.audited) return payload;
    req.audited = true;
    const url = req.routeOptions.url;
    if (!url) return payload;
    const status = reply.statusCode;
    const principal = req.principal as FastifyRequest['principal'] | undefined;

    if (url === '/graphql' && req.method === 'POST' && principal && status < 500) {
      const query = (req.body as { query?: unknown } | undefined)?.query;
      if (typeof query !== 'string' || !query.includes('mutation')) return payload;
      const data = (jsonOf(payload)?.data ?? null) as Record<string, unknown> | null;
      for (const f of mutationFields(query)) {
        const [alias, name] = f.split(':');
        const result = data?.[alias];
        if (result === null || result === undefined) continue;
        const variables = (req.body as { variables?: unknown }).variables;
        audit.record({
          workspaceId: principal.workspaceId,
          ...actorOf({ ...principal, ip: principal.ip ?? req.ip }),
          action: graphqlAction(name),
          targetType: 'segment',
          targetId:
            (typeof result === 'object' && (result as { id?: string }).id) ||
            ((variables as { id?: string } | undefined)?.id ?? null),
          status: 'succeeded',
          httpStatus: status,
          after: typeof result === 'object' ? result : undefined,
          detail: { via: 'graphql', variables: redact(variables ?? null) as Record<string, unknown> },
        });
      }
      return payload;
    }

    const what = actionOf(req.method, url);
    if (!what) return payload;
    const failed = status >= 400;
    if (failed && what.kind !== 'auth') return payload;
    const body = jsonOf(payload);
    const params = req.params as Record<string, string | undefined>;
    const bodyIn = req.body as Record<string, unknown> | undefined;
    let entry: Pick<AuditEntry, 'workspaceId' | 'actorType' | 'actorId' | 'role' | 'ip'> | null = null;
    if (principal)
      entry = {
        workspaceId: principal.workspaceId,
        ...actorOf({ ...principal, ip: principal.ip ?? req.ip }),
      };
    else if (what.kind === 'auth') {
      // Sign-in attempts: the workspace the session opened, or none ('') when it failed.
      const ws = (body?.workspace as { id?: string } | undefined)?.id;
      const user = (body?.user as { id?: string } | undefined)?.id;
      entry = {
        workspaceId: ws ?? '',
        actorType: 'user',
        actorId: user ?? (typeof bodyIn?.email === 'string' ? bodyIn.email.toLowerCase() : null),
        role: (body?.role as string | undefined) ?? null,
        ip: req.ip,
      };
    }
    if (!entry) return payload;
    audit.record({
      ...entry,
      action: what.action,
      targetType: what.targetType,
      targetId: (what.param && params?.[what.param]) || (typeof body?.id === 'string' ? body.id : null),
      status: failed ? 'failed' : 'succeeded',
      httpStatus: status,
      before: req.auditChange?.before,
      after: req.auditChange ? req.auditChange.after : what.kind === 'change' && body ? body : undefined,
      detail: {
        method: req.method,
        path: req.url.split('?')[0],
        ...(what.kind === 'export' ? { query: req.query } : {}),
        ...(bodyIn !== undefined && !Buffer.isBuffer(bodyIn) ? { body: bodyIn } : {}),
        ...(failed && body?.error ? { error: (body.error as { code?: string }).code } : {}),
      },
    });
    return payload;
  };
}

/** Registered first in a route list: adds the hook to the enclosing scope (skip-override). */
export function auditHookPlugin(platform: Platform) {
  const plugin = async (app: import('fastify').FastifyInstance) => {
    app.addHook('onSend', auditHook(platform));
  };
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}
