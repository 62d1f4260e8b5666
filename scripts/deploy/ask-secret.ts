/**
 * Asks for one value on the terminal without echoing it (a secret should not stay on screen or in scroll-back).
 * Enter alone skips. Only used when stdin is a terminal.
 */
export function askSecret(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const input = process.stdin;
    process.stdout.write(prompt);
    input.setRawMode(true);
    input.resume();
    let value = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') {
          finish();
          process.exit(130);
        }
        if (char === '\u007f') value = value.slice(0, -1);
        else value += char;
      }
    };
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stdout.write('\n');
      resolve(value.trim());
    };
    input.on('data', onData);
  });
}
