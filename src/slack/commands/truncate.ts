/** A word from the command text, cut for quoting back in a reply. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
