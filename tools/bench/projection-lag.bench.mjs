// Time from a lead's append (the 201 of POST /v1/leads) to its appearance in the lead list and
// in the new-leads trend: p50/p99. Raw baseline in the same run: one GET round trip on the same
// host (the resolution of the measurement), so the ratio says how many round trips a lag costs.
import { percentile, round, startBenchHost } from './lib.mjs';

const samples = Number(process.env.BENCH_LAG_SAMPLES ?? 300);

function today(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export async function benchProjectionLag() {
  const bench = await startBenchHost();
  const auth = { authorization: `Bearer ${bench.token}` };
  const day = today('Asia/Shanghai');
  const trendUrl = `${bench.url}/v1/lead-overview/new-leads?from=${day}&to=${day}`;
  const trendCount = async () => (await (await fetch(trendUrl, { headers: auth })).json()).buckets[0].count;

  const listLag = [];
  const trendLag = [];
  const roundTrip = [];
  let expected = await trendCount();
  for (let i = 0; i < samples; i++) {
    const res = await fetch(`${bench.url}/v1/leads`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ phone: `1380013${String(i).padStart(4, '0')}`, source: 'lag' }),
    });
    const acknowledged = performance.now();
    const { id } = await res.json();
    expected += 1;
    let listSeen = null;
    let trendSeen = null;
    while (listSeen === null || trendSeen === null) {
      const t0 = performance.now();
      if (listSeen === null) {
        const r = await fetch(`${bench.url}/v1/leads/${id}`, { headers: auth });
        await r.arrayBuffer();
        roundTrip.push(performance.now() - t0);
        if (r.status === 200) listSeen = performance.now() - acknowledged;
      }
      if (trendSeen === null && (await trendCount()) >= expected) trendSeen = performance.now() - acknowledged;
    }
    listLag.push(listSeen);
    trendLag.push(trendSeen);
  }
  await bench.stop();
  for (const a of [listLag, trendLag, roundTrip]) a.sort((x, y) => x - y);
  const rt = percentile(roundTrip, 50);
  const out = {
    bench: 'projection-lag',
    samples,
    listP50Ms: round(percentile(listLag, 50)),
    listP99Ms: round(percentile(listLag, 99)),
    trendP50Ms: round(percentile(trendLag, 50)),
    trendP99Ms: round(percentile(trendLag, 99)),
    rawRoundTripP50Ms: round(rt),
    listP50Ratio: round(percentile(listLag, 50) / rt),
    trendP50Ratio: round(percentile(trendLag, 50) / rt),
  };
  console.log(`projection lag over ${samples} leads: list p50 ${out.listP50Ms} ms p99 ${out.listP99Ms} ms; trend p50 ${out.trendP50Ms} ms p99 ${out.trendP99Ms} ms; one GET round trip p50 ${out.rawRoundTripP50Ms} ms`);
  console.log(JSON.stringify(out));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProjectionLag();
