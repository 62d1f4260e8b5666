import { formatFilters, NO_FILTERS, type RouteFilters } from './route-filters.js';
import type { AccessProof, Route, Subscription } from './subscription.js';

/**
 * How subscribe / filter / unsubscribe change a subscription's routes: pure, so that the Firestore store and the
 * in-memory store (tests) share the same rules. Each returns the next subscription and what to audit-log.
 */

export type SubscribeResult =
  | { outcome: 'created' }
  /** The channel was already a route: re-enabled, and its filters replaced when new ones were given. */
  | { outcome: 'updated'; previousChannelId: string }
  /** Another channel of the workspace now gets the repo's PRs too. */
  | { outcome: 'route_added' };

export interface AuditNote {
  action: string;
  details: Record<string, string | number | boolean | null>;
}

export interface SubscribeInput {
  workspaceId: string;
  repoFullName: string;
  channelId: string;
  actor: string;
  at: Date;
  access?: AccessProof;
  /** Absent: a new route has none, an existing route keeps its own. */
  filters?: RouteFilters;
}

/** A subscription of one unfiltered route, as the first subscribe (or auto-registration) creates it. */
export function newSubscription(input: {
  workspaceId: string;
  repoFullName: string;
  channelId: string;
  createdBy: string;
  at: Date;
  access: AccessProof;
  filters?: RouteFilters;
}): Subscription {
  return {
    workspaceId: input.workspaceId,
    repoFullName: input.repoFullName,
    channelId: input.channelId,
    routes: [
      { channelId: input.channelId, filters: input.filters ?? NO_FILTERS, setBy: input.createdBy, setAt: input.at },
    ],
    enabled: true,
    createdBy: input.createdBy,
    createdAt: input.at,
    disabledReason: null,
    access: input.access,
  };
}

export function findRoute(s: Subscription, channelId: string): Route | undefined {
  return s.routes.find((r) => r.channelId === channelId);
}

export function applySubscribe(
  current: Subscription | null,
  input: SubscribeInput,
): { next: Subscription; result: SubscribeResult; audit: AuditNote } {
  const access = input.access ?? { kind: 'public' };
  const filterNote = (filters: RouteFilters) => ({ filters: formatFilters(filters) });
  const accessNote = {
    access_proof: access.kind,
    access_github_user_id: access.kind === 'github_user' ? access.githubUserId : null,
  };
  if (!current) {
    const next = newSubscription({ ...input, createdBy: input.actor, access });
    return {
      next,
      result: { outcome: 'created' },
      audit: {
        action: 'subscription.create',
        details: { channel_id: input.channelId, ...accessNote, ...filterNote(next.routes[0]!.filters) },
      },
    };
  }
  const existing = findRoute(current, input.channelId);
  const route: Route = existing
    ? input.filters
      ? { ...existing, filters: input.filters, setBy: input.actor, setAt: input.at }
      : existing
    : { channelId: input.channelId, filters: input.filters ?? NO_FILTERS, setBy: input.actor, setAt: input.at };
  const next = { ...withRoute(current, route), enabled: true, disabledReason: null, access };
  return existing
    ? {
        next,
        result: { outcome: 'updated', previousChannelId: current.channelId },
        audit: {
          action: 'subscription.update',
          details: { channel_id: input.channelId, ...accessNote, ...filterNote(route.filters) },
        },
      }
    : {
        next,
        result: { outcome: 'route_added' },
        audit: {
          action: 'subscription.route_add',
          details: { channel_id: input.channelId, ...accessNote, ...filterNote(route.filters) },
        },
      };
}

/** Replaces one route's filters; null when the channel is not one of the subscription's routes. */
export function applyFilters(
  current: Subscription,
  input: { channelId: string; filters: RouteFilters; actor: string; at: Date },
): { next: Subscription; audit: AuditNote } | null {
  const existing = findRoute(current, input.channelId);
  if (!existing) return null;
  const route = { ...existing, filters: input.filters, setBy: input.actor, setAt: input.at };
  return {
    next: withRoute(current, route),
    audit: {
      action: 'subscription.filter',
      details: {
        channel_id: input.channelId,
        filters: formatFilters(input.filters),
        previous_filters: formatFilters(existing.filters),
      },
    },
  };
}

/**
 * Removes one route of several. `last` when the channel is the only route (the caller unsubscribes the repo
 * altogether), `absent` when it is no route.
 */
export function applyRouteRemoval(
  current: Subscription,
  channelId: string,
): { next: Subscription; audit: AuditNote } | 'last' | 'absent' {
  if (!findRoute(current, channelId)) return 'absent';
  const routes = current.routes.filter((r) => r.channelId !== channelId);
  const first = routes[0];
  if (!first) return 'last';
  return {
    // The first remaining route takes over as the channel notices go to.
    next: { ...current, channelId: first.channelId, routes },
    audit: { action: 'subscription.route_remove', details: { channel_id: channelId } },
  };
}

function withRoute(s: Subscription, route: Route): Subscription {
  const known = s.routes.some((r) => r.channelId === route.channelId);
  return {
    ...s,
    routes: known ? s.routes.map((r) => (r.channelId === route.channelId ? route : r)) : [...s.routes, route],
  };
}

/** Routes in a stable order: the subscription's own channel first, then by when they were set. */
export function orderRoutes(primaryChannelId: string, routes: Route[]): Route[] {
  return [...routes].sort(
    (a, b) =>
      Number(b.channelId === primaryChannelId) - Number(a.channelId === primaryChannelId) ||
      a.setAt.getTime() - b.setAt.getTime() ||
      a.channelId.localeCompare(b.channelId),
  );
}
