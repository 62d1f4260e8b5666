import type { RepoName } from './parse-repo.js';

/**
 * Runs one repo's command for each named repo, one after the other (each with its own access check and outcome),
 * and joins the answers into one reply, a line per repo, so that a refused repo never hides the others.
 * One repo gets its answer unchanged.
 */
export async function forEachRepo(repos: RepoName[], run: (repo: RepoName) => Promise<string>): Promise<string> {
  if (repos.length === 1) return run(repos[0]!);
  const lines: string[] = [];
  for (const repo of repos) lines.push(`• ${await run(repo)}`);
  return [`${repos.length} repositories:`, ...lines].join('\n');
}
