import path from 'node:path';
import { parseArgs } from 'node:util';
import { Email, Password, PASSWORD_MIN_LENGTH } from '@rapporteur/protocol';
import { AccessEvents } from './auth/AccessEvents';
import { Accounts } from './auth/Accounts';
import { passwordProblem, passwordProblemMessage } from './auth/passwordPolicy';
import { BACKUP_USAGE, runBackupCommand } from './runBackupCommand';
import { COPY_USAGE, runCopyCommand } from './runCopyCommand';
import { ResetLinks, resetPath } from './auth/ResetLinks';
import { loadConfig } from './config';
import { systemClock } from './lib/clock';
import { createLogger } from './lib/logger';
import { EmailTakenError } from './storage/AccountStore';
import { openConfiguredDatabase, sqliteFile } from './storage/openConfiguredDatabase';
import { SqlAccountStore } from './storage/sql/SqlAccountStore';
import { StartupError } from './lib/StartupError';

const PASSWORD_RULE = `at least ${PASSWORD_MIN_LENGTH} characters, not a common password`;

const USAGE = `Usage (from the repository root; DATA_DIR as for the server):
  RAPPORTEUR_ADMIN_PASSWORD=… pnpm admin create-admin --email <email> [--name <name>]
      creates an administrator (the password comes from the environment, not the command line)
  pnpm admin make-admin --email <email>
      makes an existing account an administrator
  pnpm admin reset-link --email <email>
      prints a one-time password reset link for the account (24 hours; base: PUBLIC_URL)
${BACKUP_USAGE}
${COPY_USAGE}`;

// Administration from the command line, for the first administrator and for
// recovery. Works on the database directly (the SQLite file, or PostgreSQL
// with DATABASE_URL); run it while the server is stopped or running (SQLite's
// WAL allows both).
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' } },
  });
  const command = positionals[0];
  if (command === 'copy-to-postgres') return runCopyCommand(loadConfig());
  if (command === 'backup' || command === 'restore') {
    const config = loadConfig();
    return runBackupCommand(command, command === 'backup' ? values.to : values.from, config.dataDir, config.databaseUrl);
  }
  const email = Email.safeParse(values.email ?? '');
  if ((command !== 'create-admin' && command !== 'make-admin' && command !== 'reset-link') || !email.success) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  let database;
  try {
    database = await openConfiguredDatabase(config);
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    console.error(error.message);
    return 1;
  }
  const store = new SqlAccountStore(database.db, database.dialect);
  try {
    if (command === 'reset-link') {
      const user = await store.findUserByEmail(email.data);
      if (!user) {
        console.error(`No account uses ${email.data}.`);
        return 1;
      }
      const accounts = new Accounts(store, systemClock, new AccessEvents(), {
        sessionTtlMs: config.auth.sessionTtlMs,
        scryptCost: { N: config.auth.scryptN, r: 8, p: 1 },
      });
      const links = new ResetLinks(store, accounts, systemClock, new AccessEvents(), {
        publicUrl: config.publicUrl,
        mailer: null,
        log: createLogger('silent'),
      });
      const link = await links.issue(user.id, 'admin', null);
      const base = config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
      if (!config.publicUrl) console.error(`PUBLIC_URL is not set: the link uses ${base}; set PUBLIC_URL to the address people use.`);
      console.log(`Password reset link for ${user.email}, works once until ${new Date(link.expiresAt).toISOString()}:`);
      console.log(link.url ?? base + resetPath(link.code));
      return 0;
    }
    if (command === 'make-admin') {
      const user = await store.findUserByEmail(email.data);
      if (!user) {
        console.error(`No account uses ${email.data}.`);
        return 1;
      }
      await store.setAdmin(user.id, true, Date.now());
      console.log(`${email.data} is now an administrator.`);
      return 0;
    }
    const password = Password.safeParse(process.env.RAPPORTEUR_ADMIN_PASSWORD ?? '');
    if (!password.success || !password.data) {
      console.error(`Set RAPPORTEUR_ADMIN_PASSWORD to the new password (${PASSWORD_RULE}).`);
      return 2;
    }
    const problem = await passwordProblem(password.data);
    if (problem) {
      console.error(`RAPPORTEUR_ADMIN_PASSWORD: ${passwordProblemMessage(problem)} (${PASSWORD_RULE}).`);
      return 2;
    }
    const accounts = new Accounts(store, systemClock, new AccessEvents(), {
      sessionTtlMs: config.auth.sessionTtlMs,
      scryptCost: { N: config.auth.scryptN, r: 8, p: 1 },
    });
    await accounts.createUser({
      email: email.data,
      password: password.data,
      name: values.name ?? 'Administrator',
      stakeholderGroup: 'other',
      region: 'other',
      isAdmin: true,
    });
    const where = config.databaseUrl ? database.description : path.relative(process.cwd(), sqliteFile(config.dataDir));
    console.log(`Created administrator ${email.data} in ${where}.`);
    return 0;
  } catch (error) {
    if (error instanceof EmailTakenError) {
      console.error(`${email.data} already has an account: use make-admin.`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
