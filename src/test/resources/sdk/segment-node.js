// Sends the calls in a JSON file with Segment's node SDK: node segment-node.js HOST WRITE_KEY CALLS_FILE FLUSH_AT
const { Analytics } = require('@segment/analytics-node');
const fs = require('fs');

const [host, writeKey, file, flushAt] = process.argv.slice(2);
const calls = JSON.parse(fs.readFileSync(file, 'utf8'));
const analytics = new Analytics({ writeKey, host, flushAt: Number(flushAt), flushInterval: 200, maxRetries: 3, httpRequestTimeout: 20000 });
let errors = 0;
analytics.on('error', (e) => { errors++; console.error('error:', e && (e.code || ''), e && e.reason ? e.reason.message || e.reason : e); });
for (const c of calls) {
  if (c.args.timestamp) {
    c.args.timestamp = new Date(c.args.timestamp);
  }
  analytics[c.method](c.args);
}
analytics.closeAndFlush({ timeout: 90000 }).then(() => {
  console.log(`sent ${calls.length} calls, ${errors} errors`);
  process.exit(errors === 0 ? 0 : 1);
});
