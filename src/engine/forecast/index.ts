export * from './forecast.ts';
export { createRng, randomIndex, type Rng } from './random.ts';
