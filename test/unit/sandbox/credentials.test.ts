import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROFILE_NAME, profilePaths, upsertIniSection, writeProfile } from '../../../src/sandbox/credentials';

const opts = (dir: string) => ({
  accessKeyId: 'AKIAAAAAAAAAAAAAAAAA',
  secretAccessKey: 's'.repeat(40),
  region: 'ap-northeast-1',
  endpoint: 'http://127.0.0.1:4577',
  env: { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws', 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'aws', 'config') },
});

describe('sandbox credentials: AWS CLI profile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-cred-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the files from AWS_* variables or ~/.aws', () => {
    assert.deepEqual(profilePaths({}, '/home/u'), { credentialsFile: '/home/u/.aws/credentials', configFile: '/home/u/.aws/config' });
    assert.deepEqual(profilePaths({ AWS_SHARED_CREDENTIALS_FILE: '/c', AWS_CONFIG_FILE: '/f' }, '/home/u'), { credentialsFile: '/c', configFile: '/f' });
  });

  it('creates both files (dirs 0700, files 0600) with our profile', () => {
    const p = writeProfile(opts(dir));
    assert.equal(fs.readFileSync(p.credentialsFile, 'utf8'), `[${PROFILE_NAME}]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = ${'s'.repeat(40)}\n`);
    assert.equal(fs.readFileSync(p.configFile, 'utf8'), `[profile ${PROFILE_NAME}]\nregion = ap-northeast-1\noutput = json\nendpoint_url = http://127.0.0.1:4577\n`);
    assert.equal((fs.statSync(path.join(dir, 'aws')).mode & 0o777).toString(8), '700');
    assert.equal((fs.statSync(p.credentialsFile).mode & 0o777).toString(8), '600');
    assert.equal((fs.statSync(p.configFile).mode & 0o777).toString(8), '600');
  });

  it('leaves other profiles and comments byte for byte, replacing only ours', () => {
    const o = opts(dir);
    fs.mkdirSync(path.join(dir, 'aws'));
    const head = '# my credentials\n[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = abc\n\n';
    const tail = '\n; the work account\n[work]\naws_access_key_id=AKIAWORK\r\naws_secret_access_key = w  \n# end\n';
    fs.writeFileSync(o.env.AWS_SHARED_CREDENTIALS_FILE, `${head}[${PROFILE_NAME}]\naws_access_key_id = OLD\naws_secret_access_key = OLD\n${tail}`, { mode: 0o640 });
    const cfg = '[default]\nregion = us-east-1\n[profile other]\nregion=eu-west-1\nsso_session = x\n';
    fs.writeFileSync(o.env.AWS_CONFIG_FILE, cfg);
    writeProfile(o);
    writeProfile({ ...o, endpoint: 'http://127.0.0.1:5000' }); // idempotent refresh
    const creds = fs.readFileSync(o.env.AWS_SHARED_CREDENTIALS_FILE, 'utf8');
    assert.equal(creds, `${head}[${PROFILE_NAME}]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = ${'s'.repeat(40)}\n${tail}`);
    assert.equal((fs.statSync(o.env.AWS_SHARED_CREDENTIALS_FILE).mode & 0o777).toString(8), '640', 'existing mode kept');
    const config = fs.readFileSync(o.env.AWS_CONFIG_FILE, 'utf8');
    assert.equal(config, `${cfg}\n[profile ${PROFILE_NAME}]\nregion = ap-northeast-1\noutput = json\nendpoint_url = http://127.0.0.1:5000\n`);
  });

  it('upsertIniSection: CRLF files stay CRLF, duplicates of our section are merged, no trailing newline kept as is', () => {
    assert.equal(upsertIniSection('[a]\r\nx=1\r\n', 'b', [['k', 'v']]), '[a]\r\nx=1\r\n\r\n[b]\r\nk = v\r\n');
    assert.equal(upsertIniSection('[b]\nk=1\n[a]\nx=1\n[b]\nk=2\n', 'b', [['k', 'v']]), '[b]\nk = v\n[a]\nx=1\n');
    assert.equal(upsertIniSection('[a]\nx=1\n[b]\nold=1', 'b', [['k', 'v']]), '[a]\nx=1\n[b]\nk = v');
    assert.equal(upsertIniSection('', 'b', [['k', 'v']]), '[b]\nk = v\n');
    assert.equal(upsertIniSection('[ b ]  # ours\nk=1\n', 'b', [['k', 'v']]), '[b]\nk = v\n');
  });

  it('follows a symlinked credentials file instead of replacing the link', () => {
    const o = opts(dir);
    const real = path.join(dir, 'real-credentials');
    fs.writeFileSync(real, '[default]\nx = 1\n');
    fs.mkdirSync(path.join(dir, 'aws'));
    fs.symlinkSync(real, o.env.AWS_SHARED_CREDENTIALS_FILE);
    writeProfile(o);
    assert.ok(fs.lstatSync(o.env.AWS_SHARED_CREDENTIALS_FILE).isSymbolicLink());
    assert.match(fs.readFileSync(real, 'utf8'), /^\[default\]\nx = 1\n\n\[ecs-handson-sandbox\]\n/);
  });
});
