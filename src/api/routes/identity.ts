import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Platform } from '../../platform/index.ts';
import { errorResponses, IdParams, Page, PageQuery } from '../schemas.ts';
import { JobSchema } from './jobs.ts';

const CandidateStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('accepted'),
  Type.Literal('rejected'),
  Type.Literal('merged'),
]);

const CandidateProfile = Type.Object({
  id: Type.String({ description: 'The profile as scored' }),
  currentId: Type.Union([Type.String(), Type.Null()], {
    description: 'Where it lives now (itself or the profile it merged into); null once erased',
  }),
  traits: Type.Record(Type.String(), Type.Unknown()),
  identities: Type.Array(Type.Object({ type: Type.String(), value: Type.String() })),
});

const Candidate = Type.Object({
  id: Type.String(),
  status: CandidateStatus,
  score: Type.Number(),
  features: Type.Array(
    Type.Object({
      name: Type.String(),
      weight: Type.Number({ description: 'Points this feature adds (negative: evidence against)' }),
      value: Type.String({ description: 'exact, similar, equal, different, one_edit, missing, …' }),
    }),
    { description: 'Why: the weights add up to the score' },
  ),
  profiles: Type.Array(CandidateProfile, { minItems: 2, maxItems: 2 }),
  createdAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
});

const Identifiers = Type.Array(Type.String(), { description: '`kind:value`, highest priority first' });

const SimulateBody = Type.Object(
  {
    settings: Type.Unknown({ description: 'Proposed identity settings, as for PUT /identity/settings' }),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 200_000 })),
  },
  { additionalProperties: false },
);

const SimulateReport = Type.Object({
  days: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  events: Type.Integer({ description: 'Events replayed (the latest `limit` of the window)' }),
  truncated: Type.Boolean(),
  currentProfiles: Type.Integer({ description: "Today's profiles holding the window's events" }),
  proposedProfiles: Type.Integer({ description: 'Profiles under the proposed settings' }),
  merges: Type.Object({
    groups: Type.Integer(),
    profiles: Type.Integer({ description: "Today's profiles that would merge with another" }),
    examples: Type.Array(
      Type.Object({
        profileIds: Type.Array(Type.String()),
        events: Type.Integer(),
        identifiers: Identifiers,
      }),
    ),
  }),
  splits: Type.Object({
    profiles: Type.Integer({ description: "Today's profiles that would split" }),
    examples: Type.Array(
      Type.Object({
        profileId: Type.String(),
        parts: Type.Array(Type.Object({ events: Type.Integer(), identifiers: Identifiers })),
      }),
    ),
  }),
  baseline: Type.Object(
    {
      proposedProfiles: Type.Integer(),
      mergeGroups: Type.Integer(),
      splitProfiles: Type.Integer(),
    },
    { description: "Today's settings replayed over the same events: the window's own effect" },
  ),
});

/** Probabilistic matching (run, review queue) and the rule simulator. */
export function identityRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { matching, candidates, simulator } = platform.identity;
  return async (app) => {
    app.post(
      '/identity/match',
      {
        schema: {
          tags: ['identity'],
          description:
            'Run probabilistic matching now (it also runs daily): pairs at or above the threshold merge, pairs just below wait for review. Answers the job; a run already queued or running is answered instead of a new one.',
          response: { 202: JobSchema, ...errorResponses },
        },
      },
      async (req, reply) => reply.status(202).send(await matching.request(req.principal)),
    );

    app.get(
      '/identity/candidates',
      {
        schema: {
          tags: ['identity'],
          description:
            'Probabilistic match candidates, best score first, with both profiles and the features.',
          querystring: Type.Object({
            status: Type.Optional(CandidateStatus),
            ...PageQuery.properties,
          }),
          response: { 200: Page(Candidate), ...errorResponses },
        },
      },
      async (req) => candidates.list(req.principal, req.query.status, req.query.limit, req.query.cursor),
    );

    app.get(
      '/identity/candidates/:id',
      {
        schema: {
          tags: ['identity'],
          description: 'One match candidate.',
          params: IdParams,
          response: { 200: Candidate, ...errorResponses },
        },
      },
      async (req) => candidates.get(req.principal, req.params.id),
    );

    app.post(
      '/identity/candidates/:id/accept',
      {
        schema: {
          tags: ['identity'],
          description:
            'Merge the pair (into the older profile) and mark the candidate accepted. 409 when it was decided already or merging would break a limit.',
          params: IdParams,
          response: { 200: Candidate, ...errorResponses },
        },
      },
      async (req) => candidates.accept(req.principal, req.params.id),
    );

    app.post(
      '/identity/candidates/:id/reject',
      {
        schema: {
          tags: ['identity'],
          description: 'Reject the pair: it is never proposed or merged again.',
          params: IdParams,
          response: { 200: Candidate, ...errorResponses },
        },
      },
      async (req) => candidates.reject(req.principal, req.params.id),
    );

    app.post(
      '/identity/simulate',
      {
        schema: {
          tags: ['identity'],
          description:
            "Replay the last `days` of events under proposed settings and compare with today's profiles: how many would merge or split, with examples. Changes nothing.",
          body: SimulateBody,
          response: { 200: SimulateReport, ...errorResponses },
        },
      },
      async (req) => simulator.simulate(req.principal, req.body),
    );
  };
}
