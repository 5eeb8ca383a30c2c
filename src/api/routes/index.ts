import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Platform } from '../../platform/index.ts';
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
import { workspaceRoutes } from './workspaces.ts';

export type Routes = (platform: Platform) => FastifyPluginAsyncTypebox;

/** Authenticated REST routes, mounted under `/api/v1`. */
export const apiRoutes: Routes[] = [
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
export const rootRoutes: Routes[] = [collectRoutes, graphqlRoutes, consoleRoutes];
