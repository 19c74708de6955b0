// End-to-end tests in Debian's headless Chromium (never a downloaded browser), against
// the real server binary with a fresh SQLite file and demo data. Run by `cargo xtask test`,
// which builds dist/ and the server first.
import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 18181);
const server = process.env.TSUNAGARU_SERVER ?? path.resolve('../target/debug/server');
const dist = process.env.TSUNAGARU_DIST ?? path.resolve('../dist');
const database = path.join(os.tmpdir(), `tsunagaru-e2e-${process.pid}.db`);

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  // Ceilings, not waits: every expectation polls for what the app shows and goes on the
  // moment it holds. They are high because a 2-core machine that is also building
  // (CI, a developer's loop) can be slow to sync or to install a service worker.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
    // A browser that prefers English: the app must still start in Japanese.
    locale: 'en-US',
    viewport: { width: 390, height: 844 },
    trace: 'off',
  },
  webServer: {
    command: `"${server}" --addr 127.0.0.1:${port} --database sqlite://${database} --dist "${dist}" --demo`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // Many sign-ins from one address in one run: loosen the rate limits the server tests check.
    env: { RUST_LOG: 'warn', TSUNAGARU_AUTH_BURST: '1000', TSUNAGARU_ACCOUNT_BURST: '100' },
  },
});
