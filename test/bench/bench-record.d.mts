export declare const RESULTS_DIR: string;
export declare function wantsRecord(argv?: string[]): boolean;
export declare function recordBenchResult(
  name: string,
  bench: string,
  script: string,
  result: unknown,
  loadAverage: number[],
): string;
export declare function loadNow(): number;
