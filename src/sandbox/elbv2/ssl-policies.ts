/**
 * DescribeSSLPolicies: the predefined security policies of Elastic Load Balancing, with their
 * protocols and ciphers in AWS's priority order — the default `ELBSecurityPolicy-2016-08`, the
 * TLS 1.2 ones and the TLS 1.3 ones (`ELBSecurityPolicy-TLS13-1-2-2021-06` is the console's
 * default). The sandbox's listeners serve HTTP only: an HTTPS listener is refused at its
 * certificate (`CertificateNotFound`: the sandbox has no ACM), so these policies are reference data.
 */
import type { DescribeSSLPoliciesCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ELBV2, elbv2Fields as f, paginate, type Operation } from '../kit';
import { AwsError } from '../protocol/errors';
import { pageSize } from './request';

const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const ECDHE_GCM = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'];
const ECDHE_GCM_256 = ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'];
const ECDHE_128_SHA256 = ['ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256'];
const ECDHE_256_SHA384 = ['ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384'];
const TLS12_ECDHE = [...ECDHE_GCM, ...ECDHE_128_SHA256, ...ECDHE_GCM_256, ...ECDHE_256_SHA384];
const RSA_TLS12 = ['AES128-GCM-SHA256', 'AES128-SHA256', 'AES256-GCM-SHA384', 'AES256-SHA256'];
const CBC_SHA1 = { ecdhe128: ['ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA'], ecdhe256: ['ECDHE-RSA-AES256-SHA', 'ECDHE-ECDSA-AES256-SHA'] };
const LEGACY = [
  ...ECDHE_GCM,
  ...ECDHE_128_SHA256,
  ...CBC_SHA1.ecdhe128,
  ...ECDHE_GCM_256,
  ...ECDHE_256_SHA384,
  ...CBC_SHA1.ecdhe256,
  'AES128-GCM-SHA256',
  'AES128-SHA256',
  'AES128-SHA',
  'AES256-GCM-SHA384',
  'AES256-SHA256',
  'AES256-SHA',
];

/** [name, protocols, ciphers in priority order]. */
const POLICIES: ReadonlyArray<readonly [string, readonly string[], readonly string[]]> = [
  ['ELBSecurityPolicy-2016-08', ['TLSv1', 'TLSv1.1', 'TLSv1.2'], LEGACY],
  ['ELBSecurityPolicy-TLS13-1-3-2021-06', ['TLSv1.3'], TLS13],
  ['ELBSecurityPolicy-TLS13-1-2-2021-06', ['TLSv1.2', 'TLSv1.3'], [...TLS13, ...TLS12_ECDHE]],
  ['ELBSecurityPolicy-TLS13-1-2-Res-2021-06', ['TLSv1.2', 'TLSv1.3'], [...TLS13, ...ECDHE_GCM, ...ECDHE_GCM_256]],
  ['ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06', ['TLSv1.2', 'TLSv1.3'], [...TLS13, ...TLS12_ECDHE, ...RSA_TLS12]],
  ['ELBSecurityPolicy-TLS-1-2-2017-01', ['TLSv1.2'], [...TLS12_ECDHE, ...RSA_TLS12]],
  ['ELBSecurityPolicy-FS-1-2-Res-2020-10', ['TLSv1.2'], [...ECDHE_GCM, ...ECDHE_GCM_256]],
];

export const describeSslPolicies: Operation<DescribeSSLPoliciesCommandInput> = (_ctx, input) => {
  const names = input.Names ?? [];
  const type = f.oneOf(input.LoadBalancerType, 'LoadBalancerType', ['application', 'network', 'gateway'] as const);
  const unknown = names.filter((n) => !POLICIES.some(([name]) => name === n));
  if (unknown.length > 0) throw new AwsError('SSLPolicyNotFound', `SSL policy '${unknown[0]}' not found`);
  const all = POLICIES.filter(([name]) => names.length === 0 || names.includes(name)).filter(() => type !== 'gateway');
  const { page, next } = paginate(all, { op: 'DescribeSSLPolicies', size: pageSize(input.PageSize), token: input.Marker, key: ([name]) => name }, ELBV2);
  return {
    SslPolicies: page.map(([Name, protocols, ciphers]) => ({
      SslProtocols: [...protocols],
      Ciphers: ciphers.map((c, i) => ({ Name: c, Priority: i + 1 })),
      Name,
      SupportedLoadBalancerTypes: ['application', 'network'],
    })),
    NextMarker: next,
  };
};
