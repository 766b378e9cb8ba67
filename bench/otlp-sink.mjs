// An OTLP/HTTP collector stand-in for benchmarks: reads each export and answers 200 at once, counting bytes.
// Usage: node bench/otlp-sink.mjs; prints "listening on <url>". SIGTERM prints what it received.
import { createServer } from 'node:http';

let requests = 0;
let bytes = 0;
const server = createServer((req, res) => {
  req.on('data', (c) => (bytes += c.length));
  req.on('end', () => {
    requests++;
    res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' });
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => {
  console.error(`otlp sink: ${requests} exports, ${(bytes / 1e6).toFixed(1)} MB`);
  process.exit(0);
});
