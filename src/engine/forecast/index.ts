export * from './forecast.ts';
export { createRng, randomIndex, type Rng, type SeededRng } from './random.ts';
