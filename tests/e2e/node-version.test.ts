// The Node major the project deploys on (package.json engines) is the one the suite runs on in CI; on
// it, the AWS SDK must not print its Node-version warning into users' terminals.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { fromProjectRoot, PROJECT_ROOT } from '../../src/project-paths.js';

const engines = JSON.parse(readFileSync(fromProjectRoot('package.json'), 'utf8')).engines.node as string;
const deployedMajor = Number(/^(\d+)/.exec(engines)![1]);
const runningMajor = Number(process.versions.node.split('.')[0]);

test('engines names a Node major Vercel runs (22 or 24)', () => {
  assert.ok([22, 24].includes(deployedMajor), `engines.node is ${engines}`);
});

// On an older Node (the unit run on Node 20) the SDK warns by design; the check belongs to the deployed major.
test.skipIf(runningMajor < deployedMajor)('the S3 client markethub makes prints no NodeVersionSupportWarning', () => {
  const script = `import('./dist/src/migrate/files/s3.js').then(({ createS3Client }) => { createS3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', checksums: 'when-required' }); })`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' } });
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /NodeVersionSupportWarning/);
  assert.equal(result.stderr, '');
});
