/**
 * Security group rules: parsing `IpPermissions.N` (or the CidrIp / IpProtocol / FromPort / ToPort
 * shorthand), normalising protocols and ports as EC2 does, and the one-source-per-rule view EC2
 * uses for duplicates, revocation and `securityGroupRuleSet`.
 */
import { createHash } from 'node:crypto';
import type { IpPermission as IpPermissionInput } from '@aws-sdk/client-ec2';
import { AwsError } from '../protocol/errors';
import type { IpPermission, SecurityGroup } from '../engine/state';
import { ec2Fields as f } from '../kit';

/** One rule: a protocol / port range and exactly one source. */
export interface Rule {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  source: { cidrIp: string; description?: string } | { groupId: string; description?: string };
}

const PROTOCOLS: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', '-1': '-1', all: '-1' };

function protocol(p: string | undefined): string {
  if (p === undefined || p === '') throw new AwsError('MissingParameter', 'The request must contain the parameter ipProtocol');
  const lower = p.toLowerCase();
  if (PROTOCOLS[lower]) return PROTOCOLS[lower];
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return String(Number(lower));
  throw new AwsError('InvalidParameterValue', `Invalid value '${p}' for IP protocol. Unknown protocol.`);
}

function ports(proto: string, from: number | undefined, to: number | undefined): { fromPort?: number; toPort?: number } {
  if (proto === '-1') return {};
  if (proto === 'tcp' || proto === 'udp') {
    if (from === undefined || to === undefined) {
      throw new AwsError('InvalidParameterValue', "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
    }
    if (from < 0 || from > 65535 || to < 0 || to > 65535) {
      throw new AwsError('InvalidParameterValue', `Invalid value '${from < 0 || from > 65535 ? from : to}' for portRange. Must be a number between 0 and 65535.`);
    }
    if (from > to) {
      throw new AwsError('InvalidParameterValue', `Invalid value '${from}-${to}' for portRange. The from port must be less than or equal to the to port.`);
    }
    return { fromPort: from, toPort: to };
  }
  if (proto === 'icmp') {
    const f = from ?? -1;
    const t = to ?? -1;
    if (f < -1 || f > 255 || t < -1 || t > 255) throw new AwsError('InvalidParameterValue', `Invalid value '${f}' for icmp type. Must be between -1 and 255.`);
    return { fromPort: f, toPort: t };
  }
  return from === undefined && to === undefined ? {} : { fromPort: from, toPort: to };
}

/** A canonical IPv4 CIDR (`10.0.0.1/8` stays as given, EC2 keeps what was sent); refuses malformed ones. */
export function checkCidr(cidr: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw new AwsError('InvalidParameterValue', `Value (${cidr}) for parameter cidrIp is invalid. This is not a valid CIDR block.`);
  }
  return cidr;
}

/**
 * The rules a request names. `resolveGroup` turns a source group id or name into a group id (and
 * throws for an unknown one).
 */
export interface RulesInput {
  IpPermissions?: IpPermissionInput[];
  IpProtocol?: string;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
  FromPort?: number;
  ToPort?: number;
}

export function parseRules(input: RulesInput, resolveGroup: (idOrName: { id?: string; name?: string }) => string): Rule[] {
  const perms = input.IpPermissions ?? [];
  const rules: Rule[] = [];
  if (perms.length === 0) {
    const proto = input.IpProtocol;
    const cidr = input.CidrIp;
    const srcName = input.SourceSecurityGroupName;
    if (proto === undefined && cidr === undefined && srcName === undefined) {
      throw new AwsError('MissingParameter', 'The request must contain the parameter ipPermissions');
    }
    // With only a source group named, EC2 allows everything from it.
    const p = protocol(proto ?? (srcName !== undefined ? '-1' : undefined));
    const range = ports(p, f.int(input.FromPort, 'FromPort'), f.int(input.ToPort, 'ToPort'));
    if (cidr !== undefined) rules.push({ ipProtocol: p, ...range, source: { cidrIp: checkCidr(cidr) } });
    if (srcName !== undefined) rules.push({ ipProtocol: p, ...range, source: { groupId: resolveGroup({ name: srcName }) } });
    if (rules.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter cidrIp or sourceSecurityGroupName');
    return rules;
  }
  perms.forEach((o, i) => {
    const p = protocol(o.IpProtocol);
    const at = ['IpPermissions', i];
    const range = ports(p, f.int(o.FromPort, [...at, 'FromPort']), f.int(o.ToPort, [...at, 'ToPort']));
    const before = rules.length;
    for (const ro of o.IpRanges ?? []) {
      if (ro.CidrIp === undefined) throw new AwsError('MissingParameter', `The request must contain the parameter IpPermissions.${i + 1}.IpRanges.CidrIp`);
      rules.push({ ipProtocol: p, ...range, source: { cidrIp: checkCidr(ro.CidrIp), ...desc(ro.Description) } });
    }
    for (const go of o.UserIdGroupPairs ?? []) {
      const id = go.GroupId;
      const name = go.GroupName;
      if (!id && !name) throw new AwsError('MissingParameter', 'The request must contain the parameter groupId or groupName');
      rules.push({ ipProtocol: p, ...range, source: { groupId: resolveGroup({ id, name }), ...desc(go.Description) } });
    }
    if ((o.Ipv6Ranges ?? []).length > 0 || (o.PrefixListIds ?? []).length > 0) {
      throw new AwsError('InvalidParameterValue', 'The sandbox supports IPv4 CIDR and security group sources only.');
    }
    if (rules.length === before) {
      // A permission without a source: EC2 rejects it.
      throw new AwsError('InvalidParameterValue', 'Invalid value for IpPermissions: at least one source (IpRanges or UserIdGroupPairs) is required.');
    }
  });
  return rules;
}

const desc = (d: unknown): { description?: string } => (typeof d === 'string' && d !== '' ? { description: d } : {});

const sameRange = (a: { ipProtocol: string; fromPort?: number; toPort?: number }, b: typeof a): boolean =>
  a.ipProtocol === b.ipProtocol && (a.fromPort ?? null) === (b.fromPort ?? null) && (a.toPort ?? null) === (b.toPort ?? null);

const sourceKey = (s: Rule['source']): string => ('cidrIp' in s ? `cidr:${s.cidrIp}` : `group:${s.groupId}`);

/** The group's permissions as single-source rules. */
export function rulesOf(perms: IpPermission[]): Rule[] {
  const out: Rule[] = [];
  for (const p of perms) {
    const range = { ipProtocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort };
    for (const r of p.ipRanges) out.push({ ...range, source: { cidrIp: r.cidrIp, ...desc(r.description) } });
    for (const g of p.userIdGroupPairs) out.push({ ...range, source: { groupId: g.groupId } });
  }
  return out;
}

export const hasRule = (perms: IpPermission[], r: Rule): boolean =>
  rulesOf(perms).some((x) => sameRange(x, r) && sourceKey(x.source) === sourceKey(r.source));

export function addRule(perms: IpPermission[], r: Rule): void {
  let p = perms.find((x) => sameRange(x, r));
  if (!p) {
    p = { ipProtocol: r.ipProtocol, ...(r.fromPort !== undefined ? { fromPort: r.fromPort, toPort: r.toPort } : {}), ipRanges: [], userIdGroupPairs: [] };
    perms.push(p);
  }
  if ('cidrIp' in r.source) p.ipRanges.push({ cidrIp: r.source.cidrIp, ...desc(r.source.description) });
  else p.userIdGroupPairs.push({ groupId: r.source.groupId });
}

/** Removes a rule; returns false when the group has no such rule. Empty permissions go. */
export function removeRule(perms: IpPermission[], r: Rule): boolean {
  const i = perms.findIndex((x) => sameRange(x, r));
  if (i < 0) return false;
  const p = perms[i];
  const before = p.ipRanges.length + p.userIdGroupPairs.length;
  if ('cidrIp' in r.source) {
    const cidr = r.source.cidrIp;
    p.ipRanges = p.ipRanges.filter((x) => x.cidrIp !== cidr);
  } else {
    const gid = r.source.groupId;
    p.userIdGroupPairs = p.userIdGroupPairs.filter((x) => x.groupId !== gid);
  }
  if (p.ipRanges.length + p.userIdGroupPairs.length === 0) perms.splice(i, 1);
  return p.ipRanges.length + p.userIdGroupPairs.length < before;
}

/** A stable rule id, derived from what the rule is. */
export const ruleId = (groupId: string, egress: boolean, r: Rule): string =>
  `sgr-${createHash('sha256')
    .update(`${groupId}|${egress}|${r.ipProtocol}|${r.fromPort ?? ''}|${r.toPort ?? ''}|${sourceKey(r.source)}`)
    .digest('hex')
    .slice(0, 17)}`;

/** `securityGroupRuleSet` / `revokedSecurityGroupRuleSet` items. */
export function ruleOutput(sg: SecurityGroup, ownerId: string, egress: boolean, r: Rule, revoked = false) {
  const src = r.source;
  return {
    securityGroupRuleId: ruleId(sg.groupId, egress, r),
    groupId: sg.groupId,
    ...(revoked ? {} : { groupOwnerId: ownerId }),
    isEgress: egress,
    ipProtocol: r.ipProtocol,
    fromPort: r.fromPort ?? -1,
    toPort: r.toPort ?? -1,
    ...('cidrIp' in src ? { cidrIpv4: src.cidrIp } : revoked ? { referencedGroupId: src.groupId } : { referencedGroupInfo: { groupId: src.groupId, userId: ownerId } }),
    ...(src.description ? { description: src.description } : {}),
    ...(revoked ? {} : { securityGroupRuleArn: `arn:aws:ec2::${ownerId}:security-group-rule/${ruleId(sg.groupId, egress, r)}` }),
  };
}

/** How EC2 names a rule in `InvalidPermission.Duplicate`. */
export function describeRule(r: Rule): string {
  const peer = 'cidrIp' in r.source ? r.source.cidrIp : r.source.groupId;
  if (r.ipProtocol === '-1') return `peer: ${peer}, ALL, ALLOW`;
  const proto = r.ipProtocol.toUpperCase();
  return `peer: ${peer}, ${proto}, from port: ${r.fromPort}, to port: ${r.toPort}, ALLOW`;
}

/** `ipPermissions` items as EC2 renders them. */
export function permissionOutput(p: IpPermission, ownerId: string) {
  return {
    ipProtocol: p.ipProtocol,
    ...(p.fromPort !== undefined ? { fromPort: p.fromPort, toPort: p.toPort } : {}),
    groups: p.userIdGroupPairs.map((g) => ({ groupId: g.groupId, userId: ownerId })),
    ipRanges: p.ipRanges.map((r) => ({ cidrIp: r.cidrIp, ...(r.description ? { description: r.description } : {}) })),
    ipv6Ranges: [] as never[],
    prefixListIds: [] as never[],
  };
}
