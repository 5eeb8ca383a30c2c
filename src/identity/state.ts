import type { ProfileIdentifier, TraitState } from '../core/identity/index.ts';
import type { IdentityRow, ProfileRow } from '../storage/repositories/identity.ts';

export interface HeldIdentifier extends ProfileIdentifier {
  source: string;
  meta: Record<string, unknown> | null;
  firstSeen: number;
  lastSeen: number;
}

/** A profile as the resolver works on it (the cached, authoritative copy on this node). */
export interface ProfileState {
  id: string;
  createdAt: number;
  identifiers: HeldIdentifier[];
  traits: TraitState;
  firstSeen: number;
  lastSeen: number;
}

export function heldIdentifier(r: IdentityRow): HeldIdentifier {
  return {
    kind: r.kind,
    value: r.value,
    shared: r.shared || undefined,
    source: r.source,
    meta: r.meta,
    firstSeen: Date.parse(r.first_seen),
    lastSeen: Date.parse(r.last_seen),
  };
}

export function profileState(p: ProfileRow, ids: readonly IdentityRow[]): ProfileState {
  return {
    id: p.id,
    createdAt: Date.parse(p.created_at),
    identifiers: ids.map(heldIdentifier),
    traits: p.traits,
    firstSeen: Date.parse(p.first_seen),
    lastSeen: Date.parse(p.last_seen),
  };
}
