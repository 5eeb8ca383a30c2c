import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../platform/index.ts';
import { auditHookPlugin } from '../audit.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { collectRoutes } from './collect.ts';
import { consoleRoutes } from './console.ts';
import { eventRoutes } from './events.ts';
import { graphqlRoutes } from './graphql.ts';
import { identityRoutes } from './identity.ts';
import { jobRoutes } from './jobs.ts';
import { marketingRoutes } from './marketing.ts';
import { profileRoutes } from './profiles.ts';
import { reportRoutes } from './reports.ts';
import { segmentRoutes } from './segments.ts';
import { userRoutes } from './users.ts';
import { workspaceRoutes } from './workspaces.ts';

export type Routes = (platform: Platform) => FastifyPluginAsyncTypebox;

/** REST routes, mounted under `/api/v1`: authenticated unless a route's config says `public`. */
export const apiRoutes: Routes[] = [
  // First: its hook then covers every route registered after it.
  auditHookPlugin as unknown as Routes,
  auditRoutes,
  authRoutes,
  userRoutes,
  workspaceRoutes,
  jobRoutes,
  eventRoutes,
  profileRoutes,
  identityRoutes,
  segmentRoutes,
  reportRoutes,
  marketingRoutes,
];

/** Routes at the root: the collection API (write keys) and the console. */
export const rootRoutes: Routes[] = [
  auditHookPlugin as unknown as Routes,
  collectRoutes,
  graphqlRoutes,
  consoleRoutes,
];
