/**
 * Polls until `check` holds: the condition is the synchronisation, never the time (a test
 * waits only as long as the condition takes, and fails naming it after `seconds`).
 */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  seconds = 60,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
