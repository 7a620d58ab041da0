// Load generator in its own process (spawned by bench/lib.ts `loadTest`), so autocannon does
// not share the event loop of the server under test. Reads one JSON autocannon config from
// stdin and prints the summary the caller needs as one JSON line on stdout.
import autocannon from 'autocannon';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const result = await autocannon(JSON.parse(input));
process.stdout.write(
  `${JSON.stringify({
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  })}\n`,
);
