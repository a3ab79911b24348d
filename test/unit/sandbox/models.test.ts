import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { buildModels, formatModels, MODELS_FILE } from '../../../scripts/sandbox-models';
import { services } from '../../../src/sandbox/registry';

describe('sandbox API models (src/sandbox/kit/models.json)', () => {
  it('are what the installed SDK clients describe for every operation served (else: npx tsx scripts/sandbox-models.ts)', function () {
    this.timeout(20_000);
    assert.equal(readFileSync(MODELS_FILE, 'utf8'), formatModels(buildModels(services)));
  });
});
