/**
 * Lines joined with "\n" into as few texts as fit `max` each, in order (a line longer than `max` alone is the caller's
 * to cut). `continued(i)`: a line to put before line i when it starts a new text (e.g. a heading named again).
 */
export function packLines(
  lines: readonly string[],
  max: number,
  continued: (i: number) => string | null = () => null,
): string[] {
  const texts: string[] = [];
  let current = '';
  for (const [i, line] of lines.entries()) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length <= max) {
      current = next;
      continue;
    }
    texts.push(current);
    const heading = continued(i);
    current = heading === null ? line : `${heading}\n${line}`;
  }
  if (current !== '') texts.push(current);
  return texts;
}
