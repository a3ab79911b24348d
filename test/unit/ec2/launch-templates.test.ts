import { strict as assert } from 'node:assert';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
} from '@aws-sdk/client-ec2';
import { harness } from './harness';

const userData = Buffer.from('#!/bin/bash\necho ECS_CLUSTER=demo-cluster >> /etc/ecs/ecs.config\n').toString('base64');

describe('EC2 launch templates', () => {
  it('creates a template with version 1 as default and latest; the name must be unique', async () => {
    const h = harness();
    const out = await h.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'demo-cluster-lt',
        VersionDescription: 'first',
        LaunchTemplateData: {
          ImageId: 'ami-0123456789abcdef0',
          InstanceType: 't3.small',
          UserData: userData,
          IamInstanceProfile: { Name: 'ecsInstanceRole' },
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'ecs-node' }] }],
        },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'demo' }] }],
      }),
    );
    const lt = out.launchTemplate;
    assert.match(lt.launchTemplateId, /^lt-[0-9a-f]{17}$/);
    assert.equal(lt.launchTemplateName, 'demo-cluster-lt');
    assert.equal(lt.defaultVersionNumber, 1);
    assert.equal(lt.latestVersionNumber, 1);
    assert.deepEqual(lt.createTime, { $date: h.ctx.now });
    assert.deepEqual(lt.tagSet, [{ key: 'team', value: 'demo' }]);
    const stored = h.ctx.state.ec2.launchTemplates[lt.launchTemplateId].versions[0].data;
    assert.deepEqual(stored, {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.small',
      userData,
      iamInstanceProfile: { name: 'ecsInstanceRole' },
      tagSpecifications: [{ resourceType: 'instance', tags: [{ key: 'Name', value: 'ecs-node' }] }],
    });
    const dup = await h.fails(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'demo-cluster-lt', LaunchTemplateData: { InstanceType: 't3.micro' } }));
    assert.equal(dup.code, 'InvalidLaunchTemplateName.AlreadyExistsException');
  });

  it('validates the name and the user data', async () => {
    const h = harness();
    for (const name of ['ab', 'has space', 'x'.repeat(129)]) {
      const err = await h.fails(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { InstanceType: 't3.micro' } }));
      assert.equal(err.code, 'InvalidLaunchTemplateName.MalformedException', name);
    }
    const ok = await h.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'a(b).c-d/e_f', LaunchTemplateData: { InstanceType: 't3.micro' } }));
    assert.equal(ok.launchTemplate.launchTemplateName, 'a(b).c-d/e_f');
    const ud = await h.fails(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'bad-ud', LaunchTemplateData: { UserData: 'not base64!' } }));
    assert.equal(ud.code, 'InvalidUserData.Malformed');
  });

  it('creates versions from a source version, overriding only what is given', async () => {
    const h = harness();
    const id = (await h.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lt-one', LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.small', UserData: userData } }))).launchTemplate.launchTemplateId;
    const v2 = await h.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.medium' } }));
    assert.equal(v2.launchTemplateVersion.versionNumber, 2);
    assert.equal(v2.launchTemplateVersion.defaultVersion, false);
    assert.deepEqual(
      { i: v2.launchTemplateVersion.launchTemplateData.imageId, t: v2.launchTemplateVersion.launchTemplateData.instanceType, u: v2.launchTemplateVersion.launchTemplateData.userData },
      { i: 'ami-0123456789abcdef0', t: 't3.medium', u: userData },
    );
    const v3 = await h.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'lt-one', LaunchTemplateData: { InstanceType: 't3.large' } }));
    assert.equal(v3.launchTemplateVersion.launchTemplateData.imageId, undefined, 'no source: only what was given');
    const described = (await h.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['lt-one'] }))).launchTemplates[0];
    assert.equal(described.latestVersionNumber, 3);
    assert.equal(described.defaultVersionNumber, 1);
    const noData = await h.fails(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: {} }));
    assert.equal(noData.code, 'MissingParameter', 'empty data is not sent at all');
    const missingSource = await h.fails(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '9', LaunchTemplateData: { InstanceType: 't3.micro' } }));
    assert.equal(missingSource.code, 'InvalidLaunchTemplateId.VersionNotFound');
  });

  it('describes versions: all newest first, $Latest / $Default, ranges', async () => {
    const h = harness();
    await h.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lt-v', LaunchTemplateData: { InstanceType: 't3.micro' } }));
    await h.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'lt-v', LaunchTemplateData: { InstanceType: 't3.small' } }));
    await h.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'lt-v', LaunchTemplateData: { InstanceType: 't3.medium' } }));
    const all = (await h.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'lt-v' }))).launchTemplateVersionSet;
    assert.deepEqual(all.map((v: any) => v.versionNumber), [3, 2, 1]);
    assert.deepEqual(all.map((v: any) => v.defaultVersion), [false, false, true]);
    const picked = (await h.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'lt-v', Versions: ['$Latest', '$Default'] }))).launchTemplateVersionSet;
    assert.deepEqual(picked.map((v: any) => v.launchTemplateData.instanceType), ['t3.medium', 't3.micro']);
    const mod = await h.send(new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'lt-v', DefaultVersion: '2' }));
    assert.equal(mod.launchTemplate.defaultVersionNumber, 2);
    const def = (await h.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'lt-v', Versions: ['$Default'] }))).launchTemplateVersionSet;
    assert.deepEqual(def.map((v: any) => [v.versionNumber, v.defaultVersion]), [[2, true]]);
    const noSuch = await h.fails(new ModifyLaunchTemplateCommand({ LaunchTemplateName: 'lt-v', DefaultVersion: '9' }));
    assert.equal(noSuch.code, 'InvalidLaunchTemplateId.VersionNotFound');
    const range = (await h.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'lt-v', MinVersion: '2', MaxVersion: '2' }))).launchTemplateVersionSet;
    assert.deepEqual(range.map((v: any) => v.versionNumber), [2]);
  });

  it('reports unknown templates with EC2 codes, and deletes', async () => {
    const h = harness();
    const byName = await h.fails(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nope-lt'] }));
    assert.equal(byName.code, 'InvalidLaunchTemplateName.NotFoundException');
    const byId = await h.fails(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0123456789abcdef0'] }));
    assert.equal(byId.code, 'InvalidLaunchTemplateId.NotFound');
    const malformed = await h.fails(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['xyz'] }));
    assert.equal(malformed.code, 'InvalidLaunchTemplateId.Malformed');
    const lt = (await h.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'to-delete', LaunchTemplateData: { InstanceType: 't3.micro' } }))).launchTemplate;
    const filtered = await h.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: ['to-*'] }] }));
    assert.deepEqual(filtered.launchTemplates.map((t: any) => t.launchTemplateId), [lt.launchTemplateId]);
    const del = await h.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'to-delete' }));
    assert.equal(del.launchTemplate.launchTemplateId, lt.launchTemplateId);
    assert.equal((await h.send(new DescribeLaunchTemplatesCommand({}))).launchTemplates.length, 0);
    const again = await h.fails(new DeleteLaunchTemplateCommand({ LaunchTemplateId: lt.launchTemplateId }));
    assert.equal(again.code, 'InvalidLaunchTemplateId.NotFound');
  });
});
