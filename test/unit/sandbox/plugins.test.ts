/**
 * The plug-in assembly: the registry's static service list is what its plug-ins serve, and the
 * contract's rules hold (one plug-in hooks the engine; no engine while the factories run).
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
      assert.deepEqual(assembled.list.map((p) => p.name), ['core', 'elbv2', 'cloudwatch', 'scaling']);
    } finally {
      await assembled.shutdown();
    }
  });

  it('refuses two plug-ins that hook the engine, and an engine read while the factories run', () => {
    const hooked = (name: string): PluginFactory => () => ({ name, services: [], hooks: {} });
    assert.throws(() => assemblePlugins([hooked('a'), hooked('b')], base()), /only one plug-in may hook the engine: a, b do/);
    const early: PluginFactory = (host) => ({ name: 'early', services: [], hooks: host.engine ? {} : undefined });
    assert.throws(() => assemblePlugins([early], base()), /engine is not built yet/);
  });
});
