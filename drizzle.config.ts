import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // The storage schema plus any capability's own tables (src/<module>/schema.ts).
  schema: ['./src/storage/postgres/schema.ts', './src/*/schema.ts'],
  out: './src/storage/postgres/migrations',
});
