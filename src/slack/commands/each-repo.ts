import type { RepoName } from './parse-repo.js';

/**
 * Runs one repo's command for each named repo, one after the other (each with its own access check and outcome),
 * and joins the answers into one reply, a line per repo, so that a refused repo never hides the others. A repo whose
 * run fails gets its own line from `failed`: the repos before it are done and must be answered as done.
 * One repo gets its answer unchanged (and its failure goes to the caller).
 */
export async function forEachRepo(
  repos: RepoName[],
  run: (repo: RepoName) => Promise<string>,
  failed: (repo: RepoName, err: unknown) => string,
): Promise<string> {
  if (repos.length === 1) return run(repos[0]!);
  const lines: string[] = [];
  for (const repo of repos) {
    const line = await run(repo).catch((err: unknown) => failed(repo, err));
    lines.push(`• ${line}`);
  }
  return [`${repos.length} repositories:`, ...lines].join('\n');
}
