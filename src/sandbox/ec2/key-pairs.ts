/**
 * Key pairs: CreateKeyPair (a real RSA or ED25519 key; the private key is returned once and never
 * kept), ImportKeyPair, DescribeKeyPairs, DeleteKeyPair. RunInstances refuses a key name that does
 * not exist (instances.ts).
 */
import type { CreateKeyPairCommandInput, DeleteKeyPairCommandInput, DescribeKeyPairsCommandInput, ImportKeyPairCommandInput } from '@aws-sdk/client-ec2';
import { ec2Id } from '../engine/ids';
import type { KeyPair, Tag } from '../engine/state';
import type { Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { own } from '../records';
import { xmlDate, type RequestContext } from '../service';
import { keyPairNotFound } from './errors';
import { applyFilters, parseFilters } from './filters';
import { type Ec2Context, checkDryRun, missing, tagSet, tagsFor } from './request';
import { createSshKey, importSshKey, type SshKey } from './ssh-keys';

/** Key pairs an account may have in a region, as EC2's quota. */
export const KEY_PAIR_LIMIT = 5000;

export const findKeyPairByName = (ctx: Ec2Context, name: string): KeyPair | undefined =>
  Object.values(ctx.state.ec2.keyPairs).find((k) => k.keyName === name);

/** A key name as EC2 takes it: 1–255 ASCII characters. */
function keyNameOf(name: string | undefined): string {
  if (name === undefined || name === '') throw missing('KeyName');
  if (name.length > 255) throw new AwsError('InvalidParameterValue', `Value (${name}) for parameter keyName is invalid. Length exceeds maximum of 255.`);
  if (!/^[\x20-\x7e]*$/.test(name)) throw new AwsError('InvalidParameterValue', `Value (${name}) for parameter keyName is invalid. Character sets beyond ASCII are not supported.`);
  return name;
}

function checkNew(ctx: Ec2Context, name: string): void {
  if (findKeyPairByName(ctx, name)) throw new AwsError('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
  if (Object.keys(ctx.state.ec2.keyPairs).length >= KEY_PAIR_LIMIT) throw new AwsError('KeyPairLimitExceeded', 'Maximum of 5000 keypairs reached.');
}

function store(ctx: Ec2Context, name: string, key: SshKey, tags: Tag[], comment: string): KeyPair {
  const kp: KeyPair = {
    keyPairId: ec2Id('key'),
    keyName: name,
    keyType: key.keyType,
    keyFingerprint: key.keyFingerprint,
    publicKey: comment ? `${key.publicKey} ${comment}` : key.publicKey,
    createTime: ctx.now,
    tags,
  };
  ctx.state.ec2.keyPairs[kp.keyPairId] = kp;
  return kp;
}

export const createKeyPair: Operation<CreateKeyPairCommandInput> = async (ctx, input) => {
  const name = keyNameOf(input.KeyName);
  const keyType: string = input.KeyType ?? 'rsa';
  if (keyType !== 'rsa' && keyType !== 'ed25519') throw new AwsError('InvalidParameterValue', `Value (${keyType}) for parameter keyType is invalid. Valid values are: rsa, ed25519.`);
  const format: string = input.KeyFormat ?? 'pem';
  if (format === 'ppk') throw new AwsError('UnsupportedOperation', 'KeyFormat ppk is not supported by the sandbox: its private keys are PEM (convert one with PuTTYgen).');
  if (format !== 'pem') throw new AwsError('InvalidParameterValue', `Value (${format}) for parameter keyFormat is invalid. Valid values are: pem, ppk.`);
  const tags = tagsFor(input.TagSpecifications, 'key-pair', ['key-pair']);
  checkNew(ctx, name);
  checkDryRun(input);
  const key = await createSshKey(keyType, name);
  // Generating took a while: a request for the same name may have been served meanwhile.
  checkNew(ctx, name);
  const kp = store(ctx, name, key, tags, name);
  return { keyName: kp.keyName, keyFingerprint: kp.keyFingerprint, keyMaterial: key.keyMaterial, keyPairId: kp.keyPairId, tagSet: tagSet(kp.tags) };
};

export const importKeyPair: Operation<ImportKeyPairCommandInput> = (ctx, input) => {
  const name = keyNameOf(input.KeyName);
  // A blob: base64 on the wire, kept so by the decoder.
  const material = input.PublicKeyMaterial as unknown as string | undefined;
  if (material === undefined || material === '') throw missing('PublicKeyMaterial');
  const key = importSshKey(Buffer.from(material, 'base64'));
  if (!key) throw new AwsError('InvalidKeyPair.Format', 'Key is not in valid OpenSSH public key format');
  const tags = tagsFor(input.TagSpecifications, 'key-pair', ['key-pair']);
  checkNew(ctx, name);
  checkDryRun(input);
  const kp = store(ctx, name, key, tags, '');
  return { keyName: kp.keyName, keyFingerprint: kp.keyFingerprint, keyPairId: kp.keyPairId, tagSet: tagSet(kp.tags) };
};

const keyOutput = (kp: KeyPair, withPublicKey: boolean) => ({
  keyPairId: kp.keyPairId,
  keyName: kp.keyName,
  keyFingerprint: kp.keyFingerprint,
  keyType: kp.keyType,
  tagSet: tagSet(kp.tags) ?? [],
  ...(withPublicKey ? { publicKey: kp.publicKey } : {}),
  createTime: xmlDate(kp.createTime),
});

export const describeKeyPairs: Operation<DescribeKeyPairsCommandInput> = (ctx: RequestContext, input) => {
  const names = input.KeyNames ?? [];
  const ids = input.KeyPairIds ?? [];
  const all = Object.values(ctx.state.ec2.keyPairs);
  for (const n of names) if (!all.some((k) => k.keyName === n)) throw keyPairNotFound(n);
  for (const id of ids) if (!own(ctx.state.ec2.keyPairs, id)) throw keyPairNotFound(id);
  const selected = names.length + ids.length > 0 ? all.filter((k) => names.includes(k.keyName) || ids.includes(k.keyPairId)) : all;
  const out = applyFilters(
    selected,
    parseFilters(input.Filters),
    {
      'key-pair-id': (k) => k.keyPairId,
      'key-name': (k) => k.keyName,
      fingerprint: (k) => k.keyFingerprint,
      'key-type': (k) => k.keyType,
    },
    (k) => k.tags,
  );
  return { keySet: out.sort((a, b) => (a.keyName < b.keyName ? -1 : a.keyName > b.keyName ? 1 : 0)).map((k) => keyOutput(k, input.IncludePublicKey === true)) };
};

/** DeleteKeyPair by name or id; a name that does not exist is no error (EC2 answers success). */
export const deleteKeyPair: Operation<DeleteKeyPairCommandInput> = (ctx, input) => {
  const { KeyName: name, KeyPairId: id } = input;
  if ((name === undefined || name === '') && (id === undefined || id === '')) throw missing('KeyName');
  let kp: KeyPair | undefined;
  if (id !== undefined && id !== '') {
    kp = own(ctx.state.ec2.keyPairs, id);
    if (!kp) throw keyPairNotFound(id);
    if (name && kp.keyName !== name) throw new AwsError('InvalidParameterCombination', `The key pair '${id}' is not named '${name}'.`);
  } else if (name) {
    kp = findKeyPairByName(ctx, name);
  }
  checkDryRun(input);
  if (!kp) return { return: true };
  delete ctx.state.ec2.keyPairs[kp.keyPairId];
  return { return: true, keyPairId: kp.keyPairId };
};
