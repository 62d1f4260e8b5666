import type { DocumentData, DocumentReference, Firestore, Transaction } from '@google-cloud/firestore';
import { COLLECTIONS, ids, repoKey } from '../ids.js';
import { orderRoutes } from '../../domain/routes.js';
import { mappingOf } from '../../domain/subscription.js';
import { hasFilters, NO_FILTERS, type RouteFilters } from '../../domain/route-filters.js';
import type { AccessProof, RepoMapping, Route, Subscription } from '../types.js';
import { readFields, type FieldReader } from './decode.js';

/** The three documents of one (team, repo): the subscription, its mapping twin, and the opt-out marker. */
export interface SubscriptionRefs {
  repo: DocumentReference;
  mapping: DocumentReference;
  optOut: DocumentReference;
}

export function subscriptionRefs(db: Firestore, workspaceId: string, repoFullName: string): SubscriptionRefs {
  return {
    repo: db.collection(COLLECTIONS.repos).doc(ids.repo(workspaceId, repoFullName)),
    mapping: db.collection(COLLECTIONS.repoWorkspaceMappings).doc(ids.repoWorkspaceMapping(repoFullName, workspaceId)),
    optOut: db.collection(COLLECTIONS.repoOptOuts).doc(ids.repoOptOut(workspaceId, repoFullName)),
  };
}

export function toRepoData(s: Subscription): DocumentData {
  return {
    slack_team_id: s.workspaceId,
    repo_full_name: s.repoFullName,
    repo_key: repoKey(s.repoFullName),
    channel_id: s.channelId,
    enabled: s.enabled,
    created_by: s.createdBy,
    created_at: s.createdAt,
    disabled_reason: s.disabledReason,
    ...toAccessData(s.access),
    ...toRoutesData(s),
  };
}

/**
 * `routes` (channel id → filters, who set them, when) is written once a subscription has more than its one
 * unfiltered channel; a document without it (and every document from before routes) is that one route.
 */
function toRoutesData(s: Subscription): DocumentData {
  const only = s.routes.length === 1 ? s.routes[0] : undefined;
  if (only && only.channelId === s.channelId && !hasFilters(only.filters)) return {};
  return {
    routes: Object.fromEntries(
      s.routes.map((r) => [r.channelId, { filters: toFiltersData(r.filters), set_by: r.setBy, set_at: r.setAt }]),
    ),
  };
}

function toFiltersData(f: RouteFilters): DocumentData {
  return {
    include_labels: f.includeLabels,
    exclude_labels: f.excludeLabels,
    bases: f.bases,
    authors: f.authors,
    exclude_authors: f.excludeAuthors,
    bots: f.bots,
    drafts: f.drafts,
  };
}

function toRoutes(f: FieldReader, channelId: string, createdBy: string, createdAt: Date): Route[] {
  const routes = f.nestedEntries('routes').map(([id, r]): Route => {
    const filters = r.nestedOrNull('filters');
    return {
      channelId: id,
      filters: filters ? toFilters(filters) : NO_FILTERS,
      setBy: r.string('set_by'),
      setAt: r.date('set_at'),
    };
  });
  if (!routes.some((r) => r.channelId === channelId))
    routes.push({ channelId, filters: NO_FILTERS, setBy: createdBy, setAt: createdAt });
  return orderRoutes(channelId, routes);
}

function toFilters(f: FieldReader): RouteFilters {
  return {
    includeLabels: f.stringList('include_labels'),
    excludeLabels: f.stringList('exclude_labels'),
    bases: f.stringList('bases'),
    authors: f.stringList('authors'),
    excludeAuthors: f.stringList('exclude_authors'),
    bots: f.boolean('bots'),
    drafts: f.boolean('drafts'),
  };
}

export function toAccessData(access: AccessProof): {
  access_proof: AccessProof['kind'];
  access_github_user_id: number | null;
} {
  return {
    access_proof: access.kind,
    access_github_user_id: access.kind === 'github_user' ? access.githubUserId : null,
  };
}

export function toMappingData(m: RepoMapping): DocumentData {
  return {
    repo_full_name: m.repoFullName,
    repo_key: repoKey(m.repoFullName),
    workspace_id: m.workspaceId,
    created_at: m.createdAt,
    routes_by_label: m.routesByLabel,
    ...(m.subscription ? { subscription: toRepoData(m.subscription) } : {}),
  };
}

/** Both twins as the subscription now is: every change of a subscription goes through here. */
export function writeTwins(tx: Transaction, r: SubscriptionRefs, s: Subscription): void {
  tx.set(r.repo, toRepoData(s));
  tx.set(r.mapping, toMappingData(mappingOf(s)));
}

export function toOptOutData(o: { workspaceId: string; repoFullName: string; actor: string; at: Date }): DocumentData {
  return { slack_team_id: o.workspaceId, repo_key: repoKey(o.repoFullName), actor: o.actor, at: o.at };
}

export function toSubscription(path: string, data: unknown): Subscription {
  const f = readFields(path, data);
  // Read in the document's field order, so an error names the first bad field.
  const fields = {
    workspaceId: f.string('slack_team_id'),
    repoFullName: f.string('repo_full_name'),
    channelId: f.string('channel_id'),
    enabled: f.boolean('enabled'),
    createdBy: f.string('created_by'),
    createdAt: f.date('created_at'),
    disabledReason: f.stringOrNull('disabled_reason'),
    access: toAccessProof(f),
  };
  return { ...fields, routes: toRoutes(f, fields.channelId, fields.createdBy, fields.createdAt) };
}

const ACCESS_PROOFS = ['public', 'github_user'] as const;

/**
 * A document written before proofs were recorded reads as `public`: the weakest proof, which the pipeline
 * re-checks against every delivery, so such a subscription of a private repo is suspended at its next event.
 */
function toAccessProof(f: FieldReader): AccessProof {
  if (f.stringOrNull('access_proof') === null) return { kind: 'public' };
  return f.oneOf('access_proof', ACCESS_PROOFS) === 'github_user'
    ? { kind: 'github_user', githubUserId: f.integer('access_github_user_id') }
    : { kind: 'public' };
}

export function toRepoMapping(path: string, data: unknown): RepoMapping {
  const f = readFields(path, data);
  return {
    repoFullName: f.string('repo_full_name'),
    workspaceId: f.string('workspace_id'),
    createdAt: f.date('created_at'),
    // Written before the field existed: label changes reach it, as they did then.
    routesByLabel: f.booleanOr('routes_by_label', true),
    subscription: f.nestedOrNull('subscription') ? toSubscription(`${path}#subscription`, f.map('subscription')) : null,
  };
}
