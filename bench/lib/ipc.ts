/** Messages between the bench parent (harness.ts) and the server child (server-child.ts). */

export type ServerKind = 'bare' | 'pglite' | 'pg';

/** The shop the Vitrine server child creates and the bench visitors use. */
export const BENCH_SHOP = 'bench';

/** Messages the child sends to the parent. */
export type ChildMessage =
  | { type: 'ready'; url: string; kind: ServerKind }
  | { type: 'stats'; mem: NodeJS.MemoryUsage; cpu: NodeJS.CpuUsage; queries: number; transactions: number; statements?: Record<string, { count: number; ms: number }> }
  | { type: 'closed' }
  | { type: 'error'; message: string };

/** Messages the parent sends to the child. */
export type ParentMessage = { type: 'stats'; gc: boolean } | { type: 'close' };
