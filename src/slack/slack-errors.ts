/** The Slack Web API error code (`channel_not_found`, …) of a failed call, or null for network and other errors. */
export function slackErrorCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; data?: unknown };
  if (e.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  if (e.code !== 'slack_webapi_platform_error') return null;
  const data = e.data as { error?: unknown } | undefined;
  return typeof data?.error === 'string' ? data.error : null;
}
