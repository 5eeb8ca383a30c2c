import { randomUUID } from 'node:crypto';
import type { TrackedEvent } from '../../src/core/tracking/index.ts';

/** A normalised event for tests that drive services directly: an identify at `at` unless `e` says otherwise. */
export function trackedEvent(e: Partial<TrackedEvent>, at = new Date()): TrackedEvent {
  return {
    messageId: randomUUID(),
    type: 'identify',
    event: 'Identify',
    userId: null,
    anonymousId: null,
    properties: {},
    traits: {},
    context: {},
    timestamp: at,
    sentAt: null,
    receivedAt: at,
    ...e,
  };
}
