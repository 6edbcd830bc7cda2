/**
 * The scanner keyLines (lib/facts/resolve.ts) used before it jumped between quotes with native searches:
 * every character read in turn. Kept as the reference its answers are compared with (readers.test.ts).
 */
export function referenceIndex(text: string): Map<string, number[]> {
  const map = new Map<string, number[]>();
  const n = text.length;
  let line = 1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { line++; continue; }
    if (c !== 34) continue;
    const start = i + 1;
    let escaped = false;
    for (i = start; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d === 92) { escaped = true; i++; } else if (d === 34) break;
    }
    let j = i + 1;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j++;
    if (text.charCodeAt(j) !== 58) continue;
    j++;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j++;
    if (text.charCodeAt(j) !== 123) continue;
    const raw = text.slice(start, i);
    const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
    const lines = map.get(key);
    if (!lines) map.set(key, [line]);
    else if (lines[lines.length - 1] !== line) lines.push(line);
  }
  return map;
}
