// Test-time certificates made with the openssl CLI: a root, an intermediate, and leaves that are good, expired,
// for the wrong name, or self-signed. Returns null when openssl is not installed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  root: string;
  intermediate: string;
  good: { key: string; cert: string };
  expired: { key: string; cert: string };
  wrongName: { key: string; cert: string };
  selfSigned: { key: string; cert: string };
  cleanup: () => void;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

export function makePki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odbadge-pki-'));
  const f = (name: string) => path.join(dir, name);
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 20_000 });
  const key = (name: string) => ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(name));
  const ext = (name: string, body: string) => fs.writeFileSync(f(name), body);

  ext('ca.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  ext('leaf.ext', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n');
  ext('wrong.ext', 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:other.example\n');

  key('root.key');
  ossl('req', '-x509', '-new', '-key', f('root.key'), '-subj', '/CN=odbadge test root', '-days', '2', '-out', f('root.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  key('int.key');
  ossl('req', '-new', '-key', f('int.key'), '-subj', '/CN=odbadge test intermediate', '-out', f('int.csr'));
  ossl('x509', '-req', '-in', f('int.csr'), '-CA', f('root.pem'), '-CAkey', f('root.key'), '-CAcreateserial',
    '-days', '2', '-extfile', f('ca.ext'), '-out', f('int.pem'));

  const leaf = (name: string, extFile: string) => {
    key(`${name}.key`);
    ossl('req', '-new', '-key', f(`${name}.key`), '-subj', `/CN=${name}`, '-out', f(`${name}.csr`));
    ossl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('int.pem'), '-CAkey', f('int.key'), '-CAcreateserial',
      '-days', '2', '-extfile', f(extFile), '-out', f(`${name}.pem`));
  };
  leaf('good', 'leaf.ext');
  leaf('wrong', 'wrong.ext');

  // An expired leaf needs a validity period in the past, which only `openssl ca` can set on OpenSSL 3.0.
  key('expired.key');
  ossl('req', '-new', '-key', f('expired.key'), '-subj', '/CN=expired', '-out', f('expired.csr'));
  fs.mkdirSync(f('newcerts'));
  fs.writeFileSync(f('index.txt'), '');
  fs.writeFileSync(f('serial'), '1000\n');
  ext('ca.cnf', [
    '[ca]', 'default_ca=test', '[test]', `dir=${dir}`, 'database=$dir/index.txt', 'new_certs_dir=$dir/newcerts',
    'serial=$dir/serial', 'default_md=sha256', 'policy=any', 'copy_extensions=none', 'unique_subject=no',
    '[any]', 'commonName=supplied', '[leaf]', 'basicConstraints=CA:FALSE', 'keyUsage=digitalSignature',
    'extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1', '',
  ].join('\n'));
  ossl('ca', '-batch', '-config', f('ca.cnf'), '-extensions', 'leaf', '-cert', f('int.pem'), '-keyfile', f('int.key'),
    '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-in', f('expired.csr'), '-out', f('expired.pem'),
    '-notext');

  key('self.key');
  ossl('req', '-x509', '-new', '-key', f('self.key'), '-subj', '/CN=127.0.0.1', '-days', '2', '-out', f('self.pem'),
    '-addext', 'subjectAltName=IP:127.0.0.1');

  const read = (name: string) => fs.readFileSync(f(name), 'utf8');
  const intermediate = read('int.pem');
  return {
    root: read('root.pem'),
    intermediate,
    good: { key: read('good.key'), cert: read('good.pem') },
    expired: { key: read('expired.key'), cert: read('expired.pem') + intermediate },
    wrongName: { key: read('wrong.key'), cert: read('wrong.pem') + intermediate },
    selfSigned: { key: read('self.key'), cert: read('self.pem') },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
