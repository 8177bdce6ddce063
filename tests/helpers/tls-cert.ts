import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { certificateFingerprint } from '../../main/core/https/certificate-pin';

export interface TestCert { cert: string; key: string; pin: string }

/** A fresh self-signed RSA certificate and key as PEM files in `dir`, and its pin (`AB:CD:…`). */
export function makeSelfSignedCert(dir: string, name: string): TestCert {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=vnc-test', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key, pin: certificateFingerprint(new X509Certificate(fs.readFileSync(cert)).raw) };
}
