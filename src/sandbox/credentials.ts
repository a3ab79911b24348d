/**
 * Writes the sandbox's credentials as the AWS CLI profile `ecs-handson-sandbox`, so
 * `aws --profile ecs-handson-sandbox …` (and the SDKs' shared-config loading) just works.
 *
 * Only our own sections are replaced; every other byte of the files (other profiles, comments,
 * blank lines, line endings) stays as it was. Writes are atomic; new directories get 0700 and new
 * files 0600.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomicSync } from './store';

export const PROFILE_NAME = 'ecs-handson-sandbox';

export interface ProfilePaths {
  credentialsFile: string;
  configFile: string;
}

export function profilePaths(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): ProfilePaths {
  return {
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
    configFile: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
  };
}

const SECTION_RE = /^\s*\[\s*([^\]]*?)\s*\]\s*(?:[;#].*)?$/;
const TRIVIA_RE = /^\s*(?:[;#].*)?$/;

/**
 * Replaces the section named `name` (first occurrence; later duplicates are removed) with
 * `[name]` + `entries`, or appends it. Comments and blank lines at the end of the old section
 * (which usually introduce the next one) are kept.
 */
export function upsertIniSection(text: string, name: string, entries: [string, string][]): string {
  // New lines use CRLF only in a file whose every line ends in CRLF.
  const eol = text.includes('\r\n') && !/(^|[^\r])\n/.test(text) ? '\r\n' : '\n';
  // Lines with their own terminators, so untouched lines are written back byte for byte.
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const content = (l: string) => l.replace(/\r?\n$/, '');
  const block = [`[${name}]`, ...entries.map(([k, v]) => `${k} = ${v}`)].map((l) => l + eol);

  const out: string[] = [];
  let replaced = false;
  let i = 0;
  while (i < lines.length) {
    const m = SECTION_RE.exec(content(lines[i]));
    if (!m || m[1] !== name) {
      out.push(lines[i]);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < lines.length && !SECTION_RE.test(content(lines[j]))) j++;
    // Keep the trailing trivia (comments / blanks just before the next section).
    let k = j;
    while (k > i + 1 && TRIVIA_RE.test(content(lines[k - 1]))) k--;
    if (!replaced) {
      // The old section's last line had no newline (end of file): neither does ours.
      const lastHadNewline = j - 1 < 0 || /\n$/.test(lines[j - 1]) || k < j;
      const b = [...block];
      if (!lastHadNewline && k === j) b[b.length - 1] = content(b[b.length - 1]);
      out.push(...b);
    }
    replaced = true;
    out.push(...lines.slice(k, j));
    i = j;
  }
  if (!replaced) {
    if (out.length > 0 && !/\n$/.test(out[out.length - 1])) out[out.length - 1] += eol;
    if (out.length > 0 && content(out[out.length - 1]).trim() !== '') out.push(eol);
    out.push(...block);
  }
  return out.join('');
}

function rewrite(file: string, update: (text: string) => string): void {
  let target = file;
  let mode = 0o600;
  let text = '';
  try {
    target = fs.realpathSync(file); // keep a symlinked ~/.aws/credentials a symlink
    text = fs.readFileSync(target, 'utf8');
    mode = fs.statSync(target).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const next = update(text);
  if (next === text) return;
  writeFileAtomicSync(target, next, mode);
}

export interface ProfileOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  endpoint: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Writes (or refreshes) the profile in the CLI's credentials and config files; returns where. */
export function writeProfile(o: ProfileOptions): ProfilePaths {
  const p = profilePaths(o.env, o.home);
  const name = o.profile ?? PROFILE_NAME;
  rewrite(p.credentialsFile, (t) =>
    upsertIniSection(t, name, [
      ['aws_access_key_id', o.accessKeyId],
      ['aws_secret_access_key', o.secretAccessKey],
    ]),
  );
  rewrite(p.configFile, (t) =>
    upsertIniSection(t, `profile ${name}`, [
      ['region', o.region],
      ['output', 'json'],
      ['endpoint_url', o.endpoint],
    ]),
  );
  return p;
}
