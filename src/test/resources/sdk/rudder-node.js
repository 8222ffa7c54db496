// Sends the calls in a JSON file with RudderStack's node SDK, gzip on: node rudder-node.js HOST WRITE_KEY CALLS_FILE FLUSH_AT
const Analytics = require('@rudderstack/rudder-sdk-node');
const fs = require('fs');

const [host, writeKey, file, flushAt] = process.argv.slice(2);
const calls = JSON.parse(fs.readFileSync(file, 'utf8'));
let errors = 0;
const analytics = new Analytics(writeKey, {
  // Nothing flushes by itself: the calls are sent below, flushAt per request, each request awaited.
  dataPlaneUrl: host, flushAt: 1000000, maxQueueSize: 1 << 30, flushInterval: 3600000, gzip: true, retryCount: 3,
  errorHandler: (e) => { errors++; console.error('error:', e && e.message ? e.message : e); },
});
for (const c of calls) {
  if (c.args.timestamp) {
    c.args.timestamp = new Date(c.args.timestamp);
  }
  analytics[c.method](c.args);
}
analytics.flushAt = Number(flushAt);
(async () => {
  while (analytics.queue.length > 0) {
    await analytics.flush();
  }
  console.log(`sent ${calls.length} calls, ${errors} errors`);
  process.exit(errors === 0 ? 0 : 1);
})().catch((e) => {
  console.error('flush failed:', e && e.message ? e.message : e);
  process.exit(1);
});
