/**
 * Remembers `value` under `key`, first forgetting everything once the map holds `cap` entries. For memories that are
 * only a shortcut (a version to write against, an opened token): losing them costs the slow path, never a wrong answer.
 */
export function rememberCapped<K, V>(map: Map<K, V>, key: K, value: V, cap: number): void {
  if (map.size >= cap) map.clear();
  map.set(key, value);
}
