/**
 * In-process event bus of membership changes, for activation (journeys, syncs, webhooks).
 * Listeners run synchronously after the change is stored; a throwing listener is logged by the
 * emitter's owner and never undoes the change.
 */
import { EventEmitter } from 'node:events';

export type ChangeSource = 'recompute' | 'realtime' | 'upload' | 'snapshot' | 'copy';

/** One profile entering (true) or leaving (false) a segment. */
export interface MemberChange {
  profileId: string;
  entered: boolean;
}

export interface MembershipChanged {
  workspaceId: string;
  segmentId: string;
  /** When the change was recorded; with `version`, the key of its rows in segment_history. */
  at: string;
  version: number;
  source: ChangeSource;
  entered: number;
  exited: number;
  /**
   * The changed profiles, when there are at most MAX_INLINE_CHANGES of them; otherwise read
   * them with `segments.membership.changesOf(workspaceId, segmentId, at, version)`.
   */
  changes: MemberChange[] | null;
}

export interface SegmentDeleted {
  workspaceId: string;
  segmentId: string;
}

export const MAX_INLINE_CHANGES = 10_000;

interface Events {
  membership: [MembershipChanged];
  deleted: [SegmentDeleted];
}

/** A typed EventEmitter: `bus.on('membership', (e) => …)`. */
export class SegmentBus extends EventEmitter<Events> {}
