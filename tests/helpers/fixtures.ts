import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { makeTempDir } from './temp-dir';

/** A pinned OpenSSH host key fingerprint: "SHA256:" and 43 base64 characters. */
export const HOST_KEY = 'SHA256:dkryFMT07cjqxELSZ6bipwDKRY5ahovCJQX4/gnuBIP';
/** A certificate fingerprint: 32 hex byte pairs. */
export const CERT_SHA256 = Array.from({ length: 32 }, (_, i) => ((i * 37 + 11) % 256).toString(16).toUpperCase().padStart(2, '0')).join(':');

/**
 * One site, Acme/pune, that has approved SSH only: VNC to pbx1 or pbx2 needs an exception signed by a
 * lead (the approvals, exception re-check and exception e2e tests).
 */
export const EXCEPTION_SITE = 'Acme/pune';
export const EXCEPTION_PROFILE_YAML = `version: 1
customers:
  - name: Acme
    package: premium
    timezone: UTC
    workdays: [mon, tue, wed, thu, fri]
    sites:
      - name: pune
        seats: 20
        peak_calls: 50
        approved_methods: [ssh]
        hosts:
          - { name: pbx1, address: 10.30.0.5, ssh: { port: 22 }, vnc: { port: 5901 } }
          - { name: pbx2, address: 10.30.0.6, vnc: { port: 5901 } }
`;

/** Acme/Pune with one host, pbx1, whose allow-list is `allow` (the policy-change tests widen it). */
export const allowListProfile = (allow: string[]) => `version: 1
customers:
  - name: Acme
    package: premium
    timezone: Asia/Kolkata
    workdays: [mon, tue, wed, thu, fri]
    sites:
      - name: Pune
        seats: 100
        peak_calls: 400
        approved_methods: [ssh]
        hosts:
          - { name: pbx1, address: 10.0.0.5, allow: [${allow.join(', ')}] }
`;

/**
 * The sample from PROFILE-FORMAT.md with valid values, plus a second customer so ordering and
 * all-or-nothing behaviour can be seen. `lync` is used on purpose (it must become `teams`).
 */
export const SAMPLE_PROFILE_YAML = `version: 1
customers:
  - name: Acme Telecom
    package: premium
    timezone: Asia/Kolkata
    workdays: [mon, tue, wed, thu, fri, sat]
    holidays: [2026-01-26, 2026-12-25]
    contacts:
      - { name: Priya Nair, role: client-it, phone: "+91 22 5550 1000", email: it@acme.example }
    sites:
      - name: mumbai-prod
        seats: 100
        peak_calls: 400
        components: [acd, ivr, dialer, voice_logger, reports]
        product_version: "4.12.3"
        approved_methods: [ssh, https, vnc, vpn, anydesk, teamviewer, webex, lync]
        retention: { ameyodb_days: 90, reportsdb_days: 180 }
        hosts:
          - name: bastion
            address: 203.0.113.10
            ssh: { port: 2222, user: support, host_key: "${HOST_KEY}", agent: true }
          - name: app01
            address: app01.acme.example
            allow: [10.20.0.11/32]
            role: application
            ssh: { user: support, host_key: "${HOST_KEY}", credential: acme-support, jump: bastion }
            https: { port: 8443, path: /ameyo, cert_sha256: "${CERT_SHA256}" }
            vnc: { port: 5901, credential: acme-vnc, view_only: true, jump: bastion, clipboard: to-engineer, tls_cert_sha256: "${CERT_SHA256}" }
          - name: vpn-gw
            address: 2001:db8::10
            allow: [2001:db8::/64]
          - name: agent-pc-07
            anydesk: "123456789"
            teamviewer: "987654321"
        vpn:
          client: openvpn
          profile: acme.ovpn
          gateway: vpn-gw
        notes:
          - title: DB retention
            body: |
              ameyodb keeps 90 days, reportsdb 180 days; ACP cleanup runs nightly.
          - title: Dialer restarts
            body: Restart the dialer only after the nightly failover check.
      - name: pune-dr
        seats: 20
        peak_calls: 50
        hosts:
          - name: dr01
            address: 10.30.0.5
  - name: Globex Retail
    package: premium
    timezone: Europe/Berlin
    workdays: [mon, tue, wed, thu, fri]
    sites:
      - name: berlin
        seats: 40
        peak_calls: 120
        approved_methods: [teams, https]
        hosts:
          - name: web01
            address: web01.globex.example
            https: { port: 443 }
        notes:
          - title: Escalation
            body: Call the Globex NOC before any failover test.
`;

/**
 * The sample with its VPN profile written to a temp folder and named by absolute path, as an import
 * from the window needs: it has no folder to resolve "acme.ovpn" against, and every VPN profile is
 * read and checked when imported.
 */
export function sampleWithVpnFile(): string {
  const file = path.join(makeTempDir('switchboard-vpn-profile-'), 'acme.ovpn');
  fs.writeFileSync(file, 'client\nremote vpn.acme.example 1194\n');
  return SAMPLE_PROFILE_YAML.replace('profile: acme.ovpn', `profile: ${file}`);
}

export type ProfileDoc = Record<string, unknown> & { customers: Record<string, unknown>[] };

/** The sample as plain data, a fresh copy each call, to be changed and written back with `toYaml`. */
export function sampleDoc(): ProfileDoc {
  return parse(SAMPLE_PROFILE_YAML) as ProfileDoc;
}

export function toYaml(doc: unknown): string {
  return stringify(doc, { lineWidth: 0 });
}

/** The sample with one change applied, as YAML text. */
export function sampleWith(change: (doc: ProfileDoc) => void): string {
  const doc = sampleDoc();
  change(doc);
  return toYaml(doc);
}

/** Walks a path like "customers.0.sites.0.hosts.1" in a document, for table-driven edits. */
export function at(doc: unknown, dotted: string): Record<string, unknown> {
  return dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], doc) as Record<string, unknown>;
}
