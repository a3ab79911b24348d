import assert from 'node:assert/strict';
import { diffChildren, looksDifferentExpanded, nodesToFire, rowChanged, shownRow, snapshotRow, type ChildrenDiff } from '../../../src/core/tree-diff';
import { clusterNode, groupNode, serviceNode, serviceSectionNodes, taskDefinitionRevisionNode, taskNode } from '../../../src/core/tree-model';
import type { TreeNode } from '../../../src/core/tree-types';
import { CLUSTER_ARN, demoTaskDefinition, rollingSnapshot, T0_MS, task } from './fixtures/ecs';

const ms = (s: number) => T0_MS + s * 1000;
const TASKS = 'ecs/cluster:x/group:services/service:y/group:tasks';
const running = (id: string, now = 60) => taskNode(task({ id, lastStatus: 'RUNNING', hostPort: 32768 }), { parentId: TASKS, now: ms(now) });

describe('core/tree-diff: what a refresh tells VS Code', () => {
  it('the same data loaded again changes nothing (a new object is not a change)', () => {
    const before = [running('aaaa1111'), running('bbbb2222')];
    const after = [running('aaaa1111'), running('bbbb2222')];
    assert.notEqual(before[0], after[0]);
    assert.deepEqual(diffChildren(before, after), { listChanged: false, changed: [] });
  });

  it('a task whose status or context value changed is a changed row, one whose tooltip only moved (a relative time) is not; the list is the same', () => {
    const before = [running('aaaa1111', 60), running('bbbb2222', 60)];
    // One minute later: "Started: 1 min ago" → "2 min ago" in both tooltips; the second task is stopping.
    const stopping = taskNode(task({ id: 'bbbb2222', lastStatus: 'RUNNING', desiredStatus: 'STOPPED', hostPort: 32768 }), { parentId: TASKS, now: ms(120) });
    const after = [running('aaaa1111', 120), stopping];
    assert.notEqual(before[0].tooltip, after[0].tooltip, 'the fixture moves the relative time');
    assert.deepEqual(diffChildren(before, after), { listChanged: false, changed: [after[1].id] });
    assert.ok(rowChanged(before[1], after[1]));
    const pending = taskNode(task({ id: 'aaaa1111', lastStatus: 'PENDING' }), { parentId: TASKS, now: ms(60) });
    assert.ok(rowChanged(before[0], pending), 'icon and context value');
  });

  it('what the row does not show (resource, context, children query) is not a change', () => {
    const a = running('aaaa1111');
    const b: TreeNode = { ...a, context: { ...a.context, extra: '1' }, resource: `${a.resource}-x`, children: { type: 'loadBalancers' } };
    assert.equal(rowChanged(a, b), false);
    for (const field of ['label', 'description', 'icon', 'color', 'contextValue', 'collapsible'] as const) {
      assert.ok(rowChanged(a, { ...a, [field]: field === 'collapsible' ? 'collapsed' : 'x' }), field);
    }
    // A UI row's click command.
    const cmd = (id: string) => ({ ...a, command: { id, title: 't' } }) as TreeNode;
    assert.ok(rowChanged(cmd('ecsHandson.walkthrough.open'), cmd('ecsHandson.refresh')));
    assert.equal(rowChanged(cmd('ecsHandson.walkthrough.open'), cmd('ecsHandson.walkthrough.open')), false);
  });

  it('a tooltip-only change is not a change (tooltips are resolved when hovered; firing a hovered row closes its tooltip); a description change is', () => {
    const parentId = 'ecs/cluster:x/group:services';
    // The same rollout 5 s later: only the elapsed time in the tooltip moved.
    const at20 = serviceNode(rollingSnapshot({ now: 20, primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 } }), { parentId, now: ms(20) });
    const at25 = serviceNode(rollingSnapshot({ now: 20, primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 } }), { parentId, now: ms(25) });
    assert.equal(at20.collapsible, 'collapsed');
    assert.equal(at20.description, at25.description);
    assert.notEqual(at20.tooltip, at25.tooltip, 'the fixture moves the elapsed time');
    assert.equal(rowChanged(at20, at25), false);
    assert.ok(rowChanged(at20, { ...at25, description: 'x' }));
    // A task 60 s later: its "Started: … ago" moved, nothing else.
    const [t60, t120] = [running('aaaa1111', 60), running('aaaa1111', 120)];
    assert.notEqual(t60.tooltip, t120.tooltip, 'the fixture moves the start time');
    assert.equal(t60.description, t120.description);
    assert.equal(rowChanged(t60, t120), false);
  });

  it('an expanded cluster or service looks the same while its tasks come and go (counts and rollout state are in the rows below)', () => {
    const parentId = 'ecs/cluster:x/group:services';
    const steady = serviceNode(rollingSnapshot({ now: 0, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' }), { parentId, now: ms(0) });
    const rolling = serviceNode(rollingSnapshot({ now: 20, primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 } }), { parentId, now: ms(20) });
    const isOpen = (open: boolean) => () => open;
    // Collapsed: every change of counts, icon, colour shows.
    assert.deepEqual(diffChildren([steady], [rolling], isOpen(false)).changed, [rolling.id]);
    // Expanded: none of it does.
    assert.deepEqual(diffChildren([steady], [rolling], isOpen(true)).changed, []);
    const shown = shownRow(rolling, true);
    assert.equal(shown.description, undefined);
    assert.equal(shown.icon, 'layers');
    assert.equal(shown.contextValue, 'ecsHandson.service.active');
    assert.equal(shown.label, 'demo-service');
    assert.equal(shownRow(rolling, false), rolling);
    // Expanding or collapsing it changes its look: VS Code is told.
    assert.ok(looksDifferentExpanded(rolling));
    assert.equal(looksDifferentExpanded(running('aaaa1111')), false, 'a task has one look');
    // A service that became INACTIVE shows it, expanded or not.
    const inactive = serviceNode({ ...rollingSnapshot({ now: 0, primary: { running: 0, pending: 0 }, rolloutState: 'COMPLETED' }), status: 'INACTIVE' }, { parentId, now: ms(0) });
    assert.deepEqual(diffChildren([steady], [inactive], isOpen(true)).changed, [inactive.id]);
    // The cluster: tasks counted when collapsed; expanded, only services and instances (they change rarely).
    const c = (running: number, services = 1) => clusterNode({ clusterArn: CLUSTER_ARN, clusterName: 'demo-cluster', status: 'ACTIVE', runningTasksCount: running, activeServicesCount: services, registeredContainerInstancesCount: 2 });
    assert.equal(c(2).description, '1 service, 2 tasks, 2 instances');
    assert.equal(shownRow(c(2), true).description, '1 service, 2 instances');
    assert.deepEqual(diffChildren([c(2)], [c(3)], isOpen(true)).changed, []);
    assert.deepEqual(diffChildren([c(2)], [c(3)], isOpen(false)).changed, [c(3).id]);
    assert.deepEqual(diffChildren([c(2)], [c(2, 2)], isOpen(true)).changed, [c(2).id], 'a new service shows');
  });

  it('a task added, removed or moved changes the list (the parent is shown again)', () => {
    const a = running('aaaa1111');
    const b = running('bbbb2222');
    const c = running('cccc3333');
    assert.equal(diffChildren([a, b], [a, b, c]).listChanged, true, 'added');
    assert.equal(diffChildren([a, b], [a]).listChanged, true, 'removed');
    assert.equal(diffChildren([a, b], [b, a]).listChanged, true, 'reordered');
    assert.equal(diffChildren([a, b], [a, c]).listChanged, true, 'replaced');
    assert.deepEqual(diffChildren([], []), { listChanged: false, changed: [] });
  });

  it('a service during a rollout: its row and its sections\' counts change, the sections do not', () => {
    const parentId = 'ecs/cluster:x/group:services';
    const steady = rollingSnapshot({ now: 0, primary: { running: 2, pending: 0 }, rolloutState: 'COMPLETED' });
    const rolling = rollingSnapshot({ now: 20, primary: { running: 1, pending: 1 }, old: { running: 2, pending: 0 } });
    const s0 = serviceNode(steady, { parentId, now: ms(0) });
    const s1 = serviceNode(rolling, { parentId, now: ms(20) });
    assert.deepEqual(diffChildren([s0], [s1]), { listChanged: false, changed: [s1.id] });
    const sections0 = serviceSectionNodes(steady, { parentId: s0.id });
    const sections1 = serviceSectionNodes(rolling, { parentId: s1.id });
    const d = diffChildren(sections0, sections1);
    assert.equal(d.listChanged, false);
    assert.ok(d.changed.every((id) => /group:(deployments|tasks)$/.test(id)) && d.changed.length > 0, d.changed.join());
    // Expanded, "Tasks 2 running" shows no count (its rows do): the group is not fired, its task rows keep their handles.
    assert.deepEqual(diffChildren(sections0, sections1, () => true), { listChanged: false, changed: [] });
    const tasks = sections1.find((n) => n.id.endsWith('group:tasks'))!;
    assert.equal(shownRow(tasks, true).description, undefined);
    assert.ok(tasks.description && looksDifferentExpanded(tasks));
  });

  it('the revisions of a family: a new revision on top changes the list; the old rows stay as they were', () => {
    const parentId = 'ecs/group:taskDefinitionFamilies/family:demo-app-task';
    const rev = (n: number) => taskDefinitionRevisionNode(demoTaskDefinition(n), { parentId });
    const d = diffChildren([rev(2), rev(1)], [rev(3), rev(2), rev(1)]);
    assert.deepEqual(d, { listChanged: true, changed: [] });
  });

  it('snapshotRow keeps what was shown even when the node object is then updated in place', () => {
    const node = running('aaaa1111', 60);
    const shown = snapshotRow(node);
    Object.assign(node, taskNode(task({ id: 'aaaa1111', lastStatus: 'RUNNING', desiredStatus: 'STOPPED', hostPort: 32768 }), { parentId: TASKS, now: ms(120) }));
    assert.ok(rowChanged(shown, node));
  });
});

describe('core/tree-diff: nodesToFire', () => {
  // root ─ cluster ─ services group ─ service ─ tasks group ─ tasks
  //      └ task definitions group ─ family ─ revisions
  const parents: Record<string, string | undefined> = {
    cluster: undefined, services: 'cluster', service: 'services', tasks: 'service', t1: 'tasks', t2: 'tasks',
    defs: undefined, family: 'defs', r1: 'family', r2: 'family',
  };
  const ancestors = (id: string) => {
    const out: string[] = [];
    for (let p = parents[id]; p; p = parents[p]) out.push(p);
    return out;
  };
  const diff = (listChanged: boolean, changed: string[] = []): ChildrenDiff => ({ listChanged, changed });

  it('nothing changed: nothing is fired', () => {
    assert.deepEqual(nodesToFire(new Map([['', diff(false)], ['tasks', diff(false)]]), ancestors), { root: false, ids: [] });
  });

  it('changed leaves are fired alone (their parents and siblings keep their handles)', () => {
    const plan = nodesToFire(new Map([['', diff(false)], ['tasks', diff(false, ['t1', 't2'])], ['family', diff(false, ['r2'])]]), ancestors);
    assert.deepEqual(plan, { root: false, ids: ['t1', 't2', 'r2'] });
  });

  it('a parent whose list changed is fired; the rows below it are not fired again', () => {
    const plan = nodesToFire(new Map([['service', diff(false, ['tasks'])], ['tasks', diff(true, ['t1'])], ['family', diff(false, ['r1'])]]), ancestors);
    assert.deepEqual(plan.ids.sort(), ['r1', 'tasks']);
  });

  it('a changed row above another fired node covers it', () => {
    const plan = nodesToFire(new Map([['', diff(false, ['cluster'])], ['tasks', diff(true)], ['family', diff(false, ['r1'])]]), ancestors);
    assert.deepEqual(plan.ids.sort(), ['cluster', 'r1']);
  });

  it('the top level\'s list changed: the root is fired, nothing else', () => {
    assert.deepEqual(nodesToFire(new Map([['', diff(true, ['cluster'])], ['tasks', diff(true)]]), ancestors), { root: true, ids: [] });
  });

  it('a group node with only its description changed is one row', () => {
    const g1 = groupNode('tasks', 'Tasks', { type: 'loadBalancers' }, { parentId: 'p', description: '2 running' });
    const g2 = groupNode('tasks', 'Tasks', { type: 'loadBalancers' }, { parentId: 'p', description: '3 running' });
    assert.deepEqual(diffChildren([g1], [g2]), { listChanged: false, changed: [g2.id] });
  });
});
