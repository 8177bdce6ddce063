/**
 * "SHA256:AbCd…" in groups of four characters, for reading aloud and comparing by eye (the base64 is
 * case-sensitive; the groups keep the reader's place, the value itself is unchanged).
 */
export function fingerprintGroups(fingerprint: string): { prefix: string; groups: string[] } {
  const match = /^(SHA256:)(.*)$/.exec(fingerprint);
  const prefix = match ? match[1]! : '';
  const body = match ? match[2]! : fingerprint;
  const groups: string[] = [];
  for (let i = 0; i < body.length; i += 4) groups.push(body.slice(i, i + 4));
  return { prefix, groups };
}
