import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Page, Source } from './types.ts';

/** The workspace's sources, one cache entry shared by every page. */
export const sourcesQuery = {
  queryKey: ['sources'],
  queryFn: () => api<Page<Source>>('/sources', { query: { limit: 1000 } }),
};

/** A source id as its name (the id itself while loading, or for a deleted source). */
export function useSourceName(): (id: string) => string {
  const { data } = useQuery({ ...sourcesQuery, staleTime: 60_000 });
  const names = new Map((data?.data ?? []).map((s) => [s.id, s.name]));
  return (id) => names.get(id) ?? id;
}
