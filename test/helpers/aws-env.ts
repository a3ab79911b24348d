/**
 * A temporary AWS configuration for a test process: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
 * point at files in a temporary directory (HOME too, so no ~/.aws of the machine is ever read),
 * and the variables that would override them (AWS_PROFILE, AWS_REGION, keys, AWS_ENDPOINT_URL…)
 * are unset until `restore()`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface AwsEnv {
  dir: string;
  configFile: string;
  credentialsFile: string;
  /** Replace the config file's contents (lines joined). */
  writeConfig(lines: string[]): void;
  writeCredentials(lines: string[]): void;
  restore(): void;
}

const OVERRIDES = /^(AWS_PROFILE|AWS_DEFAULT_PROFILE|AWS_REGION|AWS_DEFAULT_REGION|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_ENDPOINT_URL.*|AWS_IGNORE_CONFIGURED_ENDPOINT_URLS|AWS_CONFIG_FILE|AWS_SHARED_CREDENTIALS_FILE|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_ROLE_ARN|AWS_CONTAINER_CREDENTIALS_.*)$/;

export function tempAwsEnv(): AwsEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-handson-aws-'));
  const saved: Record<string, string | undefined> = { HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: process.env.AWS_EC2_METADATA_DISABLED };
  for (const k of Object.keys(process.env)) if (OVERRIDES.test(k)) saved[k] = process.env[k];
  for (const k of Object.keys(saved)) if (OVERRIDES.test(k)) delete process.env[k];
  const configFile = path.join(dir, 'config');
  const credentialsFile = path.join(dir, 'credentials');
  fs.writeFileSync(configFile, '');
  fs.writeFileSync(credentialsFile, '');
  process.env.AWS_CONFIG_FILE = configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  process.env.HOME = dir;
  // No instance metadata lookups at the end of the credential chain (this is not an EC2 instance).
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  return {
    dir,
    configFile,
    credentialsFile,
    writeConfig: (lines) => fs.writeFileSync(configFile, lines.join('\n') + '\n'),
    writeCredentials: (lines) => fs.writeFileSync(credentialsFile, lines.join('\n') + '\n'),
    restore: () => {
      for (const k of Object.keys(process.env)) if (OVERRIDES.test(k)) delete process.env[k];
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
