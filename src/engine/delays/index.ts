export * from './delays.ts';
export * from './percentile.ts';
