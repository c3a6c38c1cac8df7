/** Worker for epp-frame-validator.ts: runs xmllint-wasm's libxml2 once per request, compiling the WebAssembly only once per worker. */
'use strict';
const fs = require('node:fs');
const { parentPort } = require('node:worker_threads');

// xmllint-wasm's own worker starts a new thread and compiles the 780 KB module for every document (~130 ms).
// Its Emscripten factory accepts an instantiateWasm hook, so this one thread compiles once and instantiates per run.
// (Requiring the file also registers the library's own listener, which ignores messages not tagged 'xmllint-wasm'.)
const factory = require('xmllint-wasm/xmllint-node.js');
const compiled = new WebAssembly.Module(fs.readFileSync(require.resolve('xmllint-wasm/xmllint.wasm')));

function run({ inputFiles, args }) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (exitCode) => { if (!done) { done = true; process.exitCode = 0; resolve({ exitCode, stdout, stderr }); } };
    factory({
      inputFiles,
      arguments: args,
      print: (text) => { stdout += `${text}\n`; },
      printErr: (text) => { stderr += `${text}\n`; },
      onExit: finish,
      onAbort: (reason) => { stderr += `WASM abort: ${reason}\n`; finish(-1); },
      wasmMemory: new WebAssembly.Memory({ initial: 256, maximum: 512 }),
      instantiateWasm(imports, receive) {
        receive(new WebAssembly.Instance(compiled, imports), compiled);
        return {};
      },
    }).catch((e) => { stderr += `${e && e.message ? e.message : e}\n`; finish(-1); });
  });
}

let queue = Promise.resolve();
parentPort.on('message', (msg) => {
  if (!msg || msg.kind !== 'epp-frame-validator') return;
  queue = queue.then(() => run(msg)).then((result) => parentPort.postMessage({ kind: 'epp-frame-validator', id: msg.id, ...result }));
});
