export * from '../../src/bench/server-process.ts';
