/**
 * The plug-in assembly: the registry's static service list is what its plug-ins serve, and the
 * contract's rules hold (each engine hook has one plug-in; no engine while the factories run).
 */
import { strict as assert } from 'node:assert';
import { ManualClock } from '../../../src/sandbox/engine/clock';
import { assemblePlugins, type PluginFactory } from '../../../src/sandbox/plugin';
import { plugins, services } from '../../../src/sandbox/registry';
import { newWorld } from '../../../src/sandbox/store';
import { FakeRuntime } from '../helpers/fake-runtime';

const base = () => ({ world: newWorld(0), clock: new ManualClock(), runtime: new FakeRuntime(), log: () => undefined });

describe('sandbox plug-ins', () => {
  it("the registry's service list is exactly what its plug-ins serve, in order", async () => {
    const assembled = assemblePlugins(plugins, base());
    try {
      assert.deepEqual(assembled.services.map((s) => s.signingName), services.map((s) => s.signingName));
      assert.ok(assembled.services.every((s, i) => s === services[i]));
      assert.deepEqual(assembled.list.map((p) => p.name), ['core', 'elbv2', 'cloudwatch', 'scaling', 'logs']);
    } finally {
      await assembled.shutdown();
    }
  });

  it('merges the plug-ins\' engine hooks, refuses two plug-ins with the same hook, and an engine read while the factories run', () => {
    const calls: string[] = [];
    const running: PluginFactory = () => ({ name: 'a', services: [], hooks: { serviceTaskRunning: () => void calls.push('a') } });
    const launching: PluginFactory = () => ({ name: 'b', services: [], hooks: { beforeTaskLaunch: () => (calls.push('b'), 'no') } });
    const merged = assemblePlugins([running, launching], base()).hooks!;
    merged.serviceTaskRunning!(undefined as never, undefined as never, undefined as never, 0);
    assert.equal(merged.beforeTaskLaunch!(undefined as never, undefined as never, undefined as never, 0), 'no');
    assert.deepEqual(calls, ['a', 'b']);
    assert.equal(assemblePlugins([() => ({ name: 'none', services: [] })], base()).hooks, undefined);
    const again: PluginFactory = () => ({ name: 'c', services: [], hooks: { serviceTaskRunning: () => undefined } });
    assert.throws(() => assemblePlugins([running, launching, again], base()), /only one plug-in may have the engine hook serviceTaskRunning: a and c do/);
    const early: PluginFactory = (host) => ({ name: 'early', services: [], hooks: host.engine ? {} : undefined });
    assert.throws(() => assemblePlugins([early], base()), /engine is not built yet/);
  });
});
