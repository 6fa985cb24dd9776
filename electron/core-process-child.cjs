// Test harness only: runs the bundled core process (dist/electron/core-process.cjs) under plain Node
// with a stand-in for the process.parentPort Electron gives a utility process, relaying messages over
// Node's IPC channel. Used by core-process-bundle.test.ts.
const { EventEmitter } = require('node:events');
const port = new EventEmitter();
port.postMessage = (message) => process.send(message);
process.on('message', (data) => port.emit('message', { data }));
process.parentPort = port;
require(process.env.PLANTDESK_CORE_BUNDLE);
