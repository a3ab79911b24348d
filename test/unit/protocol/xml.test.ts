import * as assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { ec2Error, ec2Response, queryError, queryResponse, toXmlTree } from '../../../src/sandbox/protocol/xml';

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml);

describe('protocol/xml: response encoding', () => {
  it('wraps awsQuery results in <OpResponse><OpResult> with ResponseMetadata and member lists', () => {
    const xml = queryResponse('DescribeThings', 'http://ns/', { Things: [{ Name: 'a', Enabled: true, Count: 2 }, { Name: 'b', Enabled: false }], Empty: [] }, 'req-1');
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
    assert.match(
      xml,
      /<DescribeThingsResponse xmlns="http:\/\/ns\/"><DescribeThingsResult><Things><member><Name>a<\/Name><Enabled>true<\/Enabled><Count>2<\/Count><\/member><member><Name>b<\/Name><Enabled>false<\/Enabled><\/member><\/Things><Empty><\/Empty><\/DescribeThingsResult><ResponseMetadata><RequestId>req-1<\/RequestId><\/ResponseMetadata><\/DescribeThingsResponse>/,
    );
  });

  it('writes ec2 responses with requestId first and item lists, no Result wrapper', () => {
    const xml = ec2Response('DescribeVpcs', 'http://ec2.amazonaws.com/doc/2016-11-15/', { vpcSet: [{ vpcId: 'vpc-1' }] }, 'r-2');
    assert.match(xml, /<DescribeVpcsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>r-2<\/requestId><vpcSet><item><vpcId>vpc-1<\/vpcId><\/item><\/vpcSet><\/DescribeVpcsResponse>/);
  });

  it('turns { $date } and Date into ISO 8601, drops undefined and null', () => {
    assert.deepEqual(toXmlTree({ a: { $date: Date.UTC(2026, 0, 2, 3, 4, 5, 6) }, b: new Date(0), c: undefined, d: null, e: 1.5 }, 'member'), {
      a: '2026-01-02T03:04:05.006Z',
      b: '1970-01-01T00:00:00.000Z',
      e: '1.5',
    });
  });

  it('escapes text and strips characters XML cannot carry', () => {
    const xml = queryResponse('Op', undefined, { Text: 'a<b>&"c\' \u0001 \u0007' }, 'x');
    assert.ok(!xml.includes('\u0001'));
    assert.equal(parse(xml).OpResponse.OpResult.Text, 'a<b>&"c\' \uFFFD \uFFFD');
  });

  it('encodes query and EC2 errors in their shapes', () => {
    const q = parse(queryError('http://ns/', 'TargetGroupNotFound', 'Target groups \'x\' not found', 'Sender', 'r1'));
    assert.deepEqual(q.ErrorResponse.Error, { Type: 'Sender', Code: 'TargetGroupNotFound', Message: "Target groups 'x' not found" });
    assert.equal(q.ErrorResponse.RequestId, 'r1');
    const e = parse(ec2Error('InvalidVpcID.NotFound', "The vpc ID 'vpc-1' <does> not exist", 'r2'));
    assert.deepEqual(e.Response.Errors.Error, { Code: 'InvalidVpcID.NotFound', Message: "The vpc ID 'vpc-1' <does> not exist" });
    assert.equal(e.Response.RequestID, 'r2');
  });
});
