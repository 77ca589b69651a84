#!/usr/bin/env node
// The SDK warns on every start that releases after January 2027 need Node 22;
// the lock file pins a release that supports Node 20, so the CLI keeps quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`rx-bedrock: ${error instanceof Error ? error.message : String(error)}\n`); process.exitCode = 2; },
);
