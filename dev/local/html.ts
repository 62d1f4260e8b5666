/** Escapes text for HTML content and quoted attribute values: everything from Slack or GitHub is untrusted. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
