// The shape every benchmark part returns; run-bench.ts prints them as one table.

/** One measured figure, with the goal it is held against (if any). */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
}
