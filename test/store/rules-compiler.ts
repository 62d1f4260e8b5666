/**
 * Loads rules text into the emulator for one project and returns what the compiler said. The emulator answers
 * 400 for syntax errors but only WARNs (and still loads) for typos such as `wrte` or `fals`, which would
 * silently deny or break access in production: callers treat any issue as a failure.
 */
export interface RulesIssue {
  description: string;
  severity: string;
}

export type CompileResult = { ok: true; issues: RulesIssue[] } | { ok: false; error: string };

export async function compileRules(options: {
  emulatorHost: string;
  projectId: string;
  rules: string;
}): Promise<CompileResult> {
  const res = await fetch(`http://${options.emulatorHost}/emulator/v1/projects/${options.projectId}:securityRules`, {
    method: 'PUT',
    body: JSON.stringify({ rules: { files: [{ content: options.rules }] } }),
  });
  const text = await res.text();
  if (!res.ok) return { ok: false, error: text };
  return { ok: true, issues: parseIssues(text) };
}

function parseIssues(text: string): RulesIssue[] {
  const body: unknown = text.trim() === '' ? {} : JSON.parse(text);
  if (typeof body !== 'object' || body === null || !('issues' in body) || !Array.isArray(body.issues)) return [];
  return body.issues.map((issue: unknown) => {
    const i = (typeof issue === 'object' && issue !== null ? issue : {}) as Record<string, unknown>;
    return { description: String(i['description'] ?? ''), severity: String(i['severity'] ?? '') };
  });
}
