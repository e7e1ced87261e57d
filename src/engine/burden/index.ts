export * from './burden.ts';
