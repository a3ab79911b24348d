import * as assert from 'node:assert/strict';
import { decodeQuery, parseForm } from '../../../src/sandbox/protocol/query';

describe('protocol/query: form decoding', () => {
  it('splits Action and Version from the parameters', () => {
    const q = decodeQuery('Action=DescribeVpcs&Version=2016-11-15&DryRun=false');
    assert.equal(q.action, 'DescribeVpcs');
    assert.equal(q.version, '2016-11-15');
    assert.deepEqual(q.params, { DryRun: 'false' });
  });

  it('decodes awsQuery member lists, lists of structures and maps', () => {
    const q = decodeQuery(
      'Action=X&Names.member.2=b&Names.member.1=a&Tags.member.1.Key=k1&Tags.member.1.Value=v%261&Tags.member.2.Key=k2&Tags.member.2.Value=' +
        '&Attributes.entry.1.key=color&Attributes.entry.1.value=blue&Attributes.entry.2.key=size&Attributes.entry.2.value=L&Nested.Inner.member.1.Deep.member.1=z',
    );
    assert.deepEqual(q.params, {
      Names: ['a', 'b'],
      Tags: [
        { Key: 'k1', Value: 'v&1' },
        { Key: 'k2', Value: '' },
      ],
      Attributes: { color: 'blue', size: 'L' },
      Nested: { Inner: [{ Deep: ['z'] }] },
    });
  });

  it('decodes ec2Query X.N lists and Filter.N.Value.M', () => {
    const q = decodeQuery('Action=DescribeVpcs&VpcId.1=vpc-1&VpcId.10=vpc-10&VpcId.2=vpc-2&Filter.1.Name=is-default&Filter.1.Value.1=true&Filter.2.Name=tag%3AName&Filter.2.Value.1=a+b&Filter.2.Value.2=c');
    assert.deepEqual(q.params, {
      VpcId: ['vpc-1', 'vpc-2', 'vpc-10'],
      Filter: [
        { Name: 'is-default', Value: ['true'] },
        { Name: 'tag:Name', Value: ['a b', 'c'] },
      ],
    });
  });

  it('keeps leaf values as strings and decodes UTF-8 percent-encoding', () => {
    assert.deepEqual(decodeQuery('Count=3&Name=%E6%97%A5%E6%9C%AC&Empty=').params, { Count: '3', Name: '日本', Empty: '' });
  });

  it('rejects broken encodings, conflicting keys, bad indexes and prototype keys', () => {
    for (const bad of ['A=%E0%A4%A', 'A=1&A.B=2', 'A.B=2&A=1', 'L.0=x', 'L.member.x=1', 'L.member=1', '__proto__.x=1', 'a.constructor=1', 'A..B=1', '=x', 'M.entry.1.value=v', 'M.entry.1.key=__proto__&M.entry.1.value=1', 'AlarmTypes.toString.x=1', 'A.valueOf=1', 'hasOwnProperty=1']) {
      assert.throws(() => decodeQuery(bad), (e: any) => e.code === 'MalformedQueryString' && e.status === 400, bad);
    }
  });

  it('refuses a parameter name of thousands of segments with MalformedQueryString, not a stack overflow', () => {
    for (const bad of [`Tags.member.1${'.a'.repeat(5000)}=x`, `${'A.'.repeat(100_000)}B=1`]) {
      assert.throws(() => decodeQuery(`Action=AddTags&${bad}`), (e: any) => e.code === 'MalformedQueryString' && e.status === 400 && /more than 32/.test(e.message));
    }
    // The deepest real names still decode.
    const q = decodeQuery('Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name=ClusterName');
    assert.deepEqual(q.params, { Metrics: [{ MetricStat: { Metric: { Dimensions: [{ Name: 'ClusterName' }] } } }] });
  });

  it('skips empty segments and treats a key without = as empty', () => {
    assert.deepEqual(parseForm('&&a=1&b&'), [
      ['a', '1'],
      ['b', ''],
    ]);
  });
});
