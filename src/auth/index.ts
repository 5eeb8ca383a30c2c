export * from './permissions.ts';
export * from './tokens.ts';
