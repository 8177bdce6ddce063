import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ApiError, formatPath, type FieldIssue } from '../../../contract/errors';
import { profileFileSchema, type ProfileFile, type ProfileSite } from './schema';

function invalid(issues: FieldIssue[]): ApiError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ApiError('PROFILE_INVALID', `${first.path ? `${first.path}: ` : ''}${first.message}${more}. Nothing was imported.`, issues);
}

function parseText(text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    throw invalid(
      doc.errors.map((e) => {
        // e.linePos is filled in only with prettyErrors, so the position comes from the line counter.
        const at = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { path: '', message: `${at ? `line ${at.line}, column ${at.col}: ` : ''}${e.message.split('\n')[0]} (the file is not valid YAML or JSON)` };
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
    if (customerNames.has(key)) issues.push({ path: formatPath(['customers', ci, 'name']), message: `"${customer.name}" is already used by customers[${customerNames.get(key)}]` });
    else customerNames.set(key, ci);
    const siteNames = new Map<string, number>();
    customer.sites.forEach((site, si) => {
      const at = ['customers', ci, 'sites', si] as const;
      const siteKey = site.name.toLowerCase();
      if (siteNames.has(siteKey)) issues.push({ path: formatPath([...at, 'name']), message: `this customer already has a site "${site.name}"` });
      else siteNames.set(siteKey, si);
      issues.push(...checkSiteHosts(site, [...at]));
    });
  });
  return issues;
}

function checkSiteHosts(site: ProfileSite, at: (string | number)[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const hostIndex = new Map<string, number>();
  site.hosts.forEach((host, hi) => {
    if (hostIndex.has(host.name.toLowerCase())) issues.push({ path: formatPath([...at, 'hosts', hi, 'name']), message: `this site already has a host "${host.name}"` });
    else hostIndex.set(host.name.toLowerCase(), hi);
  });
  const jumpOf = new Map(site.hosts.map((h) => [h.name, h.ssh?.jump]));
  site.hosts.forEach((host, hi) => {
    const jump = host.ssh?.jump;
    if (!jump) return;
    const jumpPath = formatPath([...at, 'hosts', hi, 'ssh', 'jump']);
    if (!jumpOf.has(jump)) return void issues.push({ path: jumpPath, message: `"${jump}" is not a host of this site` });
    const seen = new Set([host.name]);
    for (let next: string | undefined = jump; next; next = jumpOf.get(next)) {
      if (seen.has(next)) return void issues.push({ path: jumpPath, message: `the jump hosts loop: ${[...seen, next].join(' → ')}` });
      seen.add(next);
    }
  });
  if (site.vpn && !jumpOf.has(site.vpn.gateway)) {
    issues.push({ path: formatPath([...at, 'vpn', 'gateway']), message: `"${site.vpn.gateway}" is not a host of this site` });
  }
  return issues;
}

/**
 * Reads a profile file's text (YAML, or JSON of the same shape) into validated data, or throws
 * PROFILE_INVALID listing every problem with its path. `baseDir` resolves relative VPN profile paths.
 */
export function parseProfile(text: string, baseDir?: string): ProfileFile {
  if (text.trim() === '') throw invalid([{ path: '', message: 'the file is empty' }]);
  const raw = parseText(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid([{ path: '', message: 'a profile file is a mapping with "version" and "customers"' }]);
  }
  const result = profileFileSchema.safeParse(raw);
  if (!result.success) {
    throw invalid(result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })));
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
