const HELP = `Usage: datapulse <command> [options]

Commands:
  start              run the platform (API, collection, workers, console) on one port
  migrate            apply database migrations and exit
  demo [options]     send a realistic demo dataset through the collection API
  bench <name>       run a benchmark and print its JSON (storage, ingest, …)
  help               show this help
`;

const [command, ...args] = process.argv.slice(2);

switch (command) {
  case 'start':
    await (await import('./start.ts')).start();
    break;
  case 'migrate':
    await (await import('./migrate.ts')).migrateCommand();
    break;
  case 'demo':
    await (await import('./demo.ts')).demoCommand(args);
    break;
  case 'bench':
    await (await import('../bench/index.ts')).benchCommand(args);
    break;
  case undefined:
  case 'help':
  case '--help':
  case '-h':
    process.stdout.write(HELP);
    break;
  default:
    process.stderr.write(`datapulse: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
    process.exit(2);
}
