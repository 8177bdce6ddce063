import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ApiError, formatPath, type FieldIssue } from '../../../contract/errors';
import { isMissing, locationInWords, MISSING, profileErrorMap, sentence, yamlErrorWords } from './issue-words';
import { profileFileSchema, type ProfileFile, type ProfileSite } from './schema';

/**
 * Each issue's message is a whole sentence that says where, in words; its path stays the machine
 * form (`customers[0].name`) for programs and tests.
 */
function invalid(issues: FieldIssue[]): ApiError {
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const told = `${issues[0]!.message}${more}`;
  return new ApiError('PROFILE_INVALID', `${told}${/[.?!]$/.test(told) ? '' : '.'} Nothing was imported.`, issues);
}

/** An issue at `at` in `document`, told in words. */
export function profileIssue(document: unknown, at: readonly PropertyKey[], message: string): FieldIssue {
  return { path: formatPath(at), message: sentence(locationInWords(document, at), message) };
}

function parseText(text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    throw invalid(
      doc.errors.map((e) => {
        // e.linePos is filled in only with prettyErrors, so the position comes from the line counter.
        const at = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { path: '', message: sentence(at ? `line ${at.line}, column ${at.col}` : '', yamlErrorWords(e.code)) };
      }),
    );
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Cross-references the schema alone cannot see: unique names, jump hosts, VPN gateways. */
function checkReferences(file: ProfileFile): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const customerNames = new Map<string, number>();
  file.customers.forEach((customer, ci) => {
    const key = customer.name.toLowerCase();
    if (customerNames.has(key)) issues.push(profileIssue(file, ['customers', ci, 'name'], `"${customer.name}" is already the name of customer ${customerNames.get(key)! + 1}`));
    else customerNames.set(key, ci);
    const siteNames = new Map<string, number>();
    customer.sites.forEach((site, si) => {
      const at = ['customers', ci, 'sites', si] as const;
      const siteKey = site.name.toLowerCase();
      if (siteNames.has(siteKey)) issues.push(profileIssue(file, [...at, 'name'], `this customer already has a site "${site.name}"`));
      else siteNames.set(siteKey, si);
      issues.push(...checkSiteHosts(file, site, [...at]));
    });
  });
  return issues;
}

function checkSiteHosts(file: ProfileFile, site: ProfileSite, at: (string | number)[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const hostIndex = new Map<string, number>();
  site.hosts.forEach((host, hi) => {
    if (hostIndex.has(host.name.toLowerCase())) issues.push(profileIssue(file, [...at, 'hosts', hi, 'name'], `this site already has a host "${host.name}"`));
    else hostIndex.set(host.name.toLowerCase(), hi);
  });
  const jumpOf = new Map(site.hosts.map((h) => [h.name, h.ssh?.jump]));
  site.hosts.forEach((host, hi) => {
    const jump = host.ssh?.jump;
    if (!jump) return;
    const jumpAt = [...at, 'hosts', hi, 'ssh', 'jump'];
    if (!jumpOf.has(jump)) return void issues.push(profileIssue(file, jumpAt, `"${jump}" is not a host of this site`));
    const seen = new Set([host.name]);
    for (let next: string | undefined = jump; next; next = jumpOf.get(next)) {
      if (seen.has(next)) return void issues.push(profileIssue(file, jumpAt, `the jump hosts loop: ${[...seen, next].join(' → ')}`));
      seen.add(next);
    }
  });
  site.hosts.forEach((host, hi) => {
    const jump = host.vnc?.jump;
    if (!jump) return;
    const jumpAt = [...at, 'hosts', hi, 'vnc', 'jump'];
    const hop = site.hosts.find((h) => h.name === jump);
    if (!hop) issues.push(profileIssue(file, jumpAt, `"${jump}" is not a host of this site`));
    else if (hop === host) issues.push(profileIssue(file, jumpAt, 'a host cannot be its own VNC jump host'));
    else if (!hop.ssh) issues.push(profileIssue(file, jumpAt, `"${jump}" has no SSH endpoint; the VNC relay reaches ${host.name} through the jump host's SSH`));
  });
  if (site.vpn && !jumpOf.has(site.vpn.gateway)) {
    issues.push(profileIssue(file, [...at, 'vpn', 'gateway'], `"${site.vpn.gateway}" is not a host of this site`));
  }
  return issues;
}

/**
 * Reads a profile file's text (YAML, or JSON of the same shape) into validated data, or throws
 * PROFILE_INVALID listing every problem with its path. `baseDir` resolves relative VPN profile paths.
 */
export function parseProfile(text: string, baseDir?: string): ProfileFile {
  if (text.trim() === '') throw invalid([{ path: '', message: 'The file is empty' }]);
  const raw = parseText(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid([{ path: '', message: 'A profile file is a mapping with "version" and "customers"' }]);
  }
  const result = profileFileSchema.safeParse(raw, { error: profileErrorMap });
  if (!result.success) {
    throw invalid(result.error.issues.map((issue) =>
      profileIssue(raw, issue.path, issue.code === 'invalid_type' && isMissing(raw, issue.path) ? MISSING : issue.message)));
  }
  const references = checkReferences(result.data);
  if (references.length > 0) throw invalid(references);
  if (baseDir) {
    for (const site of result.data.customers.flatMap((c) => c.sites)) {
      if (site.vpn && !path.isAbsolute(site.vpn.profile)) site.vpn.profile = path.resolve(baseDir, site.vpn.profile);
    }
  }
  return result.data;
}
