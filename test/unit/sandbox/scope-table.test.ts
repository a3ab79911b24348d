import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { currentModels, README_FILE, scopeTable, withTable } from '../../../scripts/sandbox-scope';
import { services } from '../../../src/sandbox/registry';

describe('the scope table of src/sandbox/README.md', () => {
  it('lists every service and operation the registry serves (else: npx tsx scripts/sandbox-scope.ts)', function () {
    this.timeout(20_000);
    const readme = readFileSync(README_FILE, 'utf8');
    assert.equal(readme, withTable(readme, scopeTable(services, currentModels())));
  });
});
