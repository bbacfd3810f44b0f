/** One line of the benchmark table; every scenario writes rows in this shape. */
export interface BenchRow {
  scenario: string; // 'fanout' | 'rooms' | 'stored' | 'history' ...
  subject: string; // 'raw ws (prebuilt frame)', 'Socket.IO 4.8', 'Parley', 'pg INSERT 1 row', ...
  reference: boolean; // true for the reference rows
  rate?: number;
  rateUnit?: string; // e.g. deliveries/s, messages/s
  share?: number; // rate / the scenario's main reference rate in the same run (1 = 100%)
  p50Ms?: number;
  p99Ms?: number;
  rssPerSubscriberKB?: number;
  serverCpuPct?: number;
  clientCpuPct?: number; // % of one core over the measured window
  note?: string;
}
